package io.maas.engine.simulated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.engine.simulated.*}, read when {@code platform.engine.runtime=simulated}: an engine
 * that generates filler text at set speeds, for load tests and CI. The model name is
 * {@code platform.engine.served-model-name} ({@code simulated} when empty); a name ending in
 * {@code -reasoner} answers with {@code reasoning_content} first.
 *
 * @param timeToFirstToken  from taking a slot to the first token
 * @param interTokenLatency between two tokens
 * @param output            how many tokens an answer has, before the request's {@code max_tokens} caps it
 * @param reasoningShare    for {@code -reasoner} models, the share of the output that is chain of thought
 * @param contextSize       tokens one request may use (prompt + output); more is refused with 400
 * @param maxConcurrency    requests generated at once; more wait in arrival order
 * @param queueSize         requests that may wait; beyond it a request gets 503 at once
 * @param keepAliveInterval how often a waiting streamed request gets a {@code : keep-alive} comment
 * @param prefixCacheBlocks prompt blocks of 16 tokens the simulated prefix cache remembers (least recently used go first)
 * @param seed              seeds output lengths and words of requests that set no {@code seed} of their own
 * @param prefillPerToken   added to the time to first token per prompt token not found in the prefix cache
 *                          (a real engine's prefill; 0 by default), so that cache hits show in latency
 * @param queueFullStatus   the HTTP status of a request refused because the queue is full: 503 (vLLM, llama.cpp's
 *                          server) or 429 (engines that answer overload as a rate limit, such as TGI)
 */
@Validated
@ConfigurationProperties("platform.engine.simulated")
public record SimulatedProperties(
        @DefaultValue("50ms") @NotNull Duration timeToFirstToken,
        @DefaultValue("10ms") @NotNull Duration interTokenLatency,
        @DefaultValue @Valid @NotNull Output output,
        @DefaultValue("0.5") @DecimalMin("0") @DecimalMax("1") double reasoningShare,
        @DefaultValue("8192") @Min(2) int contextSize,
        @DefaultValue("16") @Min(1) int maxConcurrency,
        @DefaultValue("1024") @Min(0) int queueSize,
        @DefaultValue("5s") @NotNull Duration keepAliveInterval,
        @DefaultValue("4096") @Min(0) int prefixCacheBlocks,
        @DefaultValue("0") long seed,
        @DefaultValue("0ms") @NotNull Duration prefillPerToken,
        @DefaultValue("503") int queueFullStatus) {

    public SimulatedProperties {
        if (timeToFirstToken.isNegative() || interTokenLatency.isNegative() || prefillPerToken.isNegative()) {
            throw new IllegalArgumentException("time-to-first-token, inter-token-latency and prefill-per-token must not be negative");
        }
        if (keepAliveInterval.isNegative() || keepAliveInterval.isZero()) {
            throw new IllegalArgumentException("keep-alive-interval must be positive, e.g. 5s");
        }
        if (queueFullStatus != 503 && queueFullStatus != 429) {
            throw new IllegalArgumentException("queue-full-status must be 503 or 429 (it is " + queueFullStatus + ")");
        }
    }

    /** The defaults with the given speeds, output length and concurrency (benchmarks, tests). */
    public static SimulatedProperties of(Duration timeToFirstToken, Duration interTokenLatency, int outputTokens,
            int maxConcurrency) {
        return new SimulatedProperties(timeToFirstToken, interTokenLatency, Output.fixed(outputTokens), 0.5, 8192,
                maxConcurrency, 1024, Duration.ofSeconds(5), 4096, 0, Duration.ZERO, 503);
    }

    /** The output length distribution. */
    public enum Distribution {
        /** always {@code tokens} */
        FIXED,
        /** uniform between {@code min} and {@code max}, both included */
        UNIFORM,
        /** normal with mean {@code tokens} and standard deviation {@code stddev}, kept within {@code min} and {@code max} */
        NORMAL
    }

    /**
     * @param distribution {@code fixed}, {@code uniform} or {@code normal}
     * @param tokens       the fixed length, or the mean of the normal distribution
     * @param min          the shortest answer (uniform, normal)
     * @param max          the longest answer (uniform, normal)
     * @param stddev       the normal distribution's standard deviation
     */
    public record Output(
            @DefaultValue("fixed") @NotNull Distribution distribution,
            @DefaultValue("64") @Min(1) int tokens,
            @DefaultValue("1") @Min(1) int min,
            @DefaultValue("256") @Min(1) int max,
            @DefaultValue("16") @DecimalMin("0") double stddev) {

        public Output {
            if (min > max) {
                throw new IllegalArgumentException("output.min (" + min + ") must not exceed output.max (" + max + ")");
            }
        }

        public static Output fixed(int tokens) {
            return new Output(Distribution.FIXED, tokens, 1, Math.max(256, tokens), 16);
        }
    }
}

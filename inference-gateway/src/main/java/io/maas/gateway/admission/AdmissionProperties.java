package io.maas.gateway.admission;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.gateway.admission.*}: how the gateway enforces limits. The defaults fit one
 * gateway with no file: counters in-process, fail closed.
 *
 * @param store                 {@code memory} (one replica: counters in this process) or {@code redis}
 *                              (several replicas share counters in Redis)
 * @param failOpen              what happens when the counter store cannot be reached: false (default) answers
 *                              503 {@code limits_unavailable} and calls no engine; true admits the request without
 *                              counting its requests-per-minute, tokens-per-minute and concurrency (money and token
 *                              budgets are in PostgreSQL and always enforced), and logs a warning
 * @param policyCacheTtl        how long a tenant's and key's limits are trusted before they are read again; a change
 *                              binds every replica within this time (at most 3 s, so within the platform's 5 s)
 * @param lease                 how long a reservation holds without being renewed: the gateway running a request
 *                              renews its holds every third of it, so past it only a dead gateway's concurrency slots
 *                              and money / budget reservations are freed. The worst-case price is the highest tier in
 *                              force between admission and admission + the longer of lease and request deadline
 * @param promptOverheadTokens  added to the prompt's UTF-8 byte count to bound its tokens (chat template, BOS)
 * @param maxOutputTokens       the output cap reserved when a request sets no {@code max_tokens}, and the largest
 *                              one sent to an engine (a larger {@code max_tokens} is lowered to it); must not be
 *                              below what the engines produce when a request sets none
 * @param modelMaxOutputTokens  {@code maxOutputTokens} per model name, where a model's differs
 * @param redis                 the Redis of {@code store=redis}
 */
@Validated
@ConfigurationProperties("platform.gateway.admission")
public record AdmissionProperties(
        @DefaultValue("memory") @Pattern(regexp = "memory|redis", message = "must be 'memory' or 'redis'") String store,
        @DefaultValue("false") boolean failOpen,
        @DefaultValue("2s") Duration policyCacheTtl,
        @DefaultValue("30m") Duration lease,
        @DefaultValue("64") @Min(0) long promptOverheadTokens,
        @DefaultValue("4096") @Min(1) long maxOutputTokens,
        @DefaultValue Map<String, Long> modelMaxOutputTokens,
        @DefaultValue @Valid @NotNull Redis redis) {

    public AdmissionProperties {
        if (policyCacheTtl.compareTo(Duration.ofSeconds(3)) > 0 || policyCacheTtl.isNegative()) {
            throw new IllegalArgumentException("platform.gateway.admission.policy-cache-ttl must be between 0 and 3s"
                    + " so that a limit change binds within 5 s; was " + policyCacheTtl);
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("platform.gateway.admission.lease must be at least 1s (it is renewed every third"
                    + " of it); was " + lease);
        }
        modelMaxOutputTokens = Map.copyOf(modelMaxOutputTokens);
    }

    /** The output cap of {@code model}. */
    long maxOutputTokens(String model) {
        return modelMaxOutputTokens.getOrDefault(model, maxOutputTokens);
    }

    /**
     * @param uri     {@code redis://host:port[/db]}, with a password as {@code redis://:password@host:port}
     * @param timeout a command taking longer counts as Redis unreachable
     */
    public record Redis(@DefaultValue("redis://127.0.0.1:6379") URI uri, @DefaultValue("500ms") Duration timeout) {
    }
}

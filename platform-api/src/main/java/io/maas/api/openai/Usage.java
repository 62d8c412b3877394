package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Token usage of one request, in OpenAI's and DeepSeek's names at once: {@code prompt_tokens} is
 * {@code prompt_cache_hit_tokens + prompt_cache_miss_tokens}, and the hit count is repeated as
 * {@code prompt_tokens_details.cached_tokens} for OpenAI clients.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(
        @JsonProperty("prompt_tokens") long promptTokens,
        @JsonProperty("completion_tokens") long completionTokens,
        @JsonProperty("total_tokens") long totalTokens,
        @JsonProperty("prompt_cache_hit_tokens") Long promptCacheHitTokens,
        @JsonProperty("prompt_cache_miss_tokens") Long promptCacheMissTokens,
        @JsonProperty("prompt_tokens_details") PromptTokensDetails promptTokensDetails,
        @JsonProperty("completion_tokens_details") CompletionTokensDetails completionTokensDetails) {

    /** Usage as an engine reports it: the prompt split into cache hits and misses, plus reasoning tokens. */
    public static Usage of(long cacheHitTokens, long cacheMissTokens, long completionTokens, long reasoningTokens) {
        long prompt = cacheHitTokens + cacheMissTokens;
        return new Usage(prompt, completionTokens, prompt + completionTokens, cacheHitTokens, cacheMissTokens,
                new PromptTokensDetails(cacheHitTokens), new CompletionTokensDetails(reasoningTokens));
    }

    /**
     * This usage with its prompt split made consistent, as a bill needs it: cache hits at most the
     * prompt tokens, and misses the rest. An engine that reports more cached than prompt tokens (or a
     * split that does not add up) is trusted for its prompt and completion counts.
     */
    public Usage consistent() {
        long prompt = Math.max(0, promptTokens);
        long hits = Math.clamp(cacheHitTokens(), 0, prompt);
        long completion = Math.max(0, completionTokens);
        if (prompt == promptTokens && hits == cacheHitTokens() && prompt - hits == cacheMissTokens() && completion == completionTokens) {
            return this;
        }
        return of(hits, prompt - hits, completion, reasoningTokens());
    }

    /** Cache hits, from DeepSeek's field or else OpenAI's; zero when the engine reported neither. */
    public long cacheHitTokens() {
        if (promptCacheHitTokens != null) {
            return promptCacheHitTokens;
        }
        return promptTokensDetails != null && promptTokensDetails.cachedTokens() != null
                ? promptTokensDetails.cachedTokens() : 0;
    }

    public long cacheMissTokens() {
        return promptCacheMissTokens != null ? promptCacheMissTokens : promptTokens - cacheHitTokens();
    }

    public long reasoningTokens() {
        return completionTokensDetails != null && completionTokensDetails.reasoningTokens() != null
                ? completionTokensDetails.reasoningTokens() : 0;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PromptTokensDetails(@JsonProperty("cached_tokens") Long cachedTokens) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CompletionTokensDetails(@JsonProperty("reasoning_tokens") Long reasoningTokens) {
    }
}

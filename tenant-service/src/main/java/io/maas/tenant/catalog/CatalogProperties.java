package io.maas.tenant.catalog;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code platform.catalog.*}.
 *
 * @param weights per catalog id, the weights on this machine: a GGUF file (llama.cpp) or a directory of
 *                safetensors (external engines), e.g. {@code platform.catalog.weights.deepseek-v2-lite=/models/DeepSeek-V2-Lite-Chat.Q4_K_M.gguf}
 */
@ConfigurationProperties("platform.catalog")
public record CatalogProperties(Map<String, String> weights) {

    public CatalogProperties {
        weights = weights == null ? Map.of() : Map.copyOf(weights);
    }
}

package io.maas.tenant.catalog;

import io.maas.api.accelerator.Precision;
import java.util.List;
import java.util.Map;

/**
 * A model an admin can deploy, as {@code GET /api/v1/catalog} shows it.
 *
 * @param id              the catalog id deployments name
 * @param name            the model card's name
 * @param architecture    e.g. {@code MoE, MLA}; {@code dense, GQA}
 * @param totalParams     all parameters
 * @param activeParams    parameters one token passes through
 * @param experts         routed and shared experts and how many routed ones a token uses; null for a dense model
 * @param contextLength   the longest context, in tokens
 * @param precisions      the precisions its published weights ship in, the native one first
 * @param defaultRuntimes per accelerator vendor, the runtime a deployment gets when it names none
 * @param reasoning       whether it answers with {@code reasoning_content} before the answer
 * @param weights         where its weights are on this machine
 */
public record CatalogEntry(
        String id,
        String name,
        String architecture,
        long totalParams,
        long activeParams,
        Experts experts,
        int contextLength,
        List<Precision> precisions,
        Map<String, EngineRuntime> defaultRuntimes,
        boolean reasoning,
        Weights weights) {

    public record Experts(int routed, int shared, int perToken) {
    }

    /**
     * @param source  {@code generated} (engine-adapter writes it), {@code gguf}, {@code safetensors}, or {@code none} when no path is configured
     * @param path    the configured file or directory; null when none
     * @param missing true when no weights are at hand: a path that does not exist, or none configured for a model that is not generated.
     *                Such a model runs only on the simulated engine until {@code platform.catalog.weights.<id>} names its weights
     */
    public record Weights(String source, String path, boolean missing) {
    }
}

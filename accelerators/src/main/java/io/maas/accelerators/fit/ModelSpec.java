package io.maas.accelerators.fit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the fit calculator needs to know about a model.
 *
 * @param id              preset name or a label of the caller's choosing
 * @param totalParams     all parameters, routed experts included
 * @param activeParams    parameters one token passes through
 * @param layers          transformer layers (each holds a KV cache)
 * @param attentionHeads  query heads; tensor parallelism must divide them
 * @param kvLoraRank      MLA: width of the compressed latent KV; 0 for grouped-query attention
 * @param ropeHeadDim     MLA: width of the decoupled rotary key, cached beside the latent
 * @param kvHeads         grouped-query attention: key/value heads; 0 for MLA
 * @param headDim         grouped-query attention: width of one head; 0 for MLA
 * @param routedExperts   routed experts per MoE layer; 0 for a dense model. Expert parallelism must divide them
 * @param expertsPerToken routed experts one token uses
 * @param contextLength   the longest context the model supports, in tokens
 */
public record ModelSpec(
        String id,
        long totalParams,
        long activeParams,
        int layers,
        int attentionHeads,
        int kvLoraRank,
        int ropeHeadDim,
        int kvHeads,
        int headDim,
        int routedExperts,
        int expertsPerToken,
        int contextLength) {

    /** DeepSeek-V3 and R1: 671B parameters, 37B active, 61 layers, 128 heads, MLA (512 + 64), 256 routed experts, 8 per token, 128K context. */
    public static final ModelSpec DEEPSEEK_V3 = new ModelSpec("deepseek-v3", 671_000_000_000L, 37_000_000_000L,
            61, 128, 512, 64, 0, 0, 256, 8, 131_072);
    /** DeepSeek-V2-Lite: 15.7B parameters, 2.4B active, 27 layers, 16 heads, MLA (512 + 64), 64 routed experts, 6 per token, 32K context. */
    public static final ModelSpec DEEPSEEK_V2_LITE = new ModelSpec("deepseek-v2-lite", 15_700_000_000L, 2_400_000_000L,
            27, 16, 512, 64, 0, 0, 64, 6, 32_768);

    public static final List<ModelSpec> PRESETS = List.of(DEEPSEEK_V3, DEEPSEEK_V2_LITE);

    public ModelSpec {
        require(id != null && !id.isBlank(), "id", "a model id");
        require(totalParams > 0 && activeParams > 0 && activeParams <= totalParams, "activeParams",
                "0 < activeParams <= totalParams, were " + activeParams + " and " + totalParams);
        require(layers > 0 && attentionHeads > 0, "layers", "layers and attentionHeads above 0");
        boolean mla = kvLoraRank > 0 && ropeHeadDim >= 0 && kvHeads == 0 && headDim == 0;
        boolean gqa = kvLoraRank == 0 && ropeHeadDim == 0 && kvHeads > 0 && headDim > 0 && attentionHeads % kvHeads == 0;
        require(mla || gqa, "kvLoraRank", "either MLA (kvLoraRank, ropeHeadDim) or grouped-query attention (kvHeads dividing "
                + "attentionHeads, headDim), not both");
        require(routedExperts == 0 ? expertsPerToken == 0 : expertsPerToken > 0 && expertsPerToken < routedExperts,
                "expertsPerToken", "0 < expertsPerToken < routedExperts for an MoE model, both 0 for a dense one");
        require(contextLength > 0, "contextLength", "a context length above 0");
    }

    /** From JSON, where the numbers that do not apply (kvHeads for MLA, experts for a dense model) may be left out. */
    @JsonCreator
    static ModelSpec fromJson(@JsonProperty("id") String id, @JsonProperty("totalParams") Long totalParams,
            @JsonProperty("activeParams") Long activeParams, @JsonProperty("layers") Integer layers,
            @JsonProperty("attentionHeads") Integer attentionHeads, @JsonProperty("kvLoraRank") Integer kvLoraRank,
            @JsonProperty("ropeHeadDim") Integer ropeHeadDim, @JsonProperty("kvHeads") Integer kvHeads,
            @JsonProperty("headDim") Integer headDim, @JsonProperty("routedExperts") Integer routedExperts,
            @JsonProperty("expertsPerToken") Integer expertsPerToken, @JsonProperty("contextLength") Integer contextLength) {
        return new ModelSpec(id, Objects.requireNonNullElse(totalParams, 0L), Objects.requireNonNullElse(activeParams, 0L),
                orZero(layers), orZero(attentionHeads), orZero(kvLoraRank), orZero(ropeHeadDim), orZero(kvHeads), orZero(headDim),
                orZero(routedExperts), orZero(expertsPerToken), orZero(contextLength));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    /** The preset named {@code id} (case-insensitive; {@code deepseek-r1} is DeepSeek-V3's architecture). */
    public static ModelSpec preset(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        if (wanted.equals("deepseek-r1")) {
            return DEEPSEEK_V3;
        }
        return PRESETS.stream().filter(spec -> spec.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new FitRequestException("model", "unknown model \"" + id + "\"; use deepseek-v3, deepseek-r1 or "
                        + "deepseek-v2-lite, or describe the model in modelSpec"));
    }

    public boolean moe() {
        return routedExperts > 0;
    }

    /**
     * Parameters of the routed experts, from total and active counts: a token uses {@code k} of
     * {@code E} experts, so total − active = (E − k) / E of the expert parameters.
     */
    public double routedExpertParams() {
        return moe() ? (double) (totalParams - activeParams) * routedExperts / (routedExperts - expertsPerToken) : 0;
    }

    /**
     * KV-cache values one token stores on one device, all layers: MLA caches the latent and the rotary
     * key, shared by all heads and so held whole by every tensor-parallel rank; grouped-query attention
     * caches a key and a value per KV head, split over up to {@code kvHeads} ranks.
     */
    public long kvValuesPerTokenPerDevice(int tensorParallelSize) {
        if (kvLoraRank > 0) {
            return (long) layers * (kvLoraRank + ropeHeadDim);
        }
        return (long) layers * 2 * kvHeads * headDim / Math.min(tensorParallelSize, kvHeads);
    }

    private static void require(boolean condition, String param, String expected) {
        if (!condition) {
            throw new FitRequestException("modelSpec." + param, "modelSpec needs " + expected);
        }
    }
}

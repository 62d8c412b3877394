package io.maas.accelerators.fit;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

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

    /** DeepSeek-V3: 671B parameters, 37B active, 61 layers, 128 heads, MLA (512 + 64), 256 routed experts, 8 per token, 128K context. */
    public static final ModelSpec DEEPSEEK_V3 = new ModelSpec("deepseek-v3", 671_000_000_000L, 37_000_000_000L,
            61, 128, 512, 64, 0, 0, 256, 8, 131_072);
    /** DeepSeek-R1: V3's architecture, trained to reason. */
    public static final ModelSpec DEEPSEEK_R1 = DEEPSEEK_V3.named("deepseek-r1");
    /** DeepSeek-R1-0528: the May 2025 update of R1, same architecture. */
    public static final ModelSpec DEEPSEEK_R1_0528 = DEEPSEEK_V3.named("deepseek-r1-0528");
    /** DeepSeek-V3.1: V3's architecture with thinking and non-thinking modes. */
    public static final ModelSpec DEEPSEEK_V3_1 = DEEPSEEK_V3.named("deepseek-v3.1");
    /** DeepSeek-V2-Lite: 15.7B parameters, 2.4B active, 27 layers, 16 heads, MLA (512 + 64), 64 routed experts, 6 per token, 32K context. */
    public static final ModelSpec DEEPSEEK_V2_LITE = new ModelSpec("deepseek-v2-lite", 15_700_000_000L, 2_400_000_000L,
            27, 16, 512, 64, 0, 0, 64, 6, 32_768);
    /** R1 distilled into Qwen2.5-Math-1.5B: 1.78B, 28 layers, 12 heads, 2 KV heads of 128, 128K context. */
    public static final ModelSpec R1_DISTILL_QWEN_1_5B = new ModelSpec("deepseek-r1-distill-qwen-1.5b", 1_780_000_000L,
            1_780_000_000L, 28, 12, 0, 0, 2, 128, 0, 0, 131_072);
    /** R1 distilled into Qwen2.5-Math-7B: 7.62B, 28 layers, 28 heads, 4 KV heads of 128, 128K context. */
    public static final ModelSpec R1_DISTILL_QWEN_7B = new ModelSpec("deepseek-r1-distill-qwen-7b", 7_620_000_000L,
            7_620_000_000L, 28, 28, 0, 0, 4, 128, 0, 0, 131_072);
    /** R1 distilled into Qwen2.5-14B: 14.8B, 48 layers, 40 heads, 8 KV heads of 128, 128K context. */
    public static final ModelSpec R1_DISTILL_QWEN_14B = new ModelSpec("deepseek-r1-distill-qwen-14b", 14_800_000_000L,
            14_800_000_000L, 48, 40, 0, 0, 8, 128, 0, 0, 131_072);
    /** R1 distilled into Qwen2.5-32B: 32.8B, 64 layers, 40 heads, 8 KV heads of 128, 128K context. */
    public static final ModelSpec R1_DISTILL_QWEN_32B = new ModelSpec("deepseek-r1-distill-qwen-32b", 32_800_000_000L,
            32_800_000_000L, 64, 40, 0, 0, 8, 128, 0, 0, 131_072);
    /** R1 distilled into Llama-3.1-8B: 8.03B, 32 layers, 32 heads, 8 KV heads of 128, 128K context. */
    public static final ModelSpec R1_DISTILL_LLAMA_8B = new ModelSpec("deepseek-r1-distill-llama-8b", 8_030_000_000L,
            8_030_000_000L, 32, 32, 0, 0, 8, 128, 0, 0, 131_072);
    /** R1 distilled into Llama-3.3-70B-Instruct: 70.6B, 80 layers, 64 heads, 8 KV heads of 128, 128K context. */
    public static final ModelSpec R1_DISTILL_LLAMA_70B = new ModelSpec("deepseek-r1-distill-llama-70b", 70_600_000_000L,
            70_600_000_000L, 80, 64, 0, 0, 8, 128, 0, 0, 131_072);
    /**
     * The model engine-adapter generates ({@code DemoModel}): deepseek2 architecture, 3 layers, 4 heads, MLA (32 + 8),
     * 8 routed experts, 2 per token, 4K context; about 0.4M parameters, 0.33M active.
     */
    public static final ModelSpec DEMO_MOE = new ModelSpec("demo-moe", 400_000L, 326_000L, 3, 4, 32, 8, 0, 0, 8, 2, 4_096);

    public static final List<ModelSpec> PRESETS = List.of(DEEPSEEK_V3, DEEPSEEK_R1, DEEPSEEK_R1_0528, DEEPSEEK_V3_1, DEEPSEEK_V2_LITE,
            R1_DISTILL_QWEN_1_5B, R1_DISTILL_QWEN_7B, R1_DISTILL_QWEN_14B, R1_DISTILL_QWEN_32B, R1_DISTILL_LLAMA_8B,
            R1_DISTILL_LLAMA_70B, DEMO_MOE);

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

    /** The preset named {@code id}, case-insensitively. */
    public static ModelSpec preset(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        return PRESETS.stream().filter(spec -> spec.id().equals(wanted)).findFirst()
                .orElseThrow(() -> new FitRequestException("model", "unknown model \"" + id + "\"; use one of "
                        + PRESETS.stream().map(ModelSpec::id).collect(Collectors.joining(", ")) + ", or describe the model in modelSpec"));
    }

    /** The same architecture under another id (R1 and V3.1 are V3's). */
    public ModelSpec named(String otherId) {
        return new ModelSpec(otherId, totalParams, activeParams, layers, attentionHeads, kvLoraRank, ropeHeadDim, kvHeads, headDim,
                routedExperts, expertsPerToken, contextLength);
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

package io.maas.api.accelerator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The number formats a model's weights (and activations) run in. Vendors name the same format
 * differently; {@link #parse} accepts those names.
 */
public enum Precision {
    BF16("bf16", "bfloat16"),
    FP16("fp16", "float16", "half"),
    /** 8-bit floating point (E4M3) weights and activations: NVIDIA Hopper, Ada and later; not Ascend, not Kunlun P800. */
    FP8("fp8"),
    /** 8-bit integer weights and activations: Ascend "W8A8", Kunlun "W8A8-INT8", vLLM compressed-tensors int8. */
    W8A8("w8a8", "int8", "w8a8-int8"),
    /** 4-bit integer weights, 16-bit activations (AWQ, GPTQ, compressed-tensors w4a16). */
    W4A16("w4a16", "int4"),
    /** llama.cpp GGUF 8-bit blocks (8.5 bits per weight with block scales). */
    Q8_0("q8_0"),
    /** llama.cpp GGUF 4-bit k-quant, medium (about 4.85 bits per weight). */
    Q4_K_M("q4_k_m"),
    /** 32-bit floating point: full-precision GGUF files such as the generated demo model. */
    F32("f32", "float32");

    private final String id;
    private final List<String> aliases;

    Precision(String id, String... aliases) {
        this.id = id;
        this.aliases = List.of(aliases);
    }

    /** The lower-case name used in JSON and on the command line. */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * The precision named {@code text}, case-insensitively, by id or vendor alias ({@code int8} is {@link #W8A8}).
     *
     * @throws IllegalArgumentException naming the accepted values when there is none
     */
    @JsonCreator
    public static Precision parse(String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (Precision precision : values()) {
            if (precision.id.equals(wanted) || precision.aliases.contains(wanted)) {
                return precision;
            }
        }
        throw new IllegalArgumentException("unknown precision \"" + text + "\"; use one of "
                + Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", ")));
    }
}

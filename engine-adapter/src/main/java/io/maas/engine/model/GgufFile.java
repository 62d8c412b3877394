package io.maas.engine.model;

import java.util.List;
import java.util.Map;

/**
 * What a GGUF file says about itself: its metadata (numbers as {@link Long}, {@link Double} or
 * {@link Boolean}, texts as {@link String}, arrays as {@link List}) and its tensor infos. The tensor
 * data is not read.
 */
public record GgufFile(int version, Map<String, Object> metadata, List<TensorInfo> tensors) {

    /** One tensor's name, shape in ggml order, ggml type number and offset within the data section. */
    public record TensorInfo(String name, List<Long> dims, int type, long offset) {
    }

    public String architecture() {
        return string("general.architecture");
    }

    /** The context length the model was trained for, or 0 when the file does not say. */
    public long contextLength() {
        return metadata.get(architecture() + ".context_length") instanceof Long length ? length : 0;
    }

    public String string(String key) {
        return metadata.get(key) instanceof String value ? value : null;
    }

    public long number(String key, long fallback) {
        return metadata.get(key) instanceof Long value ? value : fallback;
    }

    public boolean flag(String key, boolean fallback) {
        return metadata.get(key) instanceof Boolean value ? value : fallback;
    }

    /** The text of token {@code id} in {@code tokenizer.ggml.tokens}, or null when there is none. */
    public String token(long id) {
        return metadata.get("tokenizer.ggml.tokens") instanceof List<?> tokens && id >= 0 && id < tokens.size()
                ? (String) tokens.get((int) id) : null;
    }
}

package io.maas.engine.runtime;

/**
 * A fill-in-the-middle request ({@code POST /v1/completions} with {@code prompt} and {@code suffix}): the model writes
 * what goes between {@code prefix} and {@code suffix}. {@link #NONE} marks a chat generation.
 */
public record Infill(String prefix, String suffix) {

    public static final Infill NONE = new Infill(null, null);

    public boolean present() {
        return prefix != null;
    }
}

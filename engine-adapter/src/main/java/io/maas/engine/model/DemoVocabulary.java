package io.maas.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The demo model's SentencePiece-style vocabulary: {@code <unk>}, {@code <s>}, {@code </s>}, the
 * ChatML turn markers, 256 byte tokens, {@code ▁}, printable ASCII and merged pieces. Every prefix
 * of a merged piece is a token too, because SentencePiece builds a piece from adjacent pairs.
 *
 * <p>Appended last ({@link #ADDED} of them, so that the ids and weights of the tokens before stay as they were):
 * the markers a chat template and its parser use, as user-defined tokens that print as their text
 * ({@code <think>}, {@code </think>}, {@code <tool_call>}, {@code </tool_call>}), and DeepSeek's three
 * fill-in-the-middle tokens as control tokens, which llama.cpp's infill places around the prefix and suffix.
 */
final class DemoVocabulary {

    static final int UNKNOWN = 0;
    static final int BOS = 1;
    static final int EOS = 2;
    static final String SPACE = "\u2581";

    private static final int TYPE_NORMAL = 1;
    private static final int TYPE_UNKNOWN = 2;
    private static final int TYPE_CONTROL = 3;
    private static final int TYPE_USER_DEFINED = 4;
    static final List<String> MARKERS = List.of("<think>", "</think>", "<tool_call>", "</tool_call>");
    /** DeepSeek's FIM tokens: before the prefix, between prefix and suffix (the hole), after the suffix. */
    static final List<String> FIM = List.of("<\uff5cfim\u2581begin\uff5c>", "<\uff5cfim\u2581hole\uff5c>",
            "<\uff5cfim\u2581end\uff5c>");
    static final int ADDED = MARKERS.size() + FIM.size();
    private static final int TYPE_BYTE = 6;
    private static final List<String> WORDS = List.of(
            "the", "and", "hello", "world", "model", "token", "expert", "is", "of", "to", "you", "what");
    private static final List<String> SUFFIXES = List.of("ing", "er", "ed", "es", "on", "an", "re");

    private final List<String> tokens = new ArrayList<>();
    private final List<Float> scores = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final int firstByte;

    DemoVocabulary() {
        add("<unk>", 0, TYPE_UNKNOWN);
        add("<s>", 0, TYPE_CONTROL);
        add("</s>", 0, TYPE_CONTROL);
        add("<|im_start|>", 0, TYPE_CONTROL);
        add("<|im_end|>", 0, TYPE_CONTROL);
        firstByte = tokens.size();
        for (int b = 0; b < 256; b++) {
            add("<0x%02X>".formatted(b), 0, TYPE_BYTE);
        }
        add(SPACE, -1, TYPE_NORMAL);
        for (char c = '!'; c <= '~'; c++) {
            add(String.valueOf(c), -1, TYPE_NORMAL);
        }
        Set<String> merged = new LinkedHashSet<>();
        WORDS.forEach(word -> addPrefixes(merged, SPACE + word));
        SUFFIXES.forEach(suffix -> addPrefixes(merged, suffix));
        merged.forEach(piece -> add(piece, piece.length(), TYPE_NORMAL));
        MARKERS.forEach(marker -> add(marker, 0, TYPE_USER_DEFINED));
        FIM.forEach(fim -> add(fim, 0, TYPE_CONTROL));
    }

    /** The id of {@code token}, one of the appended ones. */
    int id(String token) {
        return tokens.indexOf(token);
    }

    private static void addPrefixes(Set<String> merged, String piece) {
        for (int end = 2; end <= piece.length(); end++) {
            merged.add(piece.substring(0, end));
        }
    }

    private void add(String token, float score, int type) {
        tokens.add(token);
        scores.add(score);
        types.add(type);
    }

    List<String> tokens() {
        return List.copyOf(tokens);
    }

    float[] scores() {
        float[] values = new float[scores.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scores.get(i);
        }
        return values;
    }

    int[] types() {
        return types.stream().mapToInt(Integer::intValue).toArray();
    }

    int size() {
        return tokens.size();
    }

    /** The ids of the 256 byte tokens, which decode to single bytes and so to invalid UTF-8 on their own. */
    List<Integer> byteTokenIds() {
        List<Integer> ids = new ArrayList<>(256);
        for (int b = 0; b < 256; b++) {
            ids.add(firstByte + b);
        }
        return ids;
    }
}

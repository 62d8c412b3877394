package io.maas.api.sse;

/**
 * One dispatched event: {@code data} joins its data lines with {@code \n}; a comment-only block
 * (such as {@code : keep-alive}) arrives as an event with {@code comment} set and no data.
 */
public record SseEvent(String event, String data, String comment) {

    public static final String DONE = "[DONE]";

    public boolean isComment() {
        return data == null && comment != null;
    }

    public boolean isDone() {
        return DONE.equals(data);
    }
}

package io.maas.api.sse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes events and flushes each at once, so that a client sees every token as it is produced. */
public final class SseWriter {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;

    public SseWriter(OutputStream out) {
        this.out = out;
    }

    /** One {@code data:} event; {@code json} must be a single line, as serialized JSON is. */
    public void data(String json) throws IOException {
        out.write(DATA);
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write(END);
        out.flush();
    }

    /** One named event ({@code event:} then {@code data:}), as Anthropic's streams send them; {@code json} on a single line. */
    public void event(String name, String json) throws IOException {
        out.write(EVENT);
        out.write(name.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        data(json);
    }

    public void done() throws IOException {
        out.write(DONE);
        out.flush();
    }

    public void keepAlive() throws IOException {
        out.write(KEEP_ALIVE);
        out.flush();
    }
}

package io.maas.api.sse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads events from a UTF-8 event stream as they arrive, one at a time; never buffers the stream.
 * Lines may end in LF, CRLF or CR. Not thread-safe.
 */
public final class SseReader implements AutoCloseable {

    private final BufferedReader in;

    public SseReader(InputStream stream) {
        this.in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    /** The next event, or null at the end of the stream. */
    public SseEvent next() throws IOException {
        StringBuilder data = null;
        String event = null;
        String comment = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null || comment != null) {
                    return new SseEvent(event, data == null ? null : data.toString(), comment);
                }
                continue;
            }
            if (line.charAt(0) == ':') {
                comment = line.substring(1).strip();
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "event" -> event = value;
                default -> { } // id and retry mean nothing to this API
            }
        }
        return data != null || comment != null ? new SseEvent(event, data == null ? null : data.toString(), comment) : null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

package io.maas.api.sse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an event stream as raw events, for relaying them byte for byte: each event is the bytes the
 * server sent up to and including its blank line, never decoded unless asked ({@link SseFrame#data}).
 * One buffer, reused and grown only for a larger event; the returned {@link SseFrame} is reused too, so
 * nothing is allocated per event. Lines may end in LF, CRLF or CR. Returns an event as soon as its
 * blank line arrived; never waits for more. Not thread-safe.
 */
public final class SseFrameReader implements AutoCloseable {

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final SseFrame frame = new SseFrame();
    private byte[] buffer = new byte[8192];
    /** Unreturned bytes are {@code [start, end)}; {@code scan} is where the search for the event's end goes on. */
    private int start;
    private int end;
    private int scan;
    private int lineStart;
    private boolean eof;

    public SseFrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next event, valid until the next call; null at the end of the stream. An event cut off by the end
     * of the stream is returned as it is.
     */
    public SseFrame next() throws IOException {
        while (true) {
            while (scan < end) {
                byte b = buffer[scan];
                if (b != '\n' && b != '\r') {
                    scan++;
                    continue;
                }
                if (b == '\r' && scan + 1 == end && !eof) {
                    break; // CR or CRLF: the next byte decides
                }
                int after = scan + (b == '\r' && scan + 1 < end && buffer[scan + 1] == '\n' ? 2 : 1);
                boolean blank = scan == lineStart;
                boolean leading = lineStart == start; // nothing of an event before this line
                scan = after;
                lineStart = after;
                if (blank && leading) {
                    start = after; // a blank line between events
                } else if (blank) {
                    return emit(after);
                }
            }
            if (eof) {
                return start < end ? emit(end) : null;
            }
            fill();
        }
    }

    /**
     * Whether {@link #next} returns without reading: the next event is already here whole (or the stream ended). A
     * relay flushes what it wrote only when it is not, so that events that came together leave together.
     */
    public boolean nextIsBuffered() {
        if (eof) {
            return true;
        }
        boolean content = false;
        int line = start;
        for (int i = start; i < end; ) {
            byte b = buffer[i];
            if (b != '\n' && b != '\r') {
                i++;
                continue;
            }
            if (b == '\r' && i + 1 == end) {
                return false; // CR or CRLF: the next byte decides
            }
            if (i == line && content) {
                return true;
            }
            content |= i != line;
            i += b == '\r' && buffer[i + 1] == '\n' ? 2 : 1;
            line = i;
        }
        return false;
    }

    private SseFrame emit(int to) {
        frame.set(buffer, start, to);
        start = to;
        scan = to;
        lineStart = to;
        return frame;
    }

    /** Reads more: moves the unreturned bytes to the front, grows the buffer when they fill it. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            scan -= start;
            lineStart -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** One raw event of a {@link SseFrameReader}: a view on its buffer, valid until the reader's next call. */
    public static final class SseFrame {

        private static final byte[] DONE = SseEvent.DONE.getBytes(StandardCharsets.US_ASCII);

        private byte[] bytes;
        private int from;
        private int to;
        /** Where the first {@code data:} line's value starts and ends (without its line end); -1: no data line. */
        private int dataFrom;
        private int dataTo;

        private SseFrame() {
        }

        private void set(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            this.dataFrom = -1;
            for (int line = from; line < to; line = nextLine(line)) {
                if (startsWith(line, DATA)) {
                    dataFrom = line + DATA.length + (line + DATA.length < to && bytes[line + DATA.length] == ' ' ? 1 : 0);
                    dataTo = lineEnd(dataFrom);
                    break;
                }
            }
        }

        /** Whether it is the end of the stream, {@code data: [DONE]}. */
        public boolean isDone() {
            return dataFrom >= 0 && dataTo - dataFrom == 6 && dataStartsWith(DONE);
        }

        /** Whether it carries no data: a comment (such as {@code : keep-alive}) or only fields this API ignores. */
        public boolean hasData() {
            return dataFrom >= 0;
        }

        /** Whether its first data line starts with {@code prefix}. */
        public boolean dataStartsWith(byte[] prefix) {
            return dataFrom >= 0 && dataTo - dataFrom >= prefix.length && startsWith(dataFrom, prefix);
        }

        /** Whether {@code needle} occurs anywhere in it. */
        public boolean contains(byte[] needle) {
            outer:
            for (int i = from; i <= to - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        /** Whether {@code needle} occurs somewhere followed by a byte other than {@code other} (and not at the end). */
        public boolean containsFollowedByOtherThan(byte[] needle, byte other) {
            outer:
            for (int i = from; i < to - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                if (bytes[i + needle.length] != other) {
                    return true;
                }
            }
            return false;
        }

        /** Its data lines decoded and joined with {@code \n}, as {@link SseEvent#data()}; null when it has none. */
        public String data() {
            if (dataFrom < 0) {
                return null;
            }
            StringBuilder data = null;
            for (int line = from; line < to; line = nextLine(line)) {
                if (startsWith(line, DATA)) {
                    int value = line + DATA.length + (line + DATA.length < to && bytes[line + DATA.length] == ' ' ? 1 : 0);
                    String text = new String(bytes, value, lineEnd(value) - value, StandardCharsets.UTF_8);
                    data = data == null ? new StringBuilder(text) : data.append('\n').append(text);
                }
            }
            return data.toString();
        }

        /** Writes it as it came, blank line included. */
        public void writeTo(OutputStream out) throws IOException {
            out.write(bytes, from, to - from);
        }

        private boolean startsWith(int at, byte[] prefix) {
            if (to - at < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (bytes[at + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private int lineEnd(int at) {
            int i = at;
            while (i < to && bytes[i] != '\n' && bytes[i] != '\r') {
                i++;
            }
            return i;
        }

        private int nextLine(int at) {
            int i = lineEnd(at);
            if (i < to && bytes[i] == '\r' && i + 1 < to && bytes[i + 1] == '\n') {
                return i + 2;
            }
            return i + 1;
        }
    }
}

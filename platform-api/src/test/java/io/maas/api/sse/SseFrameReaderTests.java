package io.maas.api.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.maas.api.sse.SseFrameReader.SseFrame;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFrameReaderTests {

    private static final String STREAM = ": keep-alive\n\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: one\ndata: two\n\n"
            + "data: {\"error\":{}}\n\ndata:[DONE]\r\r";

    @Test
    void relaysEveryEventByteForByteWithAnyLineEndingAndKnowsItsKind() throws IOException {
        List<String> raw = new ArrayList<>();
        try (var reader = new SseFrameReader(stream(STREAM, STREAM.length()))) {
            SseFrame frame = reader.next();
            assertThat(frame.hasData()).as("a comment").isFalse();
            raw.add(bytes(frame));
            frame = reader.next();
            assertThat(frame.data()).isEqualTo("{\"a\":1}");
            raw.add(bytes(frame));
            frame = reader.next();
            assertThat(frame.data()).isEqualTo("one\ntwo");
            assertThat(frame.isDone()).isFalse();
            raw.add(bytes(frame));
            frame = reader.next();
            assertThat(frame.dataStartsWith("{\"error\"".getBytes(StandardCharsets.US_ASCII))).isTrue();
            assertThat(frame.contains("\"error\"".getBytes(StandardCharsets.US_ASCII))).isTrue();
            assertThat(frame.contains("\"usage\"".getBytes(StandardCharsets.US_ASCII))).isFalse();
            raw.add(bytes(frame));
            frame = reader.next();
            assertThat(frame.isDone()).isTrue();
            raw.add(bytes(frame));
            assertThat(reader.next()).isNull();
        }
        assertThat(String.join("", raw)).isEqualTo(STREAM);
    }

    @Test
    void saysWhetherTheNextEventIsHereWholeSoThatARelayFlushesOnlyThen() throws IOException {
        String twoAndAHalf = "\ndata: 1\n\ndata: 2\r\n\r\ndata: 3\r";
        try (var reader = new SseFrameReader(stream(twoAndAHalf, twoAndAHalf.length()))) {
            assertThat(reader.nextIsBuffered()).as("nothing read yet").isFalse();
            assertThat(reader.next().data()).isEqualTo("1");
            assertThat(reader.nextIsBuffered()).as("the second came with the first").isTrue();
            assertThat(reader.next().data()).isEqualTo("2");
            assertThat(reader.nextIsBuffered()).as("the third is cut off at a CR").isFalse();
            assertThat(reader.next().data()).isEqualTo("3");
            assertThat(reader.nextIsBuffered()).as("the stream ended").isTrue();
        }
    }

    @Test
    void readsTheSameEventsWhateverHowTheBytesArriveOneByteAtATimeIncluded() throws IOException {
        for (int chunk : new int[] {1, 2, 3, 7, 13}) {
            List<String> events = new ArrayList<>();
            try (var reader = new SseFrameReader(stream(STREAM, chunk))) {
                SseFrame frame;
                while ((frame = reader.next()) != null) {
                    events.add(bytes(frame));
                }
            }
            assertThat(events).as("arriving %d bytes at a time", chunk).containsExactly(": keep-alive\n\n",
                    "data: {\"a\":1}\r\n\r\n", "event: x\ndata: one\ndata: two\n\n", "data: {\"error\":{}}\n\n", "data:[DONE]\r\r");
        }
    }

    @Test
    void anEventLargerThanTheBufferAndAnUnterminatedLastEventAreDelivered() throws IOException {
        String big = "data: " + "x".repeat(50_000) + "\n\n";
        try (var reader = new SseFrameReader(stream("\n\n" + big + "data: tail", 4096))) {
            assertThat(bytes(reader.next())).isEqualTo(big);
            assertThat(reader.next().data()).isEqualTo("tail");
            assertThat(reader.next()).isNull();
        }
    }

    private static String bytes(SseFrame frame) throws IOException {
        var out = new ByteArrayOutputStream();
        frame.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code text} arriving at most {@code chunk} bytes per read, as from a network. */
    private static InputStream stream(String text, int chunk) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }
}

package io.maas.api.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseCodecTests {

    @Test
    void readsDataCommentsMultiLineDataAndAnyLineEnding() throws IOException {
        String stream = ": keep-alive\n\ndata: {\"a\":1}\r\n\r\nevent: x\ndata: one\ndata: two\n\ndata:[DONE]\r\r";
        try (var reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(reader.next()).isEqualTo(new SseEvent(null, null, "keep-alive"));
            assertThat(reader.next()).isEqualTo(new SseEvent(null, "{\"a\":1}", null));
            assertThat(reader.next()).isEqualTo(new SseEvent("x", "one\ntwo", null));
            assertThat(reader.next().isDone()).isTrue();
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void anUnterminatedLastEventIsStillDelivered() throws IOException {
        try (var reader = new SseReader(new ByteArrayInputStream("data: tail".getBytes(StandardCharsets.UTF_8)))) {
            assertThat(reader.next().data()).isEqualTo("tail");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void writerOutputReadsBackEventForEvent() throws IOException {
        var out = new ByteArrayOutputStream();
        var writer = new SseWriter(out);
        writer.keepAlive();
        writer.data("{\"text\":\"é\"}");
        writer.done();

        try (var reader = new SseReader(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(reader.next().isComment()).isTrue();
            assertThat(reader.next().data()).isEqualTo("{\"text\":\"é\"}");
            assertThat(reader.next().isDone()).isTrue();
        }
    }
}

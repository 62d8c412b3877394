package io.maas.gateway.relay;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.Usage;
import io.maas.api.sse.SseFrameReader.SseFrame;
import java.io.IOException;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Where {@link ChatPipeline} delivers one request's answer, in OpenAI's terms (the engine's
 * {@code chat.completion} / {@code text_completion} objects and their stream chunks); an implementation
 * writes them to its client in its own API's shape ({@link OpenAiAnswer} passes them through), or keeps
 * them (a batch).
 *
 * <p><b>Order.</b> {@link #admitted} first, once the request holds its reservation. Then, for a stream:
 * {@link #queued} and {@link #keepAlive} while it waits for an engine, {@link #streamStarted} once an engine
 * accepted it, {@link #event} per chunk, and exactly one of {@link #completed} (the usage is recorded by
 * then: a client never sees the end of an answer that was not) or {@link #broken}; or {@link #refused} when an
 * engine refused it after {@link #queued} was called. For a whole answer: {@link #answer}, after the usage was
 * recorded. A request refused while nothing was delivered (no {@link #queued}, no {@link #streamStarted}) is not
 * told to the sink: {@link ChatPipeline#run} throws the {@link ApiException}.
 *
 * <p><b>The client going away.</b> An {@link IOException} from {@link #event} or {@link #keepAlive} means
 * the client left: the engine's work is cut short, billed as done so far, and nothing more is delivered.
 */
public interface AnswerSink {

    /** The request is admitted: these headers (rate-limit state, the request id) belong on its answer. */
    void admitted(Map<String, String> headers);

    /** A stream joined the model's queue: its answer may start now (DeepSeek sends the headers at once). */
    default void queued() throws IOException {
    }

    /** A queued stream is still waiting (OpenAI's sink sends {@code : keep-alive}); also relayed from the engine. */
    default void keepAlive() throws IOException {
    }

    /** An engine accepted the stream; its chunks follow. */
    void streamStarted() throws IOException;

    /**
     * One chunk, the engine's JSON as it sent it; its {@code usage} member is removed unless the request asked
     * for the usage chunk ({@link ChatRequest#clientWantsUsage()}), and a usage-only chunk is then not delivered.
     */
    void event(String chunk) throws IOException;

    /**
     * One chunk as the engine sent it, its event's bytes ({@link StreamRelay} relays events as bytes): valid only
     * during the call. By default it is decoded and given to {@link #event(String)}; a sink whose client speaks
     * the engine's format writes the bytes through ({@link OpenAiAnswer}). Never a chunk that carries usage.
     */
    default void event(SseFrame chunk) throws IOException {
        event(chunk.data());
    }

    /**
     * Sends on what {@link #event(SseFrame)} wrote: the relay calls it when no further event is at hand, so a sink that
     * writes the bytes through may hold them until then (events that came from the engine together leave together).
     */
    default void flush() throws IOException {
    }

    /** The stream ended normally and {@code usage} (what is billed) is recorded. */
    void completed(Usage usage) throws IOException;

    /** The engine broke off the stream; what it did is recorded and billed; {@code error} says what to tell the client. */
    void broken(ApiException error);

    /** A stream that {@link #queued} was refused before an engine accepted it (nothing is billed). */
    void refused(ApiException refusal);

    /** The whole (non-streamed) answer, {@code body} as the engine sent it and {@code tree} parsed; {@code usage} is recorded. */
    void answer(byte[] body, JsonNode tree, Usage usage) throws IOException;
}

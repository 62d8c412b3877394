package io.maas.gateway.relay;

import io.maas.api.openai.Usage;
import io.maas.api.sse.SseEvent;
import io.maas.api.sse.SseReader;
import io.maas.gateway.metering.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relays an engine's event stream to an {@link AnswerSink} event by event (the OpenAI sink flushes each
 * to the client at once); nothing is buffered beyond one event. On the way it keeps the usage the engine reports (the gateway always
 * asks for it) and drops it from what the client sees unless the client asked for it too.
 *
 * <p>The stream's end is not relayed here: the caller first makes the usage durable, then sends
 * {@code [DONE]}, so that a client never sees a complete answer that was not recorded.
 */
@Component
class StreamRelay {

    /**
     * How the relay ended, what the engine reported, how many events reached the client, and when the
     * first did ({@link System#nanoTime()}; 0 when none did).
     */
    record Result(Outcome outcome, Usage usage, long eventsRelayed, long firstEventNanos) {
    }

    /** The client went away; raised from writes only, so it is never confused with the engine failing. */
    private static final class ClientGone extends RuntimeException {
        ClientGone(IOException cause) {
            super(cause);
        }
    }

    private final JsonMapper json;

    StreamRelay(JsonMapper json) {
        this.json = json;
    }

    /** Relays until the engine's {@code [DONE]}, the engine failing, or the client going away; closes {@code engine}. */
    Result relay(InputStream engine, AnswerSink client, boolean clientWantsUsage) {
        Usage usage = null;
        long relayed = 0;
        long first = 0;
        try (SseReader events = new SseReader(engine)) {
            SseEvent event;
            while ((event = events.next()) != null) {
                if (event.isDone()) {
                    return new Result(Outcome.COMPLETED, usage, relayed, first);
                }
                if (event.isComment()) {
                    write(() -> client.keepAlive());
                    continue;
                }
                String data = event.data();
                if (data.contains("\"usage\"")) {
                    JsonNode chunk = json.readTree(data);
                    JsonNode reported = chunk.get("usage");
                    if (reported != null && !reported.isNull()) {
                        usage = json.treeToValue(reported, Usage.class);
                        if (!clientWantsUsage) {
                            JsonNode choices = chunk.get("choices");
                            if (choices == null || choices.isEmpty()) {
                                continue;
                            }
                            ((ObjectNode) chunk).remove("usage");
                            data = json.writeValueAsString(chunk);
                        }
                    }
                }
                String relayedData = data;
                write(() -> client.event(relayedData));
                if (relayed++ == 0) {
                    first = System.nanoTime();
                }
                if (data.startsWith("{\"error\"")) {
                    return new Result(Outcome.ENGINE_ERROR, usage, relayed, first);
                }
            }
            return new Result(Outcome.ENGINE_ERROR, usage, relayed, first);
        } catch (ClientGone e) {
            return new Result(Outcome.CLIENT_CANCELLED, usage, relayed, first);
        } catch (IOException | UncheckedIOException | tools.jackson.core.JacksonException e) {
            return new Result(Outcome.ENGINE_ERROR, usage, relayed, first);
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private static void write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }
}

package io.maas.gateway.relay;

import io.maas.api.openai.Usage;
import io.maas.api.sse.SseFrameReader;
import io.maas.api.sse.SseFrameReader.SseFrame;
import io.maas.gateway.metering.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Relays an engine's event stream to an {@link AnswerSink} event by event (the OpenAI sink writes each event's
 * bytes as they came); what was written is flushed to the client as soon as no further event is at hand
 * ({@link SseFrameReader#nextIsBuffered()}), so events that came from the engine together leave together, in one
 * write, and none waits for an event still on its way. Events are
 * relayed as bytes ({@link SseFrameReader}): only the one that carries the usage is decoded, parsed and, unless
 * the client asked for the usage too, relayed without it; an error is recognised by its first bytes. Nothing is
 * allocated per relayed event.
 *
 * <p>The stream's end is not relayed here: the caller first makes the usage durable, then sends
 * {@code [DONE]}, so that a client never sees a complete answer that was not recorded.
 */
@Component
class StreamRelay {

    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_USAGE = "\"usage\":null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "{\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT = "\"content\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REASONING = "\"reasoning_content\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT = "\"text\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOOL_CALLS = "\"tool_calls\":[".getBytes(StandardCharsets.US_ASCII);

    /**
     * How the relay ended, what the engine reported, how many tokens reached the client (the events that
     * {@link #carriesToken carry one}), and when the first event did ({@link System#nanoTime()}; 0 when none did).
     */
    record Result(Outcome outcome, Usage usage, long tokensRelayed, long firstEventNanos) {
    }

    /** The client went away; raised from writes only, so it is never confused with the engine failing. */
    private static final class ClientGone extends Exception {
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
        long tokens = 0;
        long first = 0;
        boolean unflushed = false;
        try (SseFrameReader events = new SseFrameReader(engine)) {
            SseFrame event;
            while ((event = events.next()) != null) {
                if (event.isDone()) {
                    flush(client, unflushed);
                    return new Result(Outcome.COMPLETED, usage, tokens, first);
                }
                if (!event.hasData()) {
                    keepAlive(client);
                    continue;
                }
                boolean token = carriesToken(event);
                boolean error = event.dataStartsWith(ERROR);
                if (event.contains(USAGE) && !event.contains(NO_USAGE)) {
                    JsonNode chunk = json.readTree(event.data());
                    JsonNode reported = chunk.get("usage");
                    if (reported != null && !reported.isNull()) {
                        usage = json.treeToValue(reported, Usage.class);
                        if (!clientWantsUsage) {
                            JsonNode choices = chunk.get("choices");
                            if (choices == null || choices.isEmpty()) {
                                continue;
                            }
                            ((ObjectNode) chunk).remove("usage");
                            send(client, json.writeValueAsString(chunk));
                        } else {
                            send(client, event);
                        }
                    } else {
                        send(client, event);
                    }
                } else {
                    send(client, event);
                }
                if (relayed++ == 0) {
                    first = System.nanoTime();
                }
                if (token) {
                    tokens++;
                }
                unflushed = !error && events.nextIsBuffered(); // else what was written goes now
                flush(client, !unflushed);
                if (error) {
                    return new Result(Outcome.ENGINE_ERROR, usage, tokens, first);
                }
            }
            flush(client, unflushed);
            return new Result(Outcome.ENGINE_ERROR, usage, tokens, first);
        } catch (ClientGone e) {
            return new Result(Outcome.CLIENT_CANCELLED, usage, tokens, first);
        } catch (IOException | UncheckedIOException | JacksonException e) {
            try {
                flush(client, unflushed); // what was written before the engine failed
            } catch (ClientGone gone) {
                return new Result(Outcome.CLIENT_CANCELLED, usage, tokens, first);
            }
            return new Result(Outcome.ENGINE_ERROR, usage, tokens, first);
        }
    }

    /**
     * Whether a chunk carries generated tokens (one chunk a token, or a few, as engines stream): content, reasoning,
     * a piece of a tool call, or a completion's text. The opening role chunk, a usage chunk and an error carry none.
     * Read from the bytes, as engines write their chunks (compact JSON), so that no event is parsed to be counted.
     */
    private static boolean carriesToken(SseFrame event) {
        return event.containsFollowedByOtherThan(CONTENT, (byte) '"') || event.containsFollowedByOtherThan(REASONING, (byte) '"')
                || event.containsFollowedByOtherThan(TEXT, (byte) '"') || event.containsFollowedByOtherThan(TOOL_CALLS, (byte) ']');
    }

    private static void send(AnswerSink client, SseFrame event) throws ClientGone {
        try {
            client.event(event);
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    private static void send(AnswerSink client, String chunk) throws ClientGone {
        try {
            client.event(chunk);
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    private static void flush(AnswerSink client, boolean needed) throws ClientGone {
        if (!needed) {
            return;
        }
        try {
            client.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    private static void keepAlive(AnswerSink client) throws ClientGone {
        try {
            client.keepAlive();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }
}

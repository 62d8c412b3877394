package io.maas.gateway.relay;

import io.maas.gateway.admission.Demand;
import io.maas.gateway.routing.PromptBlocks;
import java.util.OptionalLong;
import tools.jackson.databind.node.ObjectNode;

/**
 * A chat request as the gateway accepted it ({@link RequestParser}), parsed once and never changed
 * afterwards: what admission reasons about and what the engine is sent are both derived from it.
 *
 * <p>The engine's body is built once, just before the call ({@link #engineBody}): the allow-listed
 * members the client sent, its output cap replaced by the one admission reserved (always present,
 * whether the client set one or not), and, for a stream, {@code stream_options.include_usage} so
 * that the engine reports what it did.
 *
 * @param api            the engine API that answers it: chat completions, or (fill-in-the-middle) completions
 * @param model          the model name the client asked for
 * @param stream         whether the answer is streamed
 * @param clientWantsUsage whether the client asked for the usage chunk of a stream
 * @param outputTokens   the output cap the client asked for ({@code max_completion_tokens} or {@code max_tokens},
 *                       the larger when both are set); empty when it set none
 * @param promptBytes    UTF-8 bytes of the members that become the prompt ({@code messages}, {@code tools})
 * @param forwarded      the allow-listed members, without the output cap and {@code stream_options}; private to
 *                       this record (copied in, copied out)
 * @param prompt         the prompt's chained block hashes, which the router matches against what each engine holds
 */
public record ChatRequest(Api api, String model, boolean stream, boolean clientWantsUsage, OptionalLong outputTokens, long promptBytes,
                   ObjectNode forwarded, PromptBlocks prompt) {

    /** The engine endpoint a request is sent to; both are OpenAI's (and vLLM's, and the engine adapter's). */
    public enum Api {
        CHAT_COMPLETIONS("/v1/chat/completions"),
        COMPLETIONS("/v1/completions");

        private final String path;

        Api(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    public ChatRequest {
        forwarded = forwarded.deepCopy();
    }

    @Override
    public ObjectNode forwarded() {
        return forwarded.deepCopy();
    }

    /** What admission needs to know of this request. */
    Demand demand(String requestId) {
        return new Demand(requestId, model, outputTokens, promptBytes);
    }

    /** The body for the engine: the forwarded members with {@code max_tokens} = {@code outputCap}, the cap admission reserved. */
    ObjectNode engineBody(long outputCap) {
        ObjectNode body = forwarded.deepCopy();
        body.put("max_tokens", outputCap);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }
}

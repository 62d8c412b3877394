package io.maas.gateway.batch;

import io.maas.api.openai.ApiException;
import io.maas.api.openai.Batch;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.relay.ChatRequest;
import io.maas.gateway.relay.RequestParser;
import io.maas.gateway.routing.ModelRoutes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A batch's input file read and checked line by line, as OpenAI's batch format has it: each non-blank line a
 * JSON object {@code {"custom_id", "method": "POST", "url", "body"}}, {@code custom_id} unique in the file,
 * {@code url} the batch's endpoint, {@code body} a request that endpoint accepts ({@link RequestParser}: the same
 * refusals as online, by {@code param}) for a model the batch's key may call, never streamed. The endpoints are
 * chat completions and FIM completions ({@link ChatRequest.Api}). Every problem is
 * collected with its line number (at most {@value #MAX_ERRORS} are reported); a file with any is refused whole.
 */
final class BatchInput {

    static final int MAX_ERRORS = 100;

    /** One request of the file: {@code lineNo} 1-based, {@code body} the request as JSON text. */
    record Line(int lineNo, String customId, String model, String body) {
    }

    /** The lines when {@code errors} is empty. */
    record Checked(List<Line> lines, List<Batch.Error> errors) {
    }

    private final RequestParser parser;
    private final ModelRoutes routes;
    private final JsonMapper json;

    BatchInput(RequestParser parser, ModelRoutes routes, JsonMapper json) {
        this.parser = parser;
        this.routes = routes;
        this.json = json;
    }

    /** The API whose path is {@code endpoint}, if a batch may call it. */
    static Optional<ChatRequest.Api> api(String endpoint) {
        return Arrays.stream(ChatRequest.Api.values()).filter(api -> api.path().equals(endpoint)).findFirst();
    }

    /** {@code body} parsed as a request of {@code endpoint}, as online requests are parsed. */
    static ChatRequest parse(RequestParser parser, String endpoint, JsonNode body) {
        return switch (api(endpoint).orElseThrow()) {
            case CHAT_COMPLETIONS -> parser.parse(body);
            case COMPLETIONS -> parser.parseCompletion(body);
        };
    }

    Checked check(InputStream file, String endpoint, CallerKey caller, int maxLines) {
        List<Line> lines = new ArrayList<>();
        List<Batch.Error> errors = new ArrayList<>();
        Set<String> customIds = new HashSet<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        try (var reader = new BufferedReader(new InputStreamReader(file, decoder))) {
            int lineNo = 0;
            for (String text = reader.readLine(); text != null && errors.size() < MAX_ERRORS; text = reader.readLine()) {
                lineNo++;
                if (text.isBlank()) {
                    continue;
                }
                if (lines.size() + errors.size() >= maxLines) {
                    errors.add(new Batch.Error("too_many_requests", "The file has more than " + maxLines
                            + " requests, the most a batch may have here. Split it into several batches.", null, lineNo));
                    break;
                }
                try {
                    Line line = line(lineNo, text, endpoint, caller);
                    if (!customIds.add(line.customId())) {
                        throw new Problem("duplicate_custom_id", "custom_id '" + line.customId()
                                + "' appears more than once; each request needs its own.", "custom_id");
                    }
                    lines.add(line);
                } catch (Problem p) {
                    errors.add(new Batch.Error(p.code, p.getMessage(), p.param, lineNo));
                }
            }
        } catch (CharacterCodingException e) {
            errors.add(new Batch.Error("invalid_file", "The file is not UTF-8 text.", null, null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a batch's input file", e);
        }
        if (lines.isEmpty() && errors.isEmpty()) {
            errors.add(new Batch.Error("empty_file", "The file has no requests: put one JSON request per line.", null, null));
        }
        return new Checked(errors.isEmpty() ? List.copyOf(lines) : List.of(), List.copyOf(errors));
    }

    private Line line(int lineNo, String text, String endpoint, CallerKey caller) {
        JsonNode tree;
        try {
            tree = json.readTree(text);
        } catch (JacksonException e) {
            throw new Problem("invalid_json", "Line " + lineNo + " is not valid JSON: " + e.getOriginalMessage(), null);
        }
        if (!(tree instanceof ObjectNode request)) {
            throw new Problem("invalid_request", "Each line must be a JSON object with custom_id, method, url and body.", null);
        }
        JsonNode customId = request.get("custom_id");
        if (customId == null || !customId.isString() || customId.asString().isEmpty()) {
            throw new Problem("missing_required_parameter", "'custom_id' must be a non-empty string.", "custom_id");
        }
        JsonNode method = request.get("method");
        if (method == null || !"POST".equals(method.asString(""))) {
            throw new Problem("invalid_value", "'method' must be \"POST\".", "method");
        }
        JsonNode url = request.get("url");
        if (url == null || !endpoint.equals(url.asString(""))) {
            throw new Problem("invalid_url", "'url' must be the batch's endpoint \"" + endpoint + "\".", "url");
        }
        JsonNode body = request.get("body");
        if (!(body instanceof ObjectNode)) {
            throw new Problem("invalid_request", "'body' must be the request as a JSON object.", "body");
        }
        ChatRequest chat;
        try {
            chat = parse(parser, endpoint, body);
            routes.resolve(chat.model(), caller);
        } catch (ApiException refused) {
            throw new Problem(refused.error().code(), refused.getMessage(), refused.param() == null ? "body" : "body." + refused.param());
        }
        if (chat.stream()) {
            throw new Problem("invalid_value", "A batch's requests are not streamed: leave out 'stream' or set it to false.", "body.stream");
        }
        return new Line(lineNo, customId.asString(), chat.model(), json.writeValueAsString(body));
    }

    /** What is wrong with one line. */
    private static final class Problem extends RuntimeException {

        private final String code;
        private final String param;

        Problem(String code, String message, String param) {
            super(message, null, false, false);
            this.code = code;
            this.param = param;
        }
    }
}

package io.maas.gateway.batch;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.Batch;
import io.maas.api.openai.FileObject;
import io.maas.api.openai.ListPage;
import io.maas.gateway.auth.CallerKey;
import io.maas.gateway.files.Pages;
import io.maas.gateway.files.StoredFile;
import io.maas.gateway.files.StoredFiles;
import io.maas.gateway.relay.ChatRequest;
import io.maas.gateway.relay.RequestParser;
import io.maas.gateway.routing.ModelRoutes;
import java.io.InputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Batch API: {@code POST /v1/batches}, {@code GET /v1/batches/{id}}, {@code GET /v1/batches} ({@code after},
 * {@code limit}), {@code POST /v1/batches/{id}/cancel}. The input file's lines are checked when the batch is created
 * ({@link BatchInput}); a file with problems makes a {@code failed} batch whose {@code errors} name each line, as at
 * OpenAI. One extension: {@code schedule} is {@code "off_peak"} (the default: in the off-peak tiers of the tenant's
 * price book, at the batch price) or {@code "asap"} (as soon as engines have spare room, at the online price).
 * {@link BatchRunner} runs them.
 */
@RestController
class BatchesController {

    private static final Set<String> MEMBERS = Set.of("input_file_id", "endpoint", "completion_window", "metadata", "schedule");
    private static final int MAX_METADATA = 16;
    private static final int MAX_PAGE = 100;
    private static final int DEFAULT_PAGE = 20;

    private final Batches batches;
    private final StoredFiles files;
    private final BatchInput input;
    private final Clock clock;
    private final int maxLines;

    BatchesController(Batches batches, StoredFiles files, RequestParser parser, ModelRoutes routes, JsonMapper json, Clock clock,
                      BatchProperties properties) {
        this.batches = batches;
        this.files = files;
        this.input = new BatchInput(parser, routes, json);
        this.clock = clock;
        this.maxLines = properties.maxLines();
    }

    @PostMapping("/v1/batches")
    Batch create(CallerKey caller, @RequestBody(required = false) JsonNode body) throws IOException {
        if (!(body instanceof ObjectNode request)) {
            throw invalid("Send a JSON object with input_file_id, endpoint and completion_window.", null);
        }
        for (String member : request.propertyNames()) {
            if (!MEMBERS.contains(member)) {
                throw invalid("Unknown parameter '" + member + "'.", member);
            }
        }
        String inputFileId = string(request, "input_file_id");
        String endpoint = string(request, "endpoint");
        if (BatchInput.api(endpoint).isEmpty()) {
            throw invalid("'endpoint' must be \"" + ChatRequest.Api.CHAT_COMPLETIONS.path() + "\" or \"" + ChatRequest.Api.COMPLETIONS.path()
                    + "\" (was \"" + endpoint + "\"): the endpoints batches run here.", "endpoint");
        }
        String window = string(request, "completion_window");
        if (!window.equals(Batch.COMPLETION_WINDOW)) {
            throw invalid("'completion_window' must be \"24h\" (was \"" + window + "\").", "completion_window");
        }
        boolean sooner = schedule(request.get("schedule"));
        Map<String, String> metadata = metadata(request.get("metadata"));
        StoredFile file = files.get(caller.tenantId(), inputFileId);
        if (!file.purpose().equals(FileObject.PURPOSE_BATCH)) {
            throw invalid("File " + inputFileId + " has purpose '" + file.purpose() + "'; a batch reads a file uploaded with purpose 'batch'.",
                    "input_file_id");
        }
        BatchInput.Checked checked;
        try (InputStream content = files.open(file)) {
            checked = input.check(content, endpoint, caller, maxLines);
        }
        return batches.create(caller, inputFileId, endpoint, window, sooner, metadata, checked, clock.instant(), Duration.ofHours(24));
    }

    @GetMapping("/v1/batches/{id}")
    Batch get(CallerKey caller, @PathVariable String id) {
        return batches.get(caller.tenantId(), id);
    }

    @GetMapping("/v1/batches")
    ListPage<Batch> list(CallerKey caller, @RequestParam(name = "after", required = false) String after,
                         @RequestParam(name = "limit", required = false) String limit) {
        int max = Pages.limit(limit, DEFAULT_PAGE, MAX_PAGE);
        List<Batch> page = batches.list(caller.tenantId(), after, max);
        return ListPage.of(page.stream().limit(max).toList(), Batch::id, page.size() > max);
    }

    @PostMapping("/v1/batches/{id}/cancel")
    Batch cancel(CallerKey caller, @PathVariable String id) {
        return batches.cancel(caller.tenantId(), id, clock.instant());
    }

    private static String string(ObjectNode request, String member) {
        JsonNode value = request.get(member);
        if (value == null || value.isNull()) {
            throw invalid("Missing required parameter '" + member + "'.", member);
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw invalid("'" + member + "' must be a non-empty string.", member);
        }
        return value.asString();
    }

    /** Whether the batch asked to run as soon as possible ({@code schedule: "asap"}) rather than off-peak. */
    private static boolean schedule(JsonNode schedule) {
        if (schedule == null || schedule.isNull()) {
            return false;
        }
        if (schedule.isString() && schedule.asString().equals(Batch.SCHEDULE_OFF_PEAK)) {
            return false;
        }
        if (schedule.isString() && schedule.asString().equals(Batch.SCHEDULE_ASAP)) {
            return true;
        }
        throw invalid("'schedule' must be \"off_peak\" (the default: in the off-peak hours of your price book, at the batch price)"
                + " or \"asap\" (as soon as engines have room, at the online price).", "schedule");
    }

    /** OpenAI's metadata: at most 16 string pairs, keys up to 64 characters, values up to 512. */
    private Map<String, String> metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return null;
        }
        if (!(metadata instanceof ObjectNode pairs) || pairs.size() > MAX_METADATA) {
            throw invalid("'metadata' must be an object of at most 16 string values.", "metadata");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (var pair : pairs.properties()) {
            if (pair.getKey().length() > 64 || !pair.getValue().isString() || pair.getValue().asString().length() > 512) {
                throw invalid("'metadata." + pair.getKey() + "' must be a string of at most 512 characters under a key of at most 64.",
                        "metadata");
            }
            result.put(pair.getKey(), pair.getValue().asString());
        }
        return result;
    }

    private static ApiException invalid(String message, String param) {
        return new ApiException(ApiError.INVALID_REQUEST, message, param);
    }
}

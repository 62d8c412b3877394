package io.maas.console.system;

import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An RFC 9457 problem tenant-service (or the gateway) answered, carried to the page that caused
 * it. {@code fieldErrors} maps the request's fields to what was wrong with them, when the API said.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final transient Map<String, String> fieldErrors;
    private final transient JsonNode body;

    public ApiProblem(int status, String detail, Map<String, String> fieldErrors) {
        this(status, detail, fieldErrors, null);
    }

    ApiProblem(int status, String detail, Map<String, String> fieldErrors, JsonNode body) {
        super(detail);
        this.status = status;
        this.fieldErrors = Map.copyOf(fieldErrors);
        this.body = body;
    }

    public int status() {
        return status;
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** A member the API added to its problem beyond the standard ones (e.g. a refused deployment's {@code fit}). */
    public Optional<JsonNode> extension(String name) {
        return body == null || !body.hasNonNull(name) ? Optional.empty() : Optional.of(body.get(name));
    }

    /** The message for {@code field}: the API's own for it, else its overall detail. */
    public Map<String, String> onField(String field) {
        return fieldErrors.isEmpty() ? Map.of(field, getMessage()) : fieldErrors;
    }
}

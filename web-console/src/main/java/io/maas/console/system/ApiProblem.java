package io.maas.console.system;

import java.util.Map;

/**
 * An RFC 9457 problem tenant-service (or the gateway) answered, carried to the page that caused
 * it. {@code fieldErrors} maps the request's fields to what was wrong with them, when the API said.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final transient Map<String, String> fieldErrors;

    public ApiProblem(int status, String detail, Map<String, String> fieldErrors) {
        super(detail);
        this.status = status;
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    public int status() {
        return status;
    }

    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    /** The message for {@code field}: the API's own for it, else its overall detail. */
    public Map<String, String> onField(String field) {
        return fieldErrors.isEmpty() ? Map.of(field, getMessage()) : fieldErrors;
    }
}

package io.maas.tenant.system;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, with the status and a message that says what was wrong and what
 * to do. Turned into an RFC 9457 problem detail by {@link ProblemDetails}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public ApiException(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /** Extra members of the problem detail ({@code field}, a fit report), in the order added. */
    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }

    /** Adds a member to the problem detail. */
    public ApiException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** 400 or 422 naming the request field that is wrong, as the problem detail's {@code field}. */
    public static ApiException invalid(HttpStatus status, String field, String detail) {
        return new ApiException(status, detail).with("field", field);
    }

    /**
     * 404. Also the answer for a resource of another tenant: a caller never learns that something
     * exists that it may not see.
     */
    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, what + " '" + id + "' does not exist or is not visible to you.");
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail);
    }

    /** 403: only for actions inside the caller's own tenant (or platform-wide) that its role may not take. */
    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, detail);
    }
}

package io.maas.tenant.system;

import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, with the status and a message that says what was wrong and what
 * to do. Turned into an RFC 9457 problem detail by {@link ProblemDetails}.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    public ApiException(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
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

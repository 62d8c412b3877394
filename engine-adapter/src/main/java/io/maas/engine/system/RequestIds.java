package io.maas.engine.system;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.RequestId;
import java.util.regex.Pattern;

/**
 * Request ids: the gateway's {@code X-Request-Id} when it sends one, else a new one. An id names the
 * request's receipt and its completion ({@code chatcmpl-<id>}), so it must be safe in a URL path.
 */
public final class RequestIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    public static String resolve(String header) {
        if (header == null || header.isBlank()) {
            return RequestId.next();
        }
        if (!VALID.matcher(header).matches()) {
            throw new ApiException(ApiError.INVALID_REQUEST,
                    RequestId.HEADER + " must be 1 to 128 letters, digits or . _ : -", RequestId.HEADER);
        }
        return header;
    }
}

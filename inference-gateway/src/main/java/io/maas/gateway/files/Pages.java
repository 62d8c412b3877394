package io.maas.gateway.files;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;

/** The {@code limit} of a paginated list ({@code /v1/files}, {@code /v1/batches}). */
public final class Pages {

    private Pages() {
    }

    /** {@code limit} as given (null: {@code fallback}), which must be 1 to {@code max}; else 400 naming it. */
    public static int limit(String limit, int fallback, int max) {
        if (limit == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(ApiError.INVALID_REQUEST, "'limit' must be a whole number from 1 to " + max + " (was '" + limit + "').", "limit");
    }
}

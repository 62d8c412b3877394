package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A batch of OpenAI's Batch API ({@code /v1/batches}), with one extension: {@code schedule}, when the
 * platform runs it ({@link #SCHEDULE_OFF_PEAK}, the default, or {@link #SCHEDULE_ASAP}). Timestamps are Unix
 * seconds, null until the batch gets there.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Batch(
        String id,
        String object,
        String endpoint,
        Errors errors,
        @JsonProperty("input_file_id") String inputFileId,
        @JsonProperty("completion_window") String completionWindow,
        String status,
        @JsonProperty("output_file_id") String outputFileId,
        @JsonProperty("error_file_id") String errorFileId,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("in_progress_at") Long inProgressAt,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("finalizing_at") Long finalizingAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("failed_at") Long failedAt,
        @JsonProperty("expired_at") Long expiredAt,
        @JsonProperty("cancelling_at") Long cancellingAt,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("request_counts") RequestCounts requestCounts,
        Map<String, String> metadata,
        String schedule) {

    /** The one completion window there is, as at OpenAI. */
    public static final String COMPLETION_WINDOW = "24h";
    /** Run in the off-peak tiers of the tenant's price book, at the batch price. */
    public static final String SCHEDULE_OFF_PEAK = "off_peak";
    /** Run as soon as engines have room to spare, at the online price. */
    public static final String SCHEDULE_ASAP = "asap";

    /** How many requests the batch has, and how many of them ended well or badly so far. */
    public record RequestCounts(long total, long completed, long failed) {
    }

    /** Why a batch failed validation: one entry per problem found in its input file. */
    public record Errors(String object, List<Error> data) {

        public static Errors of(List<Error> errors) {
            return new Errors("list", List.copyOf(errors));
        }
    }

    /** One problem: {@code line} is the input file's line (1-based), null for the file as a whole. */
    public record Error(String code, String message, String param, Integer line) {
    }
}

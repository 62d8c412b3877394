package io.maas.api.openai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A file of OpenAI's Files API ({@code /v1/files}). {@code status} is always {@code processed}: a file is
 * stored whole before it is described.
 *
 * @param createdAt Unix seconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileObject(String id, String object, long bytes, @JsonProperty("created_at") long createdAt, String filename,
                         String purpose, String status) {

    /** The purpose of an uploaded batch input. */
    public static final String PURPOSE_BATCH = "batch";
    /** The purpose of the output and error files a batch writes. */
    public static final String PURPOSE_BATCH_OUTPUT = "batch_output";

    public static FileObject of(String id, long bytes, long createdAt, String filename, String purpose) {
        return new FileObject(id, "file", bytes, createdAt, filename, purpose, "processed");
    }

    /** {@code DELETE /v1/files/{id}}. */
    public record Deleted(String id, String object, boolean deleted) {

        public static Deleted of(String id) {
            return new Deleted(id, "file", true);
        }
    }
}

package io.maas.gateway.files;

import io.maas.api.openai.FileObject;
import java.time.Instant;
import java.util.UUID;

/** A tenant's file as PostgreSQL describes it; its bytes are in the {@link FileStore} under {@code id}. */
public record StoredFile(String id, UUID tenantId, String purpose, String filename, long bytes, Instant createdAt) {

    /** As OpenAI's Files API shows it. */
    public FileObject object() {
        return FileObject.of(id, bytes, createdAt.getEpochSecond(), filename, purpose);
    }
}

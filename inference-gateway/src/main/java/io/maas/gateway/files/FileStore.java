package io.maas.gateway.files;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where the bytes of tenants' files live, by file id; what a file is and whose lives in PostgreSQL
 * ({@link StoredFiles}). The disk store is the default; an object store (S3, OSS, OBS) implements the
 * same three calls.
 *
 * <p>Rules: {@link #put} makes the content durable before it returns and never leaves a partial file
 * under {@code id} (written elsewhere and moved); ids are never reused, so a put never replaces
 * another file's content. {@link #delete} of an id that is not there does nothing.
 */
public interface FileStore {

    /** Stores {@code content} under {@code id}; returns the number of bytes stored. */
    long put(String id, InputStream content) throws IOException;

    /** The content stored under {@code id}; {@link java.nio.file.NoSuchFileException} when there is none. */
    InputStream open(String id) throws IOException;

    /** Removes the content stored under {@code id}. */
    void delete(String id) throws IOException;
}

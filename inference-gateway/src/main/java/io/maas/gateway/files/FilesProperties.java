package io.maas.gateway.files;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code platform.gateway.files.*}: where tenants' files ({@code POST /v1/files}) are kept and how big one may be.
 * Several gateway replicas must share {@code dir} (a shared volume), or use another {@link FileStore}.
 *
 * @param dir     the directory of the disk store; must outlive the process
 * @param maxSize a larger upload is refused with 413 (also the servlet's multipart limit, see application.yml)
 */
@Validated
@ConfigurationProperties("platform.gateway.files")
public record FilesProperties(@DefaultValue("files") Path dir, @DefaultValue("100MB") DataSize maxSize) {
}

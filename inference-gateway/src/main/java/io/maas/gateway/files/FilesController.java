package io.maas.gateway.files;

import io.maas.api.openai.ApiError;
import io.maas.api.openai.ApiException;
import io.maas.api.openai.FileObject;
import io.maas.api.openai.ListPage;
import io.maas.gateway.auth.CallerKey;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * OpenAI's Files API for batch input: {@code POST /v1/files} (multipart: {@code file} and {@code purpose=batch}),
 * {@code GET /v1/files}, {@code GET /v1/files/{id}}, {@code GET /v1/files/{id}/content}, {@code DELETE /v1/files/{id}}.
 * Each tenant sees its own files. An upload over {@code platform.gateway.files.max-size} is 413; its lines are
 * checked when a batch is created from it, where a problem can be named by line.
 */
@RestController
class FilesController {

    private static final int MAX_PAGE = 10_000;

    private final StoredFiles files;
    private final long maxBytes;

    FilesController(StoredFiles files, FilesProperties properties) {
        this.files = files;
        this.maxBytes = properties.maxSize().toBytes();
    }

    @PostMapping(path = "/v1/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    FileObject upload(CallerKey caller, @RequestParam(name = "purpose", required = false) String purpose,
                      @RequestParam(name = "file", required = false) Part file) throws IOException {
        if (purpose == null || purpose.isBlank()) {
            throw new ApiException(ApiError.INVALID_REQUEST, "Missing 'purpose': send purpose=batch.", "purpose");
        }
        if (!purpose.equals(FileObject.PURPOSE_BATCH)) {
            throw new ApiException(ApiError.INVALID_REQUEST, "'purpose' must be 'batch' here (was '" + purpose
                    + "'): this platform keeps files for the Batch API only.", "purpose");
        }
        if (file == null || file.getSubmittedFileName() == null) {
            throw new ApiException(ApiError.INVALID_REQUEST, "Missing 'file': send the JSONL file as the multipart part 'file'.", "file");
        }
        if (file.getSize() > maxBytes) {
            throw tooLarge(file.getSize());
        }
        if (file.getSize() == 0) {
            throw new ApiException(ApiError.INVALID_REQUEST, "The file is empty: a batch input file has one request per line.", "file");
        }
        try (InputStream content = file.getInputStream()) {
            return files.create(caller.tenantId(), purpose, file.getSubmittedFileName(), content).object();
        }
    }

    @GetMapping("/v1/files")
    ListPage<FileObject> list(CallerKey caller, @RequestParam(name = "purpose", required = false) String purpose,
                              @RequestParam(name = "after", required = false) String after,
                              @RequestParam(name = "limit", required = false) String limit) {
        int max = Pages.limit(limit, MAX_PAGE, MAX_PAGE);
        List<StoredFile> page = files.list(caller.tenantId(), purpose, after, max);
        return ListPage.of(page.stream().limit(max).map(StoredFile::object).toList(), FileObject::id, page.size() > max);
    }

    @GetMapping("/v1/files/{id}")
    FileObject get(CallerKey caller, @PathVariable String id) {
        return files.get(caller.tenantId(), id).object();
    }

    @GetMapping("/v1/files/{id}/content")
    void content(CallerKey caller, @PathVariable String id, HttpServletResponse response) throws IOException {
        StoredFile file = files.get(caller.tenantId(), id);
        try (InputStream content = files.open(file)) {
            response.setStatus(200);
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setContentLengthLong(file.bytes());
            content.transferTo(response.getOutputStream());
        }
    }

    @DeleteMapping("/v1/files/{id}")
    FileObject.Deleted delete(CallerKey caller, @PathVariable String id) {
        files.delete(caller.tenantId(), id);
        return FileObject.Deleted.of(id);
    }

    private ApiException tooLarge(long bytes) {
        return new ApiException(ApiError.REQUEST_TOO_LARGE, "The file has " + bytes + " bytes; files may have at most " + maxBytes
                + " bytes here (platform.gateway.files.max-size). Split the batch into several files.", "file");
    }
}

package io.maas.tenant.apikey;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/tenants/{tenantId}/api-keys}; who may do what is written on {@link ApiKeys}. */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/api-keys")
class ApiKeyController {

    /**
     * @param expiresAt     when the key stops working (optional)
     * @param allowedModels the models the key may call (optional: every model)
     */
    record CreateKey(@NotBlank @Size(max = 100) String name, Instant expiresAt,
                     @Size(min = 1, message = "must name at least one model, or be left out for every model")
                     List<@NotBlank String> allowedModels) {
    }

    /** The one answer that carries the secret: store it now, it is not shown again. */
    record CreatedKey(ApiKeyView key, String secret) {
    }

    private final ApiKeys keys;

    ApiKeyController(ApiKeys keys) {
        this.keys = keys;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    CreatedKey create(@PathVariable UUID tenantId, @Valid @RequestBody CreateKey request) {
        ApiKeys.Created created = keys.create(tenantId, request.name(), request.expiresAt(), request.allowedModels());
        return new CreatedKey(created.key(), created.secret());
    }

    @GetMapping
    List<ApiKeyView> list(@PathVariable UUID tenantId) {
        return keys.list(tenantId);
    }

    @GetMapping("/{keyId}")
    ApiKeyView get(@PathVariable UUID tenantId, @PathVariable UUID keyId) {
        return keys.get(tenantId, keyId);
    }

    @PostMapping("/{keyId}/revoke")
    ApiKeyView revoke(@PathVariable UUID tenantId, @PathVariable UUID keyId) {
        return keys.revoke(tenantId, keyId);
    }
}

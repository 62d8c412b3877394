package io.maas.console.keys;

import io.maas.console.system.ApiProblem;
import io.maas.console.system.ConsoleUser;
import io.maas.console.system.Formats;
import io.maas.console.system.TenantApi;
import io.maas.console.system.TenantBook;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * API keys of the signed-in person's tenant (a developer sees its own, as tenant-service decides):
 * create, with the secret shown once on the answer page and nowhere else; revoke.
 */
@Controller
@RequestMapping("/keys")
class KeysController {

    record Key(UUID id, UUID tenantId, String name, String prefix, UUID ownerId, Instant createdAt, Instant lastUsedAt,
               Instant expiresAt, Instant revokedAt, List<String> allowedModels, String status) {
    }

    record Created(Key key, String secret) {
    }

    private static final ParameterizedTypeReference<List<Key>> KEYS = new ParameterizedTypeReference<>() { };

    private final TenantApi api;
    private final TenantBook book;
    private final Formats formats;

    KeysController(TenantApi api, TenantBook book, Formats formats) {
        this.api = api;
        this.book = book;
        this.formats = formats;
    }

    @GetMapping
    ModelAndView list() {
        return view(Map.of(), null, HttpStatus.OK);
    }

    /**
     * @param expiresAt     a local date and time in the viewer's zone (optional)
     * @param allowedModels the models the key may call; none: every model
     */
    @PostMapping
    ModelAndView create(@RequestParam String name, @RequestParam(defaultValue = "") String expiresAt,
                        @RequestParam(required = false) String[] allowedModels) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (!expiresAt.isBlank()) {
            try {
                body.put("expiresAt", LocalDateTime.parse(expiresAt).atZone(formats.zone()).toInstant().toString());
            } catch (DateTimeParseException e) {
                return view(Map.of("expiresAt", "not a date and time: " + expiresAt), null, HttpStatus.BAD_REQUEST);
            }
        }
        if (allowedModels != null && allowedModels.length > 0) {
            body.put("allowedModels", Arrays.asList(allowedModels));
        }
        try {
            Created created = api.post(body, Created.class, "/api/v1/tenants/{tenant}/api-keys", tenant());
            return view(Map.of(), created, HttpStatus.CREATED);
        } catch (ApiProblem problem) {
            String field = problem.getMessage().startsWith("expiresAt") ? "expiresAt" : "name";
            return view(problem.onField(field), null, HttpStatus.valueOf(problem.status()));
        }
    }

    /** With htmx, the key's row alone comes back and replaces the old one; a plain form post goes back to the list. */
    @PostMapping("/{id}/revoke")
    ModelAndView revoke(@PathVariable UUID id, @RequestHeader(name = "HX-Request", required = false) String htmx) {
        Key key = api.post(null, Key.class, "/api/v1/tenants/{tenant}/api-keys/{id}/revoke", tenant(), id);
        if (htmx == null) {
            return new ModelAndView("redirect:/keys?revoked");
        }
        ModelAndView row = new ModelAndView("keys/list :: row");
        row.addObject("keys", List.of(key));
        return row;
    }

    private ModelAndView view(Map<String, String> errors, Created created, HttpStatus status) {
        ModelAndView view = new ModelAndView("keys/list", status);
        view.addObject("keys", api.get(KEYS, "/api/v1/tenants/{tenant}/api-keys", tenant()));
        view.addObject("models", book.models(tenant()));
        view.addObject("created", created);
        view.addObject("errors", errors);
        return view;
    }

    private static UUID tenant() {
        ConsoleUser me = TenantApi.current();
        return me.tenantId();
    }
}

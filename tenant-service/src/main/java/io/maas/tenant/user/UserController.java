package io.maas.tenant.user;

import io.maas.api.tenant.Role;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * People. {@code GET /api/v1/users/me} and {@code PUT /api/v1/users/me/password} (with the current
 * password): anyone. {@code POST /api/v1/users}: platform roles by {@code PLATFORM_ADMIN}, tenant roles by
 * {@code PLATFORM_ADMIN} or that tenant's {@code TENANT_ADMIN}. {@code /api/v1/users/{id}/…} (platform
 * users: disable, password): {@code PLATFORM_ADMIN}. {@code /api/v1/tenants/{id}/users/…}:
 * {@code PLATFORM_ADMIN}, the tenant's {@code TENANT_ADMIN}.
 */
@RestController
class UserController {

    record CreateUser(@NotBlank @Pattern(regexp = "[A-Za-z0-9._@-]{2,64}",
            message = "must be 2-64 letters, digits, '.', '_', '@' or '-'") String username,
                      @NotNull @Size(min = 12, max = 128, message = "must be 12 to 128 characters") String password,
                      @NotNull Role role,
                      UUID tenantId) {
    }

    record ChangePassword(@NotNull String currentPassword,
                          @NotNull @Size(min = 12, max = 128, message = "must be 12 to 128 characters") String newPassword) {
    }

    record ResetPassword(@NotNull @Size(min = 12, max = 128, message = "must be 12 to 128 characters") String newPassword) {
    }

    private final Users users;

    UserController(Users users) {
        this.users = users;
    }

    @GetMapping("/api/v1/users/me")
    UserView me() {
        return users.me();
    }

    @PostMapping("/api/v1/users")
    @ResponseStatus(HttpStatus.CREATED)
    UserView create(@Valid @RequestBody CreateUser request) {
        return users.create(request.username(), request.password(), request.role(), request.tenantId());
    }

    @GetMapping("/api/v1/users")
    List<UserView> platformUsers() {
        return users.platformUsers();
    }

    @GetMapping("/api/v1/tenants/{tenantId}/users")
    List<UserView> ofTenant(@PathVariable UUID tenantId) {
        return users.ofTenant(tenantId);
    }

    @PostMapping("/api/v1/tenants/{tenantId}/users/{userId}/disable")
    UserView disable(@PathVariable UUID tenantId, @PathVariable UUID userId) {
        return users.disable(tenantId, userId);
    }

    @PostMapping("/api/v1/users/{userId}/disable")
    UserView disablePlatformUser(@PathVariable UUID userId) {
        return users.disable(null, userId);
    }

    @PutMapping("/api/v1/users/me/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changeOwnPassword(@Valid @RequestBody ChangePassword request) {
        users.changeOwnPassword(request.currentPassword(), request.newPassword());
    }

    @PutMapping("/api/v1/users/{userId}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetPlatformUserPassword(@PathVariable UUID userId, @Valid @RequestBody ResetPassword request) {
        users.resetPassword(null, userId, request.newPassword());
    }

    @PutMapping("/api/v1/tenants/{tenantId}/users/{userId}/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void resetPassword(@PathVariable UUID tenantId, @PathVariable UUID userId, @Valid @RequestBody ResetPassword request) {
        users.resetPassword(tenantId, userId, request.newPassword());
    }
}

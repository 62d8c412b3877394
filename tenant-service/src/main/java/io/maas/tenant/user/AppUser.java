package io.maas.tenant.user;

import io.maas.api.tenant.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A person who logs in to the control plane. */
@Entity
@Table(name = "app_user")
class AppUser {

    @Id
    private UUID id;
    private String username;
    @Column(name = "password_hash")
    private String passwordHash;
    @Enumerated(EnumType.STRING)
    private Role role;
    @Column(name = "tenant_id")
    private UUID tenantId;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "disabled_at")
    private Instant disabledAt;

    protected AppUser() {
    }

    AppUser(String username, String passwordHash, Role role, UUID tenantId, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role;
        this.tenantId = tenantId;
        this.createdAt = createdAt;
    }

    UUID id() { return id; }
    String username() { return username; }
    String passwordHash() { return passwordHash; }
    Role role() { return role; }
    UUID tenantId() { return tenantId; }
    Instant createdAt() { return createdAt; }
    Instant disabledAt() { return disabledAt; }

    void changePassword(String newHash) {
        this.passwordHash = newHash;
    }

    void disable(Instant at) {
        this.disabledAt = at;
    }
}

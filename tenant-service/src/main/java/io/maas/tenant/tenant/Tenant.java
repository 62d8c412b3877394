package io.maas.tenant.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer organisation. Never deleted: a deactivated tenant keeps its ledger, statements and
 * audit trail; its keys stop working at every gateway within the key cache time.
 */
@Entity
@Table(name = "tenant")
class Tenant {

    enum Status { ACTIVE, SUSPENDED, DEACTIVATED }

    @Id
    private UUID id;
    private String name;
    @Enumerated(EnumType.STRING)
    private Status status;
    @Column(name = "created_at")
    private Instant createdAt;
    @Column(name = "price_book_id")
    private UUID priceBookId;
    @Enumerated(EnumType.STRING)
    @Column(name = "billing_mode")
    private BillingMode billingMode;
    @Column(name = "credit_limit")
    private BigDecimal creditLimit;

    protected Tenant() {
    }

    Tenant(String name, BillingMode billingMode, BigDecimal creditLimit, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.status = Status.ACTIVE;
        this.billingMode = billingMode;
        this.creditLimit = creditLimit;
        this.createdAt = createdAt;
    }

    UUID id() { return id; }
    String name() { return name; }
    Status status() { return status; }
    UUID priceBookId() { return priceBookId; }
    BillingMode billingMode() { return billingMode; }
    BigDecimal creditLimit() { return creditLimit; }
    Instant createdAt() { return createdAt; }

    void status(Status next) { this.status = next; }
    void priceBook(UUID bookId) { this.priceBookId = bookId; }
    void billing(BillingMode mode, BigDecimal limit) {
        this.billingMode = mode;
        this.creditLimit = limit;
    }
}

package io.maas.tenant.pricing;

import io.maas.pricing.DecidingInstant;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A stored price book: its name and deciding instant; its versions are {@link PriceBookVersionRow}s. */
@Entity
@Table(name = "price_book")
class PriceBookRow {

    @Id
    private UUID id;
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(name = "deciding_instant")
    private DecidingInstant decidingInstant;
    @Column(name = "platform_default")
    private boolean platformDefault;
    @Column(name = "created_at")
    private Instant createdAt;

    protected PriceBookRow() {
    }

    PriceBookRow(String name, DecidingInstant decidingInstant, Instant createdAt) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.decidingInstant = decidingInstant;
        this.createdAt = createdAt;
    }

    UUID id() { return id; }
    String name() { return name; }
    DecidingInstant decidingInstant() { return decidingInstant; }
    boolean platformDefault() { return platformDefault; }
    Instant createdAt() { return createdAt; }

    void platformDefault(boolean value) {
        this.platformDefault = value;
    }
}

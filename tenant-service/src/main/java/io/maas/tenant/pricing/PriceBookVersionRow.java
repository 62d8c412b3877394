package io.maas.tenant.pricing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * One version of a stored book, as the JSON of {@link io.maas.pricing.PriceBookVersion}
 * (written with {@link io.maas.pricing.PricingJson}). Inserted, never updated.
 */
@Entity
@Table(name = "price_book_version")
@IdClass(PriceBookVersionRow.Key.class)
class PriceBookVersionRow {

    static class Key implements Serializable {
        UUID bookId;
        int seq;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.seq == seq && Objects.equals(k.bookId, bookId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(bookId, seq);
        }
    }

    @Id
    @Column(name = "book_id")
    private UUID bookId;
    @Id
    private int seq;
    private String version;
    @Column(name = "effective_from")
    private Instant effectiveFrom;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    private String document;
    @Column(name = "created_at")
    private Instant createdAt;

    protected PriceBookVersionRow() {
    }

    PriceBookVersionRow(UUID bookId, int seq, String version, Instant effectiveFrom, String document, Instant createdAt) {
        this.bookId = bookId;
        this.seq = seq;
        this.version = version;
        this.effectiveFrom = effectiveFrom;
        this.document = document;
        this.createdAt = createdAt;
    }

    int seq() { return seq; }
    String version() { return version; }
    Instant effectiveFrom() { return effectiveFrom; }
    String document() { return document; }
    Instant createdAt() { return createdAt; }
}

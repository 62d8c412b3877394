package io.maas.tenant.pricing;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface PriceBookRepository extends JpaRepository<PriceBookRow, UUID> {

    Optional<PriceBookRow> findByName(String name);

    /** The book locked against concurrent version appends. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select b from PriceBookRow b where b.name = ?1")
    Optional<PriceBookRow> lockByName(String name);

    Optional<PriceBookRow> findByPlatformDefaultTrue();

    /** The book in force for a tenant: the schema's one rule ({@code price_book_in_force}), shared with the gateway. */
    @Query(value = "SELECT price_book_in_force(?1)", nativeQuery = true)
    Optional<UUID> inForceFor(UUID tenantId);

    List<PriceBookRow> findAllByOrderByName();
}

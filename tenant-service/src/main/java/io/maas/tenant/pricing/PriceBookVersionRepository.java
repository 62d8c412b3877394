package io.maas.tenant.pricing;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface PriceBookVersionRepository extends JpaRepository<PriceBookVersionRow, PriceBookVersionRow.Key> {

    List<PriceBookVersionRow> findByBookIdOrderBySeq(UUID bookId);
}

package io.maas.tenant.apikey;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ApiKeyRepository extends JpaRepository<ApiKey, UUID> {

    List<ApiKey> findByTenantIdOrderByCreatedAtDesc(UUID tenantId);

    List<ApiKey> findByTenantIdAndOwnerIdOrderByCreatedAtDesc(UUID tenantId, UUID ownerId);

    Optional<ApiKey> findByIdAndTenantId(UUID id, UUID tenantId);
}

package io.maas.tenant.tenant;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface TenantRepository extends JpaRepository<Tenant, UUID> {

    boolean existsByName(String name);

    List<Tenant> findAllByOrderByName();
}

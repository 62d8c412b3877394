package io.maas.tenant.user;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface UserRepository extends JpaRepository<AppUser, UUID> {

    Optional<AppUser> findByUsername(String username);

    List<AppUser> findByTenantIdOrderByUsername(UUID tenantId);

    List<AppUser> findByTenantIdIsNullOrderByUsername();
}

package io.maas.tenant.user;

import io.maas.api.tenant.Role;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface UserRepository extends JpaRepository<AppUser, UUID> {

    /** Every active user of {@code role}, locked until the transaction ends (in id order, so two callers cannot deadlock). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select u from AppUser u where u.role = :role and u.disabledAt is null order by u.id")
    List<AppUser> lockActive(Role role);

    Optional<AppUser> findByUsername(String username);

    List<AppUser> findByTenantIdOrderByUsername(UUID tenantId);

    List<AppUser> findByTenantIdIsNullOrderByUsername();
}

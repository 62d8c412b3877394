package io.maas.tenant.user;

import io.maas.tenant.system.AccountCheck;
import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CallerDetails;
import java.util.UUID;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Spring Security's view of {@link AppUser}s; a disabled user cannot log in, and its sessions end. */
@Service
class UserAccounts implements UserDetailsService, AccountCheck {

    private final UserRepository users;

    UserAccounts(UserRepository users) {
        this.users = users;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        AppUser user = users.findByUsername(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
        return new CallerDetails(new Caller(user.id(), user.username(), user.role(), user.tenantId()),
                user.passwordHash(), user.disabledAt() == null);
    }

    @Override
    public boolean isCurrent(UUID userId, String credentialsStamp) {
        return users.findById(userId)
                .filter(user -> user.disabledAt() == null && CallerDetails.stamp(user.passwordHash()).equals(credentialsStamp))
                .isPresent();
    }
}

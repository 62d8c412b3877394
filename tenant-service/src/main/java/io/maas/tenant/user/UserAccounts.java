package io.maas.tenant.user;

import io.maas.tenant.system.Caller;
import io.maas.tenant.system.CallerDetails;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Spring Security's view of {@link AppUser}s; a disabled user cannot log in. */
@Service
class UserAccounts implements UserDetailsService {

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
}

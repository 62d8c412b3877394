package io.maas.tenant.system;

import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** A Spring Security user that carries its {@link Caller}. */
public class CallerDetails extends User {

    private final Caller caller;

    public CallerDetails(Caller caller, String passwordHash, boolean enabled) {
        super(caller.username(), passwordHash, enabled, true, true, true,
                List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
        this.caller = caller;
    }

    public Caller caller() {
        return caller;
    }

    @Override
    public boolean equals(Object other) {
        return super.equals(other);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}

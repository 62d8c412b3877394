package io.maas.tenant.user;

import io.maas.tenant.system.ApiException;
import io.maas.tenant.system.PasswordLength;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * New passwords and their hashes. One longer than BCrypt reads ({@link PasswordLength}) is refused
 * with 400 rather than cut short or failing the hash. Passwords are never logged and never audited;
 * only the fact that one changed is.
 */
@Component
class Passwords {

    private final PasswordEncoder encoder;

    Passwords(PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    /** The hash to store for a new {@code password}, given as request member {@code field}. */
    String hash(String field, String password) {
        if (!PasswordLength.fits(password)) {
            throw ApiException.badRequest(field + " must be at most " + PasswordLength.MAX_BYTES + " bytes in UTF-8 (BCrypt reads no more).");
        }
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return PasswordLength.fits(password) && encoder.matches(password, hash);
    }
}

package io.maas.tenant.user;

import io.maas.tenant.system.ApiException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The one rule for passwords and their hashes. BCrypt reads at most {@value #MAX_BYTES} bytes, so a
 * longer password (in UTF-8) is refused with 400 rather than cut short or failing the hash. Passwords
 * are never logged and never audited; only the fact that one changed is.
 */
@Component
class Passwords {

    static final int MAX_BYTES = 72;

    private final PasswordEncoder encoder;

    Passwords(PasswordEncoder encoder) {
        this.encoder = encoder;
    }

    /** The hash to store for a new {@code password}, given as request member {@code field}. */
    String hash(String field, String password) {
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ApiException.badRequest(field + " must be at most " + MAX_BYTES + " bytes in UTF-8 (BCrypt reads no more).");
        }
        return encoder.encode(password);
    }

    boolean matches(String password, String hash) {
        return password.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES && encoder.matches(password, hash);
    }
}

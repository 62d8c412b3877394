package io.maas.tenant.user;

import io.maas.api.keys.ApiKeySecret;
import io.maas.tenant.audit.AuditLog;
import io.maas.tenant.system.Role;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ensures the platform admin {@code admin} exists at start-up. Its password is
 * {@code platform.tenant.admin-password} (from {@code PLATFORM_ADMIN_PASSWORD}) when set — also
 * re-set to it when it changed — otherwise generated once, when the user is created, and printed
 * once in the log: the only secret this service ever prints.
 */
@Component
class BootstrapAdmin implements ApplicationRunner {

    static final String USERNAME = "admin";
    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final UserRepository users;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final String configuredPassword;

    BootstrapAdmin(UserRepository users, PasswordEncoder passwords, AuditLog audit, Clock clock,
                   @Value("${platform.tenant.admin-password:}") String configuredPassword) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.configuredPassword = configuredPassword;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        boolean configured = !configuredPassword.isBlank();
        var existing = users.findByUsername(USERNAME);
        if (existing.isPresent()) {
            AppUser admin = existing.get();
            if (configured && !passwords.matches(configuredPassword, admin.passwordHash())) {
                admin.changePassword(passwords.encode(configuredPassword));
                audit.recordBySystem("user.password", null, "user/" + admin.id(), java.util.Map.of("source", "PLATFORM_ADMIN_PASSWORD"));
                log.info("Bootstrap admin '{}': password set from PLATFORM_ADMIN_PASSWORD", USERNAME);
            }
            return;
        }
        String password = configured ? configuredPassword : ApiKeySecret.generate().substring(ApiKeySecret.SCHEME.length(), 27);
        AppUser admin = users.save(new AppUser(USERNAME, passwords.encode(password), Role.PLATFORM_ADMIN, null, clock.instant()));
        audit.recordBySystem("user.create", null, "user/" + admin.id(), UserView.of(admin));
        if (configured) {
            log.info("Bootstrap admin '{}' created with the password from PLATFORM_ADMIN_PASSWORD", USERNAME);
        } else {
            log.warn("Bootstrap admin '{}' created with generated password {} — shown this once; set PLATFORM_ADMIN_PASSWORD to choose it",
                    USERNAME, password);
        }
    }
}

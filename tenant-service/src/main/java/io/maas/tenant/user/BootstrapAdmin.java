package io.maas.tenant.user;

import io.maas.api.keys.ApiKeySecret;
import io.maas.tenant.audit.AuditLog;
import io.maas.api.tenant.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
 * re-set to it when it changed — otherwise generated once, when the user is created, and written to
 * {@code platform.tenant.admin-password-file} (from {@code PLATFORM_ADMIN_PASSWORD_FILE}), readable
 * by this service's account only. The log names that file, never the password: logs are shipped and
 * kept where secrets must not be. When the file cannot be written the admin is not created (the
 * transaction rolls back) and start-up fails, so no admin exists with a password nobody knows.
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
    private final Path generatedPasswordFile;

    BootstrapAdmin(UserRepository users, PasswordEncoder passwords, AuditLog audit, Clock clock,
                   @Value("${platform.tenant.admin-password:}") String configuredPassword,
                   @Value("${platform.tenant.admin-password-file}") Path generatedPasswordFile) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.configuredPassword = configuredPassword;
        this.generatedPasswordFile = generatedPasswordFile.toAbsolutePath();
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
            writeOwnerOnly(generatedPasswordFile, password);
            log.warn("Bootstrap admin '{}' created with a generated password, written to {} (readable by this account only); "
                    + "set PLATFORM_ADMIN_PASSWORD to choose it", USERNAME, generatedPasswordFile);
        }
    }

    /** Replaces {@code file} atomically with {@code secret}; the file is never readable by others, not even for an instant. */
    private static void writeOwnerOnly(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".admin-password", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, secret + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the generated password of the bootstrap admin to " + file
                    + "; set PLATFORM_ADMIN_PASSWORD_FILE to a writable path, or PLATFORM_ADMIN_PASSWORD to choose the password", e);
        }
    }
}

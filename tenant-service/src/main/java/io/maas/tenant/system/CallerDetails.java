package io.maas.tenant.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/**
 * A Spring Security user that carries its {@link Caller}, and a stamp of the password it logged in
 * with: a session whose stamp no longer matches the stored password (changed since) ends.
 */
public class CallerDetails extends User {

    private final Caller caller;
    private final String credentialsStamp;

    public CallerDetails(Caller caller, String passwordHash, boolean enabled) {
        super(caller.username(), passwordHash, enabled, true, true, true,
                List.of(new SimpleGrantedAuthority("ROLE_" + caller.role().name())));
        this.caller = caller;
        this.credentialsStamp = stamp(passwordHash);
    }

    public Caller caller() {
        return caller;
    }

    /** Tells the stored password hash apart from any other, without holding the hash itself. */
    public String credentialsStamp() {
        return credentialsStamp;
    }

    public static String stamp(String passwordHash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(passwordHash.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
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

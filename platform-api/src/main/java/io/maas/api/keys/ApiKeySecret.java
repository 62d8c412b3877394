package io.maas.api.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * How API keys look and how they are stored; shared by tenant-service (which issues keys) and the
 * gateway (which checks them), so both agree byte for byte.
 *
 * <p>A key is {@code sk-} followed by 48 random base62 characters (about 285 bits). It is stored as
 * its SHA-256 digest plus its first {@value #PREFIX_LENGTH} characters, which are shown in lists so
 * people can tell keys apart. The plaintext is shown once, at creation, and never stored or logged.
 */
public final class ApiKeySecret {

    public static final String SCHEME = "sk-";
    public static final int PREFIX_LENGTH = 11;
    private static final int RANDOM_LENGTH = 48;
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecret() {
    }

    /** Prints a new key: how {@code ./platform up} makes the demo tenant's key. */
    public static void main(String[] args) {
        System.out.println(generate());
    }

    public static String generate() {
        var key = new StringBuilder(SCHEME.length() + RANDOM_LENGTH).append(SCHEME);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return key.toString();
    }

    /** Whether {@code candidate} has the shape of a key: worth a lookup at all. */
    public static boolean isWellFormed(String candidate) {
        if (candidate == null || !candidate.startsWith(SCHEME) || candidate.length() < SCHEME.length() + 32
                || candidate.length() > 256) {
            return false;
        }
        for (int i = SCHEME.length(); i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** The SHA-256 digest under which the key is stored. */
    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The visible part of the key, safe to store, list and log. */
    public static String prefix(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
    }
}

package org.aiflow.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token secrets: 32 random bytes (256 bits, so a plain SHA-256 is a safe one-way hash: no salt or
 * slow hash is needed against guessing, unlike passwords) behind a recognisable prefix.
 */
final class Secrets {
    static final String PREFIX = "aif_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Hex SHA-256 of the secret: what the store keeps. */
    static String hash(String secret) {
        return HexFormat.of().formatHex(sha256(secret.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a token list shows to recognise a secret: its first 12 characters. */
    static String displayPrefix(String secret) {
        return secret.substring(0, Math.min(12, secret.length()));
    }

    /** True if it could be one of our secrets: bounded length, URL-safe Base64 characters. */
    static boolean plausible(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return false;
        }
        for (int i = PREFIX.length(); i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}

package org.aiflow.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * How the client proves who it is: a user and password (HTTP Basic, checked by the platform's
 * login realm) or a token ({@code Authorization: Bearer}, an API token or a task's own token).
 */
public final class Credentials {
    private final String authorization;
    private final String description;

    private Credentials(String authorization, String description) {
        this.authorization = authorization;
        this.description = description;
    }

    public static Credentials basic(String user, String password) {
        if (user == null || user.isEmpty() || user.indexOf(':') >= 0 || password == null) {
            throw new IllegalArgumentException("Basic credentials need a user name without ':' and a password");
        }
        return new Credentials("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)),
                "user " + user);
    }

    public static Credentials bearer(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a bearer token is required");
        }
        return new Credentials("Bearer " + token.trim(), "token");
    }

    String authorization() {
        return authorization;
    }

    @Override
    public String toString() {
        return "Credentials[" + description + "]"; // never the secret
    }
}

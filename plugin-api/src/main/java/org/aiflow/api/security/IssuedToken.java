package org.aiflow.api.security;

/**
 * A token just created, with its secret: the only time the secret is known to the platform.
 *
 * @param token  the stored token
 * @param secret what a client sends as {@code Authorization: Bearer <secret>}
 */
public record IssuedToken(ApiToken token, String secret) {
    @Override
    public String toString() {
        return "IssuedToken[" + token + ", secret=***]";
    }
}

package org.aiflow.api.security;

import java.time.Instant;
import java.util.List;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * A token to create.
 *
 * @param name      1-64 characters {@code A-Z a-z 0-9 _ . -} starting with a letter or digit, unique among tokens not revoked
 * @param principal the principal its calls are recorded as; null: {@code token:<name>}
 * @param grants    at least one grant
 * @param expiresAt when it stops working; null: never
 */
public record TokenDraft(String name, String principal, List<Grant> grants, Instant expiresAt) {
    public TokenDraft {
        Names.identifier("token name", name);
        if (name.length() > 64) {
            throw new ValidationException("token name is longer than 64 characters");
        }
        principal = principal == null || principal.isBlank() ? "token:" + name : principal;
        if (principal.length() > 128 || principal.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("principal must be 1-128 characters without control characters");
        }
        if (grants == null || grants.isEmpty()) {
            throw new ValidationException("a token needs at least one grant (e.g. \"operator@churn\")");
        }
        grants = List.copyOf(grants);
    }
}

package org.aiflow.api.security;

import java.time.Instant;

import org.aiflow.api.error.ValidationException;

/**
 * A grant stored for a principal (a user of the JAAS realm, or a group when the principal is
 * written {@code group:<name>}), added to the roles the realm gives it.
 */
public record PrincipalGrant(String principal, Grant grant, Instant createdAt, String createdBy) {
    public PrincipalGrant {
        if (principal == null || principal.isBlank() || principal.length() > 128
                || principal.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("principal must be 1-128 characters without control characters");
        }
        if (grant == null) {
            throw new ValidationException("a grant is required");
        }
    }
}

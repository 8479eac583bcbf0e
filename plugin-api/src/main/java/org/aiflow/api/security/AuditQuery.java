package org.aiflow.api.security;

import java.time.Instant;

import org.aiflow.api.error.ValidationException;

/**
 * Filters of the audit listing; null means no filter. Entries come newest first, below
 * {@code beforeId} when it is set (the next page).
 */
public record AuditQuery(String principal, String namespace, String action, Instant from, Instant to, Long beforeId,
                         int limit) {
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit must be between 1 and " + MAX_LIMIT);
        }
    }
}

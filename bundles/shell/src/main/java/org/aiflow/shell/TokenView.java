package org.aiflow.shell;

import java.time.Instant;
import java.util.List;

import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.Grant;

/**
 * A token as the token commands show it (never its secret): grants as written on the command line
 * ({@code operator@churn}) and its state at the time it is shown.
 *
 * @param state {@code active}, {@code expired} or {@code revoked}
 */
record TokenView(long id, String name, String principal, List<String> grants, String state, Instant createdAt, String createdBy,
                 Instant expiresAt, Instant revokedAt, String revokedBy, Long taskExecutionId, String prefix) {

    static TokenView of(ApiToken t, Instant now) {
        return new TokenView(t.id(), t.name(), t.principal(), t.grants().stream().map(Grant::toString).toList(), state(t, now),
                t.createdAt(), t.createdBy(), t.expiresAt(), t.revokedAt(), t.revokedBy(), t.taskExecutionId(), t.prefix());
    }

    static String state(ApiToken t, Instant now) {
        if (t.revokedAt() != null) {
            return "revoked";
        }
        return t.activeAt(now) ? "active" : "expired";
    }
}

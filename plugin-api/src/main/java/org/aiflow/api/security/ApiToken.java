package org.aiflow.api.security;

import java.time.Instant;
import java.util.List;

/**
 * An API token as listed: never its secret (only a hash is stored; the secret is shown once, by
 * {@link TokenService#create}).
 *
 * @param id              stable id, used to revoke it
 * @param name            what it is for, unique among live tokens
 * @param principal       the principal calls made with it are recorded as ({@code token:<name>} unless given)
 * @param grants          what it may do
 * @param createdAt       when it was created
 * @param createdBy       the principal that created it
 * @param expiresAt       when it stops working by itself; null: never
 * @param revokedAt       when it was revoked; null: not revoked
 * @param revokedBy       who revoked it; null: not revoked
 * @param taskExecutionId for a task's own token, the task execution it belongs to (it stops
 *                        working when that task ends); null for an API token
 * @param prefix          the first characters of the secret, to recognise it in a list
 */
public record ApiToken(long id, String name, String principal, List<Grant> grants, Instant createdAt, String createdBy,
                       Instant expiresAt, Instant revokedAt, String revokedBy, Long taskExecutionId, String prefix) {
    public ApiToken {
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    /** True if it may be used at {@code now} (its task's state is checked elsewhere). */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}

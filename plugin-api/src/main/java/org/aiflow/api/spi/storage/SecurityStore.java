package org.aiflow.api.spi.storage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.AuditEntry;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.PrincipalGrant;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable storage of API and task tokens (hashes only), stored grants and the audit log,
 * implemented by storage backends. Thread-safe; each method is one transaction.
 *
 * <p><b>Threads.</b> Called concurrently on request threads (authentication of every REST call,
 * console commands) and on the scheduler's submit threads ({@code aiflow-submit-<type>}), which issue
 * and revoke task tokens.
 *
 * <p><b>State.</b> The backend persists token hashes (never a token), grants and the audit log; a
 * token is usable on every node and after a restart until it expires or is revoked.
 */
@ProviderType
public interface SecurityStore {

    /** A token to store: {@code hash} is the hex SHA-256 of its secret, the secret itself is never stored. */
    record NewToken(String name, String principal, List<Grant> grants, Instant createdAt, String createdBy,
                    Instant expiresAt, Long taskExecutionId, String prefix, String hash) {
    }

    /**
     * Stores a token.
     *
     * @throws org.aiflow.api.error.ConflictException if a token that is not revoked has that name,
     *                                                or a token has that hash
     */
    ApiToken insertToken(NewToken token);

    /** The token whose secret hashes to {@code hash}, revoked or not. */
    Optional<ApiToken> tokenByHash(String hash);

    Optional<ApiToken> token(long id);

    /** Tokens newest first. */
    List<ApiToken> tokens(boolean includeRevoked, int limit);

    /**
     * Tokens with an id below {@code beforeId} (0: from the newest), newest first, at most
     * {@code limit}: a page of a list longer than one answer. The default reads the first
     * {@code limit} below by way of {@link #tokens(boolean, int)}; a store should answer it by query.
     *
     * @since 1.7
     */
    default List<ApiToken> tokens(boolean includeRevoked, long beforeId, int limit) {
        if (beforeId <= 0) {
            return tokens(includeRevoked, limit);
        }
        return tokens(includeRevoked, Integer.MAX_VALUE).stream().filter(t -> t.id() < beforeId).limit(limit).toList();
    }

    /** Revokes a token not yet revoked; false if it was revoked already or does not exist. */
    boolean revokeToken(long id, Instant at, String by);

    /** Revokes the live tokens of a task execution; how many. */
    int revokeTaskTokens(long taskExecutionId, Instant at);

    /** Every stored grant, by principal then grant. */
    List<PrincipalGrant> grants();

    /** The stored grants of any of these principals. */
    List<PrincipalGrant> grantsOf(Collection<String> principals);

    /** Stores a grant; false if it was there already. */
    boolean addGrant(PrincipalGrant grant);

    /** Deletes a grant; false if there was none. */
    boolean removeGrant(String principal, Grant grant);

    /** Appends an audit entry; its id. */
    long appendAudit(Instant time, String principal, String action, String namespace, String target, String detail);

    /** Audit entries matching the query, newest first. */
    List<AuditEntry> audit(AuditQuery query);
}

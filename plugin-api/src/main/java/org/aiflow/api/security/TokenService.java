package org.aiflow.api.security;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * API tokens ({@code Authorization: Bearer <secret>}): created and revoked by admins, stored as a
 * hash, and the short-lived tokens the platform gives each task for talking back to it.
 */
@ProviderType
public interface TokenService {

    /**
     * Creates a token; the returned secret is not stored and cannot be shown again.
     *
     * @throws org.aiflow.api.error.ConflictException if a token not revoked has that name
     */
    IssuedToken create(TokenDraft draft, Caller by);

    /**
     * One token, revoked or not.
     *
     * @throws org.aiflow.api.error.NotFoundException if there is no such token
     */
    ApiToken token(long id);

    /** Every token (API and task tokens), newest first, at most {@code limit}. */
    List<ApiToken> list(boolean includeRevoked, int limit);

    /**
     * The tokens with an id below {@code beforeId} (0: from the newest), newest first, at most
     * {@code limit}: the next page after a page whose last token had id {@code beforeId}.
     *
     * @since 1.1
     */
    List<ApiToken> list(boolean includeRevoked, long beforeId, int limit);

    /**
     * Revokes a token at once; revoking a revoked token changes nothing.
     *
     * @throws org.aiflow.api.error.NotFoundException if there is no such token
     */
    ApiToken revoke(long id, Caller by);

    /**
     * A task's own identity: a token that is {@code operator} in the task's namespace only and
     * stops working when the task execution ends (checked at each use) or after {@code maxAge}.
     */
    IssuedToken issueForTask(long taskExecutionId, String namespace);

    /** Revokes the token(s) of a task execution that ended; quiet if there are none. */
    void revokeForTask(long taskExecutionId);
}

package org.aiflow.scheduler;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.aiflow.api.security.IssuedToken;
import org.aiflow.api.security.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks' own tokens, through the {@link TokenService} when one is bound (it comes and goes; a
 * platform embedded without security has none, and its tasks get no token). A token is issued at
 * each submit of a task execution and revoked when the submit fails or the attempt's job has ended;
 * the token service also refuses it by itself once the task execution is final.
 */
final class TaskTokens {
    private static final Logger LOG = LoggerFactory.getLogger(TaskTokens.class);
    private final AtomicReference<TokenService> service = new AtomicReference<>();

    void bind(TokenService tokens) {
        service.set(tokens);
    }

    void unbind(TokenService tokens) {
        service.compareAndSet(tokens, null);
    }

    /**
     * A new token for the task execution, {@code operator} in its namespace; empty without a token service.
     *
     * @throws RuntimeException if the token service cannot issue it
     */
    Optional<String> issue(long taskExecutionId, String namespace) {
        TokenService tokens = service.get();
        if (tokens == null) {
            return Optional.empty();
        }
        IssuedToken issued = tokens.issueForTask(taskExecutionId, namespace);
        return Optional.of(issued.secret());
    }

    /** Revokes the task execution's tokens; a failure is logged (the token still ends with its task). */
    void revoke(long taskExecutionId) {
        TokenService tokens = service.get();
        if (tokens == null) {
            return;
        }
        try {
            tokens.revokeForTask(taskExecutionId);
        } catch (RuntimeException e) {
            LOG.warn("Could not revoke the token of task execution {} (it stops working with the task anyway): {}", taskExecutionId,
                    e.getMessage());
        }
    }
}

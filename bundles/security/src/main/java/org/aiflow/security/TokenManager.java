package org.aiflow.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.IssuedToken;
import org.aiflow.api.security.Role;
import org.aiflow.api.security.TokenDraft;
import org.aiflow.api.security.TokenService;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.api.spi.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** API tokens and tasks' own tokens, stored as SHA-256 hashes of their secrets. */
@Component(service = TokenService.class, configurationPid = SecurityConfig.PID)
public class TokenManager implements TokenService {
    private final SecurityStore store;
    private final AuditLog audit;
    private final Clock clock;
    private final Duration taskTokenMaxAge;

    @Activate
    public TokenManager(@Reference StorageBackend storage, @Reference AuditLog audit, SecurityConfig config) {
        this(storage.securityStore(), audit, Clock.systemUTC(), taskTokenMaxAge(config));
    }

    // no public constructor of the same arity beside the @Activate one: Felix SCR tries each and logs
    // an ERROR ("Constructor argument 0 ... has unsupported type") for the one whose types it cannot inject
    public static TokenManager of(SecurityStore store, AuditLog audit, SecurityConfig config) {
        return new TokenManager(store, audit, Clock.systemUTC(), taskTokenMaxAge(config));
    }

    private static Duration taskTokenMaxAge(SecurityConfig config) {
        return config.taskTokenMaxHours() <= 0 ? null : Duration.ofHours(config.taskTokenMaxHours());
    }

    TokenManager(SecurityStore store, AuditLog audit, Clock clock, Duration taskTokenMaxAge) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.taskTokenMaxAge = taskTokenMaxAge;
    }

    @Override
    public IssuedToken create(TokenDraft draft, Caller by) {
        by.requireEverywhere(Role.ADMIN);
        if (draft.name().startsWith("task-")) {
            throw new ValidationException("token names starting with 'task-' are the platform's own (tasks' tokens)");
        }
        Instant now = clock.instant();
        if (draft.expiresAt() != null && !draft.expiresAt().isAfter(now)) {
            throw new ValidationException("expiresAt " + draft.expiresAt() + " is not in the future");
        }
        String secret = Secrets.newSecret();
        ApiToken token = store.insertToken(new SecurityStore.NewToken(draft.name(), draft.principal(), draft.grants(), now,
                by.principal(), draft.expiresAt(), null, Secrets.displayPrefix(secret), Secrets.hash(secret)));
        audit.record(by, "token.create", "", Long.toString(token.id()),
                token.name() + " as " + token.principal() + " " + token.grants() + (token.expiresAt() == null ? "" : " until " + token.expiresAt()));
        return new IssuedToken(token, secret);
    }

    @Override
    public ApiToken token(long id) {
        return store.token(id).orElseThrow(() -> new NotFoundException("no token with id " + id));
    }

    @Override
    public List<ApiToken> list(boolean includeRevoked, int limit) {
        return store.tokens(includeRevoked, limit);
    }

    @Override
    public List<ApiToken> list(boolean includeRevoked, long beforeId, int limit) {
        return store.tokens(includeRevoked, beforeId, limit);
    }

    @Override
    public ApiToken revoke(long id, Caller by) {
        by.requireEverywhere(Role.ADMIN);
        ApiToken before = token(id);
        if (store.revokeToken(id, clock.instant(), by.principal())) {
            audit.record(by, "token.revoke", "", Long.toString(id), before.name());
        }
        return token(id);
    }

    @Override
    public IssuedToken issueForTask(long taskExecutionId, String namespace) {
        Instant now = clock.instant();
        String secret = Secrets.newSecret();
        // a retried submit of the same task execution replaces its earlier token
        store.revokeTaskTokens(taskExecutionId, now);
        ApiToken token = store.insertToken(new SecurityStore.NewToken("task-" + taskExecutionId, "task:" + taskExecutionId,
                List.of(new Grant(Role.OPERATOR, namespace)), now, "system:scheduler",
                taskTokenMaxAge == null ? null : now.plus(taskTokenMaxAge), taskExecutionId, Secrets.displayPrefix(secret),
                Secrets.hash(secret)));
        return new IssuedToken(token, secret);
    }

    @Override
    public void revokeForTask(long taskExecutionId) {
        store.revokeTaskTokens(taskExecutionId, clock.instant());
    }
}

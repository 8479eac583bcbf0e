package org.aiflow.storage.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.AuditEntry;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.PrincipalGrant;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.storage.jdbc.mapper.Rows.AuditFilter;
import org.aiflow.storage.jdbc.mapper.Rows.AuditRow;
import org.aiflow.storage.jdbc.mapper.Rows.GrantRow;
import org.aiflow.storage.jdbc.mapper.Rows.TokenRow;
import org.aiflow.storage.jdbc.mapper.SecurityMapper;

/**
 * Tokens (hashes only), stored grants and the audit log over MyBatis; each method one transaction.
 * A token's name is unique among live tokens through its {@code live_name} column, which holds the
 * name until the token is revoked and NULL after: a revoked token's name can be used again.
 */
final class MyBatisSecurityStore implements SecurityStore {
    static final int MAX_ACTION = 128;
    static final int MAX_TARGET = 512;
    static final int MAX_DETAIL = 4000;
    static final int MAX_PRINCIPAL = 128;
    static final int MAX_NAMESPACE = 128;
    /** Who revokes the tokens of a task execution that ended. */
    static final String TASK_END = Caller.SYSTEM.principal();

    private final JdbcStorage storage;

    MyBatisSecurityStore(JdbcStorage storage) {
        this.storage = storage;
    }

    private <T> T tx(Function<SecurityMapper, T> work) {
        return storage.inTransaction(session -> work.apply(session.getMapper(SecurityMapper.class)));
    }

    @Override
    public ApiToken insertToken(NewToken token) {
        TokenRow row = toRow(token);
        return tx(m -> {
            if (m.liveTokenNamed(row.name) != null) {
                throw new ConflictException("a token named '" + row.name + "' exists: revoke it first or choose another name");
            }
            if (m.tokenByHash(row.hash) != null) {
                throw new ConflictException("a token with that secret exists");
            }
            m.insertToken(row); // the unique keys catch a concurrent twin (ConflictException too)
            return toToken(row);
        });
    }

    @Override
    public Optional<ApiToken> tokenByHash(String hash) {
        if (hash == null) {
            return Optional.empty();
        }
        return tx(m -> Optional.ofNullable(m.tokenByHash(hash)).map(MyBatisSecurityStore::toToken));
    }

    @Override
    public Optional<ApiToken> token(long id) {
        return tx(m -> Optional.ofNullable(m.token(id)).map(MyBatisSecurityStore::toToken));
    }

    @Override
    public List<ApiToken> tokens(boolean includeRevoked, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return tokens(includeRevoked, 0, limit);
    }

    @Override
    public List<ApiToken> tokens(boolean includeRevoked, long beforeId, int limit) {
        if (limit < 1) {
            return List.of();
        }
        return tx(m -> m.tokens(includeRevoked, beforeId, limit).stream().map(MyBatisSecurityStore::toToken).toList());
    }

    @Override
    public boolean revokeToken(long id, Instant at, String by) {
        long millis = (at == null ? Instant.now() : at).toEpochMilli();
        String who = by == null || by.isEmpty() ? TASK_END : clip(by, MAX_PRINCIPAL);
        return tx(m -> m.revokeToken(id, millis, who) == 1);
    }

    @Override
    public int revokeTaskTokens(long taskExecutionId, Instant at) {
        long millis = (at == null ? Instant.now() : at).toEpochMilli();
        return tx(m -> m.revokeTaskTokens(taskExecutionId, millis, TASK_END));
    }

    @Override
    public List<PrincipalGrant> grants() {
        return tx(m -> m.grants().stream().map(MyBatisSecurityStore::toGrant).toList());
    }

    @Override
    public List<PrincipalGrant> grantsOf(Collection<String> principals) {
        if (principals == null || principals.isEmpty()) {
            return List.of();
        }
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(principals));
        distinct.removeIf(p -> p == null);
        if (distinct.isEmpty()) {
            return List.of();
        }
        return tx(m -> m.grantsOf(distinct).stream().map(MyBatisSecurityStore::toGrant).toList());
    }

    @Override
    public boolean addGrant(PrincipalGrant grant) {
        GrantRow row = new GrantRow();
        row.principal = grant.principal();
        row.grantText = grant.grant().toString();
        row.createdAt = (grant.createdAt() == null ? Instant.now() : grant.createdAt()).toEpochMilli();
        row.createdBy = grant.createdBy() == null ? "" : clip(grant.createdBy(), MAX_PRINCIPAL);
        Function<SecurityMapper, Boolean> add = m -> {
            if (m.countGrant(row.principal, row.grantText) > 0) {
                return false;
            }
            m.insertGrant(row);
            return true;
        };
        try {
            return tx(add);
        } catch (ConflictException e) {
            // a concurrent add of the same grant committed first: it is there now, so nothing changed
            return tx(add);
        }
    }

    @Override
    public boolean removeGrant(String principal, Grant grant) {
        if (principal == null || grant == null) {
            return false;
        }
        return tx(m -> m.deleteGrant(principal, grant.toString()) > 0);
    }

    @Override
    public long appendAudit(Instant time, String principal, String action, String namespace, String target, String detail) {
        AuditRow row = new AuditRow();
        row.auditTime = (time == null ? Instant.now() : time).toEpochMilli();
        row.principal = clip(principal, MAX_PRINCIPAL);
        row.action = clip(action, MAX_ACTION);
        row.namespace = clip(namespace, MAX_NAMESPACE);
        row.target = clip(target, MAX_TARGET);
        row.detail = clip(detail, MAX_DETAIL);
        return tx(m -> {
            m.insertAudit(row);
            return row.id;
        });
    }

    @Override
    public List<AuditEntry> audit(AuditQuery query) {
        AuditFilter f = new AuditFilter();
        f.principal = query.principal();
        f.namespace = query.namespace();
        f.action = query.action();
        f.fromMillis = query.from() == null ? null : query.from().toEpochMilli();
        f.toMillis = query.to() == null ? null : query.to().toEpochMilli();
        f.beforeId = query.beforeId();
        f.limit = query.limit();
        return tx(m -> m.audit(f).stream().map(MyBatisSecurityStore::toAudit).toList());
    }

    /** {@code text} cut to at most {@code max} characters, never inside a surrogate pair; null becomes empty. */
    static String clip(String text, int max) {
        if (text == null) {
            return "";
        }
        if (text.length() <= max) {
            return text;
        }
        int end = max - 3;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }

    private static TokenRow toRow(NewToken t) {
        if (t == null || t.name() == null || t.name().isBlank() || t.hash() == null || t.hash().isBlank()) {
            throw new ValidationException("a token to store needs a name and a hash");
        }
        if (t.grants() == null || t.grants().isEmpty()) {
            throw new ValidationException("a token needs at least one grant");
        }
        TokenRow row = new TokenRow();
        row.name = t.name();
        row.liveName = t.name();
        row.principal = t.principal() == null || t.principal().isBlank() ? "token:" + t.name() : t.principal();
        row.grantsText = grantsText(t.grants());
        row.createdAt = (t.createdAt() == null ? Instant.now() : t.createdAt()).toEpochMilli();
        row.createdBy = t.createdBy() == null ? "" : clip(t.createdBy(), MAX_PRINCIPAL);
        row.expiresAt = t.expiresAt() == null ? null : t.expiresAt().toEpochMilli();
        row.taskExecutionId = t.taskExecutionId();
        row.prefix = t.prefix() == null ? "" : t.prefix();
        row.hash = t.hash();
        return row;
    }

    /** The grants written role or role@namespace, comma-separated (a namespace is an identifier: no comma). */
    static String grantsText(List<Grant> grants) {
        StringBuilder b = new StringBuilder();
        for (Grant g : new LinkedHashSet<>(grants)) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(g);
        }
        return b.toString();
    }

    static List<Grant> parseGrants(String text) {
        List<Grant> grants = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    grants.add(Grant.parse(part.trim()));
                }
            }
        }
        return grants;
    }

    private static ApiToken toToken(TokenRow r) {
        return new ApiToken(r.id, r.name, r.principal, parseGrants(r.grantsText), Instant.ofEpochMilli(r.createdAt), r.createdBy,
                r.expiresAt == null ? null : Instant.ofEpochMilli(r.expiresAt),
                r.revokedAt == null ? null : Instant.ofEpochMilli(r.revokedAt), r.revokedBy, r.taskExecutionId, r.prefix);
    }

    private static PrincipalGrant toGrant(GrantRow r) {
        return new PrincipalGrant(r.principal, Grant.parse(r.grantText), Instant.ofEpochMilli(r.createdAt), r.createdBy);
    }

    private static AuditEntry toAudit(AuditRow r) {
        return new AuditEntry(r.id, Instant.ofEpochMilli(r.auditTime), r.principal, r.action, r.namespace, r.target, r.detail);
    }
}

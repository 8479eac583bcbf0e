package org.aiflow.shell;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.AuditEntry;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.PrincipalGrant;
import org.aiflow.api.spi.storage.SecurityStore;

/** The security store in memory, for running the security bundle's services in tests. */
final class MemorySecurityStore implements SecurityStore {
    private final List<ApiToken> tokens = new ArrayList<>();
    private final List<String> hashes = new ArrayList<>();
    private final List<PrincipalGrant> grants = new ArrayList<>();
    private final List<AuditEntry> audit = new ArrayList<>();

    @Override
    public synchronized ApiToken insertToken(NewToken t) {
        if (tokens.stream().anyMatch(x -> x.name().equals(t.name()) && x.revokedAt() == null) || hashes.contains(t.hash())) {
            throw new ConflictException("a token named '" + t.name() + "' exists");
        }
        ApiToken token = new ApiToken(tokens.size() + 1, t.name(), t.principal(), t.grants(), t.createdAt(), t.createdBy(),
                t.expiresAt(), null, null, t.taskExecutionId(), t.prefix());
        tokens.add(token);
        hashes.add(t.hash());
        return token;
    }

    @Override
    public synchronized Optional<ApiToken> tokenByHash(String hash) {
        int i = hashes.indexOf(hash);
        return i < 0 ? Optional.empty() : Optional.of(tokens.get(i));
    }

    @Override
    public synchronized Optional<ApiToken> token(long id) {
        return id < 1 || id > tokens.size() ? Optional.empty() : Optional.of(tokens.get((int) id - 1));
    }

    @Override
    public synchronized List<ApiToken> tokens(boolean includeRevoked, int limit) {
        return tokens.stream().filter(t -> includeRevoked || t.revokedAt() == null)
                .sorted(Comparator.comparingLong(ApiToken::id).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized boolean revokeToken(long id, Instant at, String by) {
        Optional<ApiToken> t = token(id);
        if (t.isEmpty() || t.get().revokedAt() != null) {
            return false;
        }
        ApiToken x = t.get();
        tokens.set((int) id - 1, new ApiToken(x.id(), x.name(), x.principal(), x.grants(), x.createdAt(), x.createdBy(), x.expiresAt(),
                at, by, x.taskExecutionId(), x.prefix()));
        return true;
    }

    @Override
    public synchronized int revokeTaskTokens(long taskExecutionId, Instant at) {
        int n = 0;
        for (ApiToken t : List.copyOf(tokens)) {
            if (t.taskExecutionId() != null && t.taskExecutionId() == taskExecutionId && revokeToken(t.id(), at, "system:scheduler")) {
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized List<PrincipalGrant> grants() {
        return grants.stream().sorted(Comparator.comparing(PrincipalGrant::principal).thenComparing(g -> g.grant().toString())).toList();
    }

    @Override
    public synchronized List<PrincipalGrant> grantsOf(Collection<String> principals) {
        return grants.stream().filter(g -> principals.contains(g.principal())).toList();
    }

    @Override
    public synchronized boolean addGrant(PrincipalGrant grant) {
        if (grants.stream().anyMatch(g -> g.principal().equals(grant.principal()) && g.grant().equals(grant.grant()))) {
            return false;
        }
        return grants.add(grant);
    }

    @Override
    public synchronized boolean removeGrant(String principal, Grant grant) {
        return grants.removeIf(g -> g.principal().equals(principal) && g.grant().equals(grant));
    }

    @Override
    public synchronized long appendAudit(Instant time, String principal, String action, String namespace, String target, String detail) {
        AuditEntry e = new AuditEntry(audit.size() + 1, time, principal, action, namespace, target, detail);
        audit.add(e);
        return e.id();
    }

    @Override
    public synchronized List<AuditEntry> audit(AuditQuery q) {
        return audit.stream()
                .filter(e -> q.principal() == null || e.principal().equals(q.principal()))
                .filter(e -> q.namespace() == null || e.namespace().equals(q.namespace()))
                .filter(e -> q.action() == null || e.action().equals(q.action()))
                .filter(e -> q.from() == null || !e.time().isBefore(q.from()))
                .filter(e -> q.to() == null || e.time().isBefore(q.to()))
                .filter(e -> q.beforeId() == null || e.id() < q.beforeId())
                .sorted(Comparator.comparingLong(AuditEntry::id).reversed())
                .limit(q.limit()).toList();
    }
}

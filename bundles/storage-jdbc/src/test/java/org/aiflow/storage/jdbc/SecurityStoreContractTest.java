package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.AuditEntry;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.PrincipalGrant;
import org.aiflow.api.security.Role;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.api.spi.storage.SecurityStore.NewToken;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@link SecurityStore} contract, run once per backend by the subclasses. Tests share one
 * database per class and use their own names and principals, so they do not depend on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SecurityStoreContractTest {
    private static final AtomicInteger HASHES = new AtomicInteger();
    /** Millisecond times, as the store keeps them. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private TestDatabase database;
    SecurityStore security;

    abstract TestDatabase createDatabase();

    @BeforeAll
    void open() throws Exception {
        database = createDatabase();
        security = JdbcStorage.open(database.dataSource()).securityStore();
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private static String newHash() {
        return String.format("%064x", HASHES.incrementAndGet() * 7919L + System.nanoTime());
    }

    private static NewToken token(String name, String... grants) {
        return new NewToken(name, "token:" + name, java.util.Arrays.stream(grants).map(Grant::parse).toList(), T0, "admin",
                null, null, "aif_" + name.substring(0, Math.min(4, name.length())), newHash());
    }

    @Test
    void aStoredTokenIsFoundByHashAndIdWithEverythingItWasGiven() {
        Instant expires = T0.plusSeconds(3600);
        NewToken draft = new NewToken("ci-deploy", "robot", List.of(Grant.parse("operator@churn"), Grant.global(Role.VIEWER)),
                T0, "alice", expires, null, "aif_abcd", newHash());
        ApiToken stored = security.insertToken(draft);
        assertThat(stored.id()).isPositive();
        assertThat(stored.name()).isEqualTo("ci-deploy");
        assertThat(stored.principal()).isEqualTo("robot");
        assertThat(stored.grants()).containsExactly(new Grant(Role.OPERATOR, "churn"), Grant.global(Role.VIEWER));
        assertThat(stored.createdAt()).isEqualTo(T0);
        assertThat(stored.createdBy()).isEqualTo("alice");
        assertThat(stored.expiresAt()).isEqualTo(expires);
        assertThat(stored.revokedAt()).isNull();
        assertThat(stored.revokedBy()).isNull();
        assertThat(stored.taskExecutionId()).isNull();
        assertThat(stored.prefix()).isEqualTo("aif_abcd");
        assertThat(stored.activeAt(T0)).isTrue();
        assertThat(stored.activeAt(expires)).isFalse();

        assertThat(security.tokenByHash(draft.hash())).contains(stored);
        assertThat(security.token(stored.id())).contains(stored);
        assertThat(security.tokenByHash(draft.hash().toUpperCase())).as("hashes compare exactly").isEmpty();
        assertThat(security.tokenByHash(newHash())).isEmpty();
        assertThat(security.token(-1)).isEmpty();
    }

    @Test
    void aLiveNameIsUniqueButARevokedTokensNameCanBeUsedAgain() {
        ApiToken first = security.insertToken(token("reused", "viewer"));
        assertThatThrownBy(() -> security.insertToken(token("reused", "admin")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("reused");
        assertThat(security.insertToken(token("REUSED", "viewer")).name()).as("names compare exactly").isEqualTo("REUSED");

        Instant at = T0.plusSeconds(5);
        assertThat(security.revokeToken(first.id(), at, "bob")).isTrue();
        ApiToken revoked = security.token(first.id()).orElseThrow();
        assertThat(revoked.revokedAt()).isEqualTo(at);
        assertThat(revoked.revokedBy()).isEqualTo("bob");
        assertThat(revoked.name()).as("a revoked token keeps its name").isEqualTo("reused");
        assertThat(revoked.activeAt(T0)).isFalse();

        ApiToken second = security.insertToken(token("reused", "operator@churn"));
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThatThrownBy(() -> security.insertToken(token("reused", "viewer"))).isInstanceOf(ConflictException.class);
        assertThat(security.revokeToken(second.id(), at, "bob")).isTrue();
        assertThat(security.insertToken(token("reused", "viewer")).name()).as("a name is free again after each revoke").isEqualTo("reused");
        assertThat(security.token(first.id()).orElseThrow().revokedAt()).isEqualTo(at);
    }

    @Test
    void aDuplicateHashConflicts() {
        NewToken original = token("hash-a", "viewer");
        security.insertToken(original);
        NewToken sameSecret = new NewToken("hash-b", null, List.of(Grant.global(Role.VIEWER)), T0, "admin", null, null, "x",
                original.hash());
        assertThatThrownBy(() -> security.insertToken(sameSecret)).isInstanceOf(ConflictException.class);
        assertThat(security.tokens(true, 1000)).extracting(ApiToken::name).doesNotContain("hash-b");
        // a revoked token's hash stays taken: a secret is never valid twice
        security.revokeToken(security.tokenByHash(original.hash()).orElseThrow().id(), T0, "admin");
        assertThatThrownBy(() -> security.insertToken(sameSecret)).isInstanceOf(ConflictException.class);
    }

    @Test
    void concurrentCreatesOfOneNameStoreOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Callable<Boolean> create = () -> {
                    try {
                        security.insertToken(token("raced", "viewer"));
                        return true;
                    } catch (ConflictException e) {
                        return false;
                    }
                };
                tries.add(pool.submit(create));
            }
            int created = 0;
            for (Future<Boolean> f : tries) {
                created += f.get() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(security.tokens(true, 1000)).extracting(ApiToken::name).containsOnlyOnce("raced");
    }

    @Test
    void revokingIsOnceOnly() {
        ApiToken t = security.insertToken(token("once", "viewer"));
        assertThat(security.revokeToken(t.id(), T0.plusSeconds(1), "first")).isTrue();
        assertThat(security.revokeToken(t.id(), T0.plusSeconds(2), "second")).isFalse();
        ApiToken revoked = security.token(t.id()).orElseThrow();
        assertThat(revoked.revokedAt()).as("the first revoke stands").isEqualTo(T0.plusSeconds(1));
        assertThat(revoked.revokedBy()).isEqualTo("first");
        assertThat(security.revokeToken(-42, T0, "nobody")).isFalse();
    }

    @Test
    void listingIsNewestFirstAndLeavesOutRevokedTokensUnlessAsked() {
        ApiToken a = security.insertToken(token("list-a", "viewer"));
        ApiToken b = security.insertToken(token("list-b", "viewer"));
        ApiToken c = security.insertToken(token("list-c", "viewer"));
        security.revokeToken(b.id(), T0, "admin");

        List<ApiToken> live = security.tokens(false, 1000);
        assertThat(live).extracting(ApiToken::id).contains(c.id(), a.id()).doesNotContain(b.id());
        assertThat(live).allMatch(t -> t.revokedAt() == null);
        assertThat(live).extracting(ApiToken::id).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        List<ApiToken> all = security.tokens(true, 1000);
        assertThat(all).extracting(ApiToken::id).containsSubsequence(c.id(), b.id(), a.id());
        assertThat(all).extracting(ApiToken::id).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        ApiToken newest = security.insertToken(token("list-d", "viewer"));
        assertThat(security.tokens(true, 2)).extracting(ApiToken::id).containsExactly(newest.id(), c.id());
        assertThat(security.tokens(false, 1)).extracting(ApiToken::id).containsExactly(newest.id());
    }

    @Test
    void tokensPageByIdNewestFirstWithNothingLeftOut() {
        List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(0, security.insertToken(token("page-" + i, "viewer")).id());
        }
        security.revokeToken(ids.get(1), T0, "admin");
        List<ApiToken> all = security.tokens(true, 1000);
        List<Long> walked = new java.util.ArrayList<>();
        long before = 0;
        List<ApiToken> page;
        do {
            page = security.tokens(true, before, 2);
            page.forEach(t -> walked.add(t.id()));
            before = page.isEmpty() ? 0 : page.get(page.size() - 1).id();
        } while (page.size() == 2);
        assertThat(walked).isEqualTo(all.stream().map(ApiToken::id).toList());
        assertThat(security.tokens(true, ids.get(0), 2)).extracting(ApiToken::id).containsExactly(ids.get(1), ids.get(2));
        assertThat(security.tokens(false, ids.get(0), 2)).extracting(ApiToken::id).containsExactly(ids.get(2), ids.get(3));
    }

    @Test
    void aTaskExecutionsTokensAreRevokedTogether() {
        NewToken first = new NewToken("task-1001-a", "task:1001", List.of(Grant.parse("operator@churn")), T0, "system", T0.plusSeconds(60),
                1001L, "aif_t", newHash());
        NewToken second = new NewToken("task-1001-b", "task:1001", List.of(Grant.parse("operator@churn")), T0, "system", null,
                1001L, "aif_t", newHash());
        ApiToken a = security.insertToken(first);
        ApiToken b = security.insertToken(second);
        ApiToken other = security.insertToken(new NewToken("task-1002", "task:1002", List.of(Grant.parse("operator@churn")), T0,
                "system", null, 1002L, "aif_t", newHash()));
        ApiToken api = security.insertToken(token("not-a-task", "viewer"));
        assertThat(a.taskExecutionId()).isEqualTo(1001L);
        assertThat(security.revokeToken(b.id(), T0, "admin")).isTrue();

        Instant ended = T0.plusSeconds(30);
        assertThat(security.revokeTaskTokens(1001, ended)).as("only the live one").isEqualTo(1);
        assertThat(security.token(a.id()).orElseThrow().revokedAt()).isEqualTo(ended);
        assertThat(security.token(a.id()).orElseThrow().revokedBy()).isNotBlank();
        assertThat(security.token(b.id()).orElseThrow().revokedAt()).as("already revoked: unchanged").isEqualTo(T0);
        assertThat(security.token(other.id()).orElseThrow().revokedAt()).isNull();
        assertThat(security.token(api.id()).orElseThrow().revokedAt()).isNull();
        assertThat(security.revokeTaskTokens(1001, ended)).isZero();
        assertThat(security.revokeTaskTokens(999_999, ended)).as("quiet without tokens").isZero();
        assertThat(security.insertToken(new NewToken("task-1001-a", "task:1001", List.of(Grant.parse("operator@churn")), T0,
                "system", null, 1001L, "aif_t", newHash())).name()).as("a revoked task token's name is free").isEqualTo("task-1001-a");
    }

    @Test
    void grantsAreAddedAndRemovedIdempotently() {
        PrincipalGrant grant = new PrincipalGrant("carol", Grant.parse("author@churn"), T0, "admin");
        assertThat(security.addGrant(grant)).isTrue();
        assertThat(security.addGrant(new PrincipalGrant("carol", Grant.parse("author@churn"), T0.plusSeconds(9), "other")))
                .as("adding one that exists changes nothing").isFalse();
        assertThat(security.grantsOf(List.of("carol"))).containsExactly(grant);
        assertThat(security.addGrant(new PrincipalGrant("carol", Grant.global(Role.VIEWER), T0, "admin"))).isTrue();
        assertThat(security.addGrant(new PrincipalGrant("carol", Grant.parse("author@CHURN"), T0, "admin")))
                .as("namespaces compare exactly").isTrue();
        assertThat(security.grantsOf(List.of("carol"))).extracting(g -> g.grant().toString())
                .containsExactly("author@CHURN", "author@churn", "viewer");

        assertThat(security.removeGrant("carol", Grant.parse("author@churn"))).isTrue();
        assertThat(security.removeGrant("carol", Grant.parse("author@churn"))).isFalse();
        assertThat(security.removeGrant("nobody", Grant.global(Role.ADMIN))).isFalse();
        assertThat(security.grantsOf(List.of("carol"))).extracting(g -> g.grant().toString()).containsExactly("author@CHURN", "viewer");
    }

    @Test
    void grantsAreListedByPrincipalThenGrantAndLookedUpForSeveralPrincipals() {
        security.addGrant(new PrincipalGrant("zed-user", Grant.parse("operator@b-ns"), T0, "admin"));
        security.addGrant(new PrincipalGrant("group:zed-team", Grant.parse("viewer@a-ns"), T0, "admin"));
        security.addGrant(new PrincipalGrant("zed-user", Grant.parse("admin"), T0, "admin"));
        security.addGrant(new PrincipalGrant("zed-other", Grant.parse("admin"), T0, "admin"));

        List<PrincipalGrant> mine = security.grantsOf(Set.of("zed-user", "group:zed-team", "group:nothing"));
        assertThat(mine).extracting(g -> g.principal() + "=" + g.grant())
                .containsExactly("group:zed-team=viewer@a-ns", "zed-user=admin", "zed-user=operator@b-ns");
        assertThat(mine.get(0).createdAt()).isEqualTo(T0);
        assertThat(mine.get(0).createdBy()).isEqualTo("admin");
        assertThat(security.grantsOf(List.of())).isEmpty();
        assertThat(security.grantsOf(List.of("ZED-USER"))).as("principals compare exactly").isEmpty();

        List<String> all = security.grants().stream().map(g -> g.principal() + "=" + g.grant()).toList();
        assertThat(all).containsSubsequence("group:zed-team=viewer@a-ns", "zed-other=admin", "zed-user=admin", "zed-user=operator@b-ns");
        assertThat(security.grants().stream().map(PrincipalGrant::principal).toList()).isSorted();
    }

    @Test
    void concurrentAddsOfOneGrantStoreItOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tries.add(pool.submit(() -> security.addGrant(new PrincipalGrant("racer", Grant.parse("operator@race"), T0, "admin"))));
            }
            int added = 0;
            for (Future<Boolean> f : tries) {
                added += f.get() ? 1 : 0;
            }
            assertThat(added).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(security.grantsOf(List.of("racer"))).hasSize(1);
    }

    @Test
    void auditIsNewestFirstWithEveryFilterAndPaging() {
        Instant base = Instant.parse("2031-05-01T10:00:00.000Z");
        List<Long> ids = new ArrayList<>();
        ids.add(security.appendAudit(base, "au-alice", "workflow.upload", "au-churn", "pipeline", "snapshot 3"));
        ids.add(security.appendAudit(base.plusSeconds(10), "au-bob", "execution.start", "au-churn", "17", ""));
        ids.add(security.appendAudit(base.plusSeconds(20), "au-alice", "token.revoke", "", "42", "by hand"));
        ids.add(security.appendAudit(base.plusSeconds(30), "au-alice", "workflow.upload", "au-fraud", "scorer", null));
        ids.add(security.appendAudit(base.plusSeconds(40), "au-bob", "workflow.upload", "au-churn", "pipeline", "snapshot 4"));
        assertThat(ids).isSorted().doesNotHaveDuplicates();

        List<AuditEntry> alice = security.audit(new AuditQuery("au-alice", null, null, null, null, null, 100));
        assertThat(alice).extracting(AuditEntry::id).containsExactly(ids.get(3), ids.get(2), ids.get(0));
        AuditEntry first = alice.get(2);
        assertThat(first).isEqualTo(new AuditEntry(ids.get(0), base, "au-alice", "workflow.upload", "au-churn", "pipeline", "snapshot 3"));
        assertThat(alice.get(0).detail()).as("null detail stored empty").isEmpty();
        assertThat(alice.get(1).namespace()).isEmpty();

        assertThat(security.audit(new AuditQuery(null, "au-churn", null, null, null, null, 100))).extracting(AuditEntry::id)
                .containsExactly(ids.get(4), ids.get(1), ids.get(0));
        assertThat(security.audit(new AuditQuery("au-alice", "", null, null, null, null, 100))).as("'' is outside namespaces")
                .extracting(AuditEntry::id).containsExactly(ids.get(2));
        assertThat(security.audit(new AuditQuery(null, "au-churn", "workflow.upload", null, null, null, 100))).extracting(AuditEntry::id)
                .containsExactly(ids.get(4), ids.get(0));
        assertThat(security.audit(new AuditQuery(null, null, "workflow.upload", base.plusSeconds(10), base.plusSeconds(40), null, 100)))
                .as("from inclusive, to exclusive").extracting(AuditEntry::id).containsExactly(ids.get(3));
        assertThat(security.audit(new AuditQuery("au-bob", null, null, base, null, null, 100))).extracting(AuditEntry::id)
                .containsExactly(ids.get(4), ids.get(1));
        assertThat(security.audit(new AuditQuery("au-bob", null, null, null, base.plusSeconds(40), null, 100))).extracting(AuditEntry::id)
                .containsExactly(ids.get(1));
        assertThat(security.audit(new AuditQuery("AU-ALICE", null, null, null, null, null, 100))).as("exact").isEmpty();

        // paging: newest first, then below the last id seen
        List<AuditEntry> page1 = security.audit(new AuditQuery(null, null, null, base, base.plusSeconds(41), null, 2));
        assertThat(page1).extracting(AuditEntry::id).containsExactly(ids.get(4), ids.get(3));
        List<AuditEntry> page2 = security.audit(new AuditQuery(null, null, null, base, base.plusSeconds(41), page1.get(1).id(), 2));
        assertThat(page2).extracting(AuditEntry::id).containsExactly(ids.get(2), ids.get(1));
        List<AuditEntry> page3 = security.audit(new AuditQuery(null, null, null, base, base.plusSeconds(41), page2.get(1).id(), 2));
        assertThat(page3).extracting(AuditEntry::id).containsExactly(ids.get(0));
        assertThat(security.audit(new AuditQuery(null, null, null, base, base.plusSeconds(41), ids.get(0), 2))).isEmpty();
        assertThat(security.audit(new AuditQuery("au-alice", null, null, null, null, ids.get(3), 1))).extracting(AuditEntry::id)
                .containsExactly(ids.get(2));
    }

    @Test
    void auditStoresAwkwardTextExactlyAndClipsOversizeFields() {
        String target = "it's 100% _under_ \\back\\ \"quoted\" ünïcødé 模型 🚀'; DROP TABLE aiflow_audit; --";
        long id = security.appendAudit(T0, "au-odd", "odd.action", "au-odd-ns", target, "line1\nline2\t🚀");
        AuditEntry e = security.audit(new AuditQuery("au-odd", null, null, null, null, null, 10)).get(0);
        assertThat(e.id()).isEqualTo(id);
        assertThat(e.target()).isEqualTo(target);
        assertThat(e.detail()).isEqualTo("line1\nline2\t🚀");
        assertThat(security.audit(new AuditQuery(null, null, "odd.%", null, null, null, 10))).as("no pattern matching").isEmpty();

        String longDetail = "🚀".repeat(10_000); // 20,000 chars, 40,000 bytes in UTF-8
        long clipped = security.appendAudit(T0, "au-odd", "x".repeat(300), "au-odd-ns", "t".repeat(2000), longDetail);
        AuditEntry c = security.audit(new AuditQuery("au-odd", null, null, null, null, null, 1)).get(0);
        assertThat(c.id()).isEqualTo(clipped);
        assertThat(c.action()).hasSizeLessThanOrEqualTo(MyBatisSecurityStore.MAX_ACTION).startsWith("xxx");
        assertThat(c.target()).hasSizeLessThanOrEqualTo(MyBatisSecurityStore.MAX_TARGET).startsWith("ttt");
        assertThat(c.detail()).hasSizeLessThanOrEqualTo(MyBatisSecurityStore.MAX_DETAIL).startsWith("🚀🚀").endsWith("🚀...");
    }

    @Test
    void aSecondStorageOnTheDatabaseSeesTheSameState() throws Exception {
        ApiToken t = security.insertToken(token("shared", "viewer"));
        security.addGrant(new PrincipalGrant("shared-user", Grant.global(Role.OPERATOR), T0, "admin"));
        try (com.zaxxer.hikari.HikariDataSource secondPool = database.newPool()) {
            SecurityStore second = JdbcStorage.open(secondPool).securityStore();
            assertThat(second.token(t.id())).contains(t);
            assertThat(second.grantsOf(List.of("shared-user"))).hasSize(1);
            assertThat(second.revokeToken(t.id(), T0, "node-2")).isTrue();
            assertThat(second.insertToken(token("shared", "viewer")).name()).isEqualTo("shared");
        }
        assertThat(security.token(t.id()).orElseThrow().revokedBy()).isEqualTo("node-2");
        assertThat(security.revokeToken(t.id(), T0, "node-1")).isFalse();
    }
}

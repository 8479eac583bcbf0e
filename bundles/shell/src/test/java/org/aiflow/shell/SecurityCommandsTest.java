package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.security.auth.Subject;

import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.AuditEntry;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.shell.TestConsole.Result;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The token, grant, audit and whoami commands against the security bundle's services. */
class SecurityCommandsTest {
    private static final Subject ALICE = TestConsole.user("alice", "admin", "ssh");
    private static final Subject BOB = TestConsole.user("bob", "viewer", "operator@churn", "ssh");
    private final TestConsole console = new TestConsole();

    private TokenCreateCommand create(String name, String... grants) {
        TokenCreateCommand c = console.wire(new TokenCreateCommand());
        c.tokens = console.tokens;
        c.name = name;
        c.grants = List.of(grants);
        return c;
    }

    private TokenListCommand list(boolean all, boolean json) {
        TokenListCommand c = console.wire(new TokenListCommand());
        c.tokens = console.tokens;
        c.all = all;
        c.json = json;
        return c;
    }

    private List<AuditEntry> audit() {
        return console.audit.list(new AuditQuery(null, null, null, null, null, null, 100));
    }

    @Test
    void anAdminCreatesATokenWhoseSecretIsShownOnceAndWorks() throws Exception {
        Result r = console.run(ALICE, create("ci", "operator@churn", "viewer"));

        assertThat(r.error()).isNull();
        String secret = r.out().lines().map(String::trim).filter(l -> l.startsWith("aif_")).findFirst().orElseThrow();
        assertThat(r.out()).contains("Token 1 'ci' created: recorded as token:ci, grants operator@churn, viewer, never expires.")
                .contains("WARNING: this is the token's secret, shown this once");
        Caller bearer = console.authenticator.bearer(secret);
        assertThat(bearer.principal()).isEqualTo("token:ci");
        assertThat(bearer.grants()).containsExactlyInAnyOrder(Grant.parse("operator@churn"), Grant.parse("viewer"));

        Result listed = console.run(ALICE, list(false, false));
        assertThat(listed.out()).contains("ci", "token:ci", "operator@churn, viewer", "active", "never", "alice", secret.substring(0, 12) + "...")
                .doesNotContain(secret);
        assertThat(audit()).extracting(AuditEntry::principal, AuditEntry::action, AuditEntry::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", "token.create", "1"));
    }

    @Test
    void tokenCreateTakesAPrincipalAndAnExpiryAsInstantOrDuration() throws Exception {
        TokenCreateCommand c = create("nightly", "viewer");
        c.principal = "svc-nightly";
        c.expires = "30d";
        Instant before = Instant.now();
        assertThat(console.run(ALICE, c).error()).isNull();
        ApiToken t = console.tokens.list(false, 10).get(0);
        assertThat(t.principal()).isEqualTo("svc-nightly");
        assertThat(t.expiresAt()).isBetween(before.plus(Duration.ofDays(30)), Instant.now().plus(Duration.ofDays(30)));

        TokenCreateCommand at = create("until", "viewer");
        at.expires = "2099-06-30T00:00:00Z";
        at.json = true;
        Result r = console.run(ALICE, at);
        JsonNode shown = new ObjectMapper().readTree(r.out());
        assertThat(shown.path("secret").asText()).startsWith("aif_");
        assertThat(shown.path("token").path("expiresAt").asText()).isEqualTo("2099-06-30T00:00:00Z");
        assertThat(shown.path("token").path("grants").get(0).asText()).isEqualTo("viewer");
        assertThat(shown.path("token").path("state").asText()).isEqualTo("active");

        TokenCreateCommand bad = create("bad", "viewer");
        bad.expires = "tomorrow";
        assertThat(console.run(ALICE, bad).error()).startsWith("Error [invalid_argument]: --expires 'tomorrow' is neither");
        TokenCreateCommand past = create("past", "viewer");
        past.expires = "2001-01-01T00:00:00Z";
        assertThat(console.run(ALICE, past).error()).startsWith("Error [invalid_argument]: expiresAt 2001-01-01T00:00:00Z is not in the future");
        assertThat(console.run(ALICE, create("badgrant", "owner")).error())
                .isEqualTo("Error [invalid_argument]: role 'owner' is unknown: use viewer, operator, author or admin");
    }

    @Test
    void optionsMayFollowTheGrants() throws Exception {
        // as docs/security.md writes it; Karaf itself reads options only before the first argument
        Instant before = Instant.now();
        Result r = console.run(ALICE, create("ci", "operator@churn", "--expires", "30d", "--principal=svc-ci", "viewer"));
        assertThat(r.error()).isNull();
        ApiToken t = console.tokens.list(false, 10).get(0);
        assertThat(t.principal()).isEqualTo("svc-ci");
        assertThat(t.grants()).containsExactly(Grant.parse("operator@churn"), Grant.parse("viewer"));
        assertThat(t.expiresAt()).isAfter(before.plus(Duration.ofDays(29)));

        assertThat(console.run(ALICE, create("x", "viewer", "--expires")).error()).isEqualTo("Error [invalid_argument]: option --expires needs a value");
        assertThat(console.run(ALICE, create("x", "viewer", "-v")).error())
                .isEqualTo("Error [invalid_argument]: unknown option -v: token-create takes --principal, --expires and --json");
        assertThat(console.run(ALICE, create("x", "--json")).error())
                .isEqualTo("Error [invalid_argument]: a token needs at least one grant (e.g. operator@churn)");
    }

    @Test
    void revokedTokensStopWorkingAndAreListedWithAll() throws Exception {
        console.run(ALICE, create("ci", "viewer"));
        TokenRevokeCommand revoke = console.wire(new TokenRevokeCommand());
        revoke.tokens = console.tokens;
        revoke.id = 1;

        Result r = console.run(ALICE, revoke);
        assertThat(r.out()).startsWith("Token 1 'ci' is revoked (since ").endsWith(", by alice).\n");
        assertThat(console.run(ALICE, list(false, false)).out()).isEqualTo("No tokens (--all shows revoked ones).\n");
        JsonNode all = new ObjectMapper().readTree(console.run(ALICE, list(true, true)).out());
        assertThat(all.get(0).path("state").asText()).isEqualTo("revoked");
        assertThat(all.get(0).path("revokedBy").asText()).isEqualTo("alice");
        assertThat(all.get(0).has("secret")).isFalse();

        revoke.id = 99;
        assertThat(console.run(ALICE, revoke).error()).isEqualTo("Error [not_found]: no token with id 99");
        assertThat(audit()).extracting(AuditEntry::action).containsExactly("token.revoke", "token.create");
    }

    @Test
    void onlyAdminsManageTokensAndGrants() throws Exception {
        String refused = "Error [forbidden]: bob needs the role admin in every namespace for this";
        assertThat(console.run(BOB, create("mine", "admin")).error()).isEqualTo("Error [forbidden]: bob needs the role admin for this");
        // an admin of one namespace is not an admin
        Subject nsAdmin = TestConsole.user("bob", "admin@churn");
        assertThat(console.run(nsAdmin, create("mine", "admin")).error()).isEqualTo(refused);
        assertThat(console.run(nsAdmin, list(true, false)).error()).isEqualTo(refused);
        GrantAddCommand add = console.wire(new GrantAddCommand());
        add.grants = console.grants;
        add.principal = "bob";
        add.grant = "admin";
        assertThat(console.run(nsAdmin, add).error()).isEqualTo(refused);
        assertThat(console.tokens.list(true, 10)).isEmpty();
        assertThat(console.grants.list()).isEmpty();
    }

    @Test
    void grantsAreAddedListedAndRemoved() throws Exception {
        GrantAddCommand add = console.wire(new GrantAddCommand());
        add.grants = console.grants;
        add.principal = "bob";
        add.grant = "author@ml";
        assertThat(console.run(ALICE, add).out()).isEqualTo("bob holds author@ml.\n");
        add.principal = "group:ops";
        add.grant = "operator";
        console.run(ALICE, add);

        GrantListCommand list = console.wire(new GrantListCommand());
        list.grants = console.grants;
        assertThat(console.run(ALICE, list).out()).contains("bob", "author@ml", "group:ops", "operator", "alice");
        list.principal = "bob";
        list.json = true;
        JsonNode bobs = new ObjectMapper().readTree(console.run(ALICE, list).out());
        assertThat(bobs).hasSize(1);
        assertThat(bobs.get(0).path("grant").asText()).isEqualTo("author@ml");
        assertThat(bobs.get(0).path("createdBy").asText()).isEqualTo("alice");

        // bob now holds author in ml on the console too
        ConsoleCaller asBob = org.apache.karaf.util.jaas.JaasHelper.doAs(BOB,
                (java.security.PrivilegedAction<ConsoleCaller>) () -> ConsoleCaller.current(console.authenticator, console.audit));
        assertThat(asBob.caller().may(org.aiflow.api.security.Role.AUTHOR, "ml")).isTrue();

        GrantRemoveCommand remove = console.wire(new GrantRemoveCommand());
        remove.grants = console.grants;
        remove.principal = "bob";
        remove.grant = "author@ml";
        assertThat(console.run(ALICE, remove).out()).isEqualTo("bob no longer holds author@ml (as a stored grant).\n");
        assertThat(console.run(ALICE, remove).error()).isEqualTo("Error [not_found]: bob has no stored grant author@ml");
        assertThat(audit()).extracting(AuditEntry::action).containsExactly("grant.remove", "grant.add", "grant.add");
    }

    @Test
    void adminsReadTheWholeAuditLogOthersTheirOwn() throws Exception {
        console.audit.record(new Caller("alice", Caller.Kind.USER, java.util.Set.of()), "workflow.upload", "default", "hello", "snapshot 1");
        console.audit.record(new Caller("bob", Caller.Kind.USER, java.util.Set.of()), "execution.start", "churn", "7", "");
        console.audit.record(new Caller("bob", Caller.Kind.USER, java.util.Set.of()), "task.stop", "churn", "9", "");

        AuditListCommand all = console.wire(new AuditListCommand());
        Result r = console.run(ALICE, all);
        assertThat(r.out()).contains("workflow.upload", "execution.start", "task.stop");

        AuditListCommand own = console.wire(new AuditListCommand());
        own.json = true;
        JsonNode bobs = new ObjectMapper().readTree(console.run(BOB, own).out());
        assertThat(bobs).hasSize(2);
        assertThat(bobs.get(0).path("action").asText()).isEqualTo("task.stop");

        AuditListCommand others = console.wire(new AuditListCommand());
        others.principal = "alice";
        assertThat(console.run(BOB, others).error())
                .isEqualTo("Error [forbidden]: bob may read only its own audit entries; other principals' need the role admin");

        AuditListCommand filtered = console.wire(new AuditListCommand());
        filtered.principal = "bob";
        filtered.action = "execution.start";
        filtered.namespace = "churn";
        filtered.from = "1h";
        filtered.json = true;
        assertThat(new ObjectMapper().readTree(console.run(ALICE, filtered).out())).hasSize(1);
        filtered.to = "1h"; // before an hour ago: nothing
        assertThat(new ObjectMapper().readTree(console.run(ALICE, filtered).out())).isEmpty();
        filtered.limit = 0;
        assertThat(console.run(ALICE, filtered).error()).isEqualTo("Error [invalid_argument]: limit must be between 1 and 1000");
    }

    @Test
    void whoamiShowsThePrincipalAndGrants() throws Exception {
        WhoamiCommand who = console.wire(new WhoamiCommand());
        assertThat(console.run(BOB, who).out()).isEqualTo("bob (user)\nGrants: operator@churn, viewer\n");
        assertThat(console.run(null, who).out()).isEqualTo("system:console (system)\nGrants: admin\n");
        who.json = true;
        JsonNode shown = new ObjectMapper().readTree(console.run(ALICE, who).out());
        assertThat(shown.path("principal").asText()).isEqualTo("alice");
        assertThat(shown.path("grants").get(0).asText()).isEqualTo("admin");
        // a user without any of our roles gets a clear refusal, not an empty answer
        assertThat(console.run(TestConsole.user("eve", "ssh"), console.wire(new WhoamiCommand())).error())
                .isEqualTo("Error [forbidden]: eve needs the role viewer for this");
    }
}

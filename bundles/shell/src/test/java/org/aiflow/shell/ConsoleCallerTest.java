package org.aiflow.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivilegedAction;
import java.time.Instant;
import java.util.List;

import javax.security.auth.Subject;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.PrincipalGrant;
import org.aiflow.api.security.Role;
import org.apache.karaf.util.jaas.JaasHelper;
import org.junit.jupiter.api.Test;

class ConsoleCallerTest {
    private final TestConsole console = new TestConsole();

    private ConsoleCaller as(Subject subject) {
        return JaasHelper.doAs(subject, (PrivilegedAction<ConsoleCaller>) () -> ConsoleCaller.current(console.authenticator, console.audit));
    }

    @Test
    void theSessionsSubjectIsTheCallerWithItsRealmRolesAndStoredGrants() {
        console.store.addGrant(new PrincipalGrant("bob", Grant.parse("author@ml"), Instant.now(), "admin"));
        ConsoleCaller bob = as(TestConsole.user("bob", "viewer", "operator@churn", "ssh"));

        assertThat(bob.principal()).isEqualTo("bob");
        assertThat(bob.caller().kind()).isEqualTo(Caller.Kind.USER);
        assertThat(bob.caller().grants()).containsExactlyInAnyOrder(Grant.parse("viewer"), Grant.parse("operator@churn"), Grant.parse("author@ml"));
    }

    @Test
    void theLocalConsolesRolesMakeItAnAdmin() {
        // karaf.local.user and karaf.local.roles of etc/system.properties
        ConsoleCaller local = as(TestConsole.user("karaf", "admin", "manager", "viewer", "systembundles"));
        assertThat(local.caller().mayEverywhere(Role.ADMIN)).isTrue();
        assertThat(local.require(Role.AUTHOR, null)).isEqualTo("default");
    }

    @Test
    void withoutASubjectTheConsoleIsThePlatformItself() {
        assertThat(ConsoleCaller.subject()).isNull();
        ConsoleCaller embedded = ConsoleCaller.current(console.authenticator, console.audit);
        assertThat(embedded.principal()).isEqualTo("system:console");
        assertThat(embedded.caller().mayEverywhere(Role.ADMIN)).isTrue();
    }

    @Test
    void aSubjectWithoutAUserIsRefused() {
        Subject anonymous = new Subject();
        assertThatThrownBy(() -> as(anonymous)).isInstanceOf(UnauthenticatedException.class);
    }

    @Test
    void namespaceChecksFollowTheGrants() {
        ConsoleCaller bob = as(TestConsole.user("bob", "viewer", "operator@churn"));

        assertThat(bob.require(Role.OPERATOR, "churn")).isEqualTo("churn");
        assertThat(bob.require(Role.VIEWER, "")).isEqualTo("default");
        assertThatThrownBy(() -> bob.require(Role.OPERATOR, null)).isInstanceOf(ForbiddenException.class)
                .hasMessage("bob needs the role operator in namespace 'default' for this");
        assertThatThrownBy(() -> bob.require(Role.AUTHOR, "churn")).isInstanceOf(ForbiddenException.class);
        bob.requireSomewhere(Role.OPERATOR);
        assertThatThrownBy(() -> bob.requireSomewhere(Role.AUTHOR)).isInstanceOf(ForbiddenException.class)
                .hasMessage("bob needs the role author for this");
        assertThatThrownBy(() -> bob.requireEverywhere(Role.OPERATOR)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void listingsLeaveOutNamespacesTheCallerMayNotRead() {
        ConsoleCaller carol = as(TestConsole.user("carol", "operator@churn", "viewer@ml"));

        assertThat(carol.readable(List.of("churn", "default", "ml", "ops"), ns -> ns)).containsExactly("churn", "ml");
        assertThat(carol.readableNamespaces(null)).containsExactly("churn", "ml");
        assertThat(carol.readableNamespaces(List.of("ml"))).containsExactly("ml");
        assertThatThrownBy(() -> carol.readableNamespaces(List.of("ml", "default"))).isInstanceOf(ForbiddenException.class);

        ConsoleCaller viewer = as(TestConsole.user("dave", "viewer"));
        assertThat(viewer.readableNamespaces(null)).isNull();
        assertThat(viewer.readable(List.of("a", "b"), ns -> ns)).containsExactly("a", "b");

        ConsoleCaller nobody = as(TestConsole.user("eve", "ssh"));
        assertThatThrownBy(() -> nobody.readableNamespaces(null)).isInstanceOf(ForbiddenException.class);
    }

    @Test
    void changesAreAuditedAsTheCaller() {
        ConsoleCaller bob = as(TestConsole.user("bob", "operator"));
        bob.audit("execution.start", "churn", "12", "workflow churn-pipeline, snapshot 3");

        assertThat(console.audit.list(new AuditQuery(null, null, null, null, null, null, 10))).singleElement().satisfies(e -> {
            assertThat(e.principal()).isEqualTo("bob");
            assertThat(e.action()).isEqualTo("execution.start");
            assertThat(e.namespace()).isEqualTo("churn");
            assertThat(e.target()).isEqualTo("12");
        });
    }
}

package org.aiflow.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void rolesIncludeTheLowerOnes() {
        assertThat(Role.ADMIN.includes(Role.AUTHOR)).isTrue();
        assertThat(Role.AUTHOR.includes(Role.OPERATOR)).isTrue();
        assertThat(Role.OPERATOR.includes(Role.VIEWER)).isTrue();
        assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
        assertThat(Role.OPERATOR.includes(Role.AUTHOR)).isFalse();
    }

    @Test
    void grantsParseAndPrint() {
        assertThat(Grant.parse("operator@churn")).isEqualTo(new Grant(Role.OPERATOR, "churn"));
        assertThat(Grant.parse("Viewer")).isEqualTo(Grant.global(Role.VIEWER));
        assertThat(Grant.parse("author@ml.team-1").toString()).isEqualTo("author@ml.team-1");
        assertThatThrownBy(() -> Grant.parse("root")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Grant.parse("viewer@bad ns")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Grant.parse("")).isInstanceOf(ValidationException.class);
    }

    @Test
    void karafRolesThatAreNotOursAreIgnored() {
        assertThat(Grant.fromRoleName("admin")).isEqualTo(Grant.global(Role.ADMIN));
        assertThat(Grant.fromRoleName("operator@churn")).isEqualTo(new Grant(Role.OPERATOR, "churn"));
        assertThat(Grant.fromRoleName("manager")).isNull();
        assertThat(Grant.fromRoleName("systembundles")).isNull();
        assertThat(Grant.fromRoleName("viewer@not a namespace")).isNull();
    }

    @Test
    void perNamespaceGrantsAllowOnlyThere() {
        Caller c = new Caller("alice", Caller.Kind.USER, Set.of(new Grant(Role.OPERATOR, "churn"), Grant.global(Role.VIEWER)));
        assertThat(c.may(Role.OPERATOR, "churn")).isTrue();
        assertThat(c.may(Role.VIEWER, "churn")).isTrue();
        assertThat(c.may(Role.OPERATOR, "default")).isFalse();
        assertThat(c.may(Role.VIEWER, "default")).isTrue();
        assertThat(c.may(Role.AUTHOR, "churn")).isFalse();
        assertThat(c.mayEverywhere(Role.VIEWER)).isTrue();
        assertThat(c.mayEverywhere(Role.OPERATOR)).isFalse();
        assertThat(c.namespacesWith(Role.OPERATOR)).containsExactly("churn");
        assertThat(c.namespacesWith(Role.VIEWER)).isNull();
        assertThatThrownBy(() -> c.require(Role.OPERATOR, "default")).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("alice needs the role operator in namespace 'default'");
    }

    @Test
    void adminMayEverything() {
        Caller admin = new Caller("root", Caller.Kind.USER, Set.of(Grant.global(Role.ADMIN)));
        for (Role r : Role.values()) {
            assertThat(admin.mayEverywhere(r)).isTrue();
            assertThat(admin.may(r, "any")).isTrue();
        }
        Caller nobody = new Caller("guest", Caller.Kind.USER, Set.of());
        assertThat(nobody.mayAnywhere(Role.VIEWER)).isFalse();
        assertThat(nobody.namespacesWith(Role.VIEWER)).isEmpty();
    }

    @Test
    void onlyAdminsPublishIntoThePlatformsNamespaces() {
        Caller operator = new Caller("op", Caller.Kind.USER, Set.of(Grant.global(Role.OPERATOR)));
        operator.requirePublish("churn");
        assertThatThrownBy(() -> operator.requirePublish("aiflow.tasks")).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("platform's own");
        new Caller("root", Caller.Kind.USER, Set.of(Grant.global(Role.ADMIN))).requirePublish("aiflow.tasks");
    }
}

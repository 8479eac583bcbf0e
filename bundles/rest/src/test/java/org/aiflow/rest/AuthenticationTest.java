package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

import javax.security.auth.Subject;

import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.security.Authenticator;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.Role;
import org.junit.jupiter.api.Test;

/** How the Authorization header is read, before any realm is asked; and which requests need no CSRF header. */
class AuthenticationTest {
    /** Knows one user (vera, pw with a colon) and one token. */
    private final Authentication authentication = new Authentication(new Authenticator() {
        @Override
        public Caller basic(String user, char[] password) {
            if (user.equals("vera") && new String(password).equals("p:w")) {
                return new Caller("vera", Caller.Kind.USER, Set.of(Grant.global(Role.VIEWER)));
            }
            throw new UnauthenticatedException("user name or password is wrong");
        }

        @Override
        public Caller bearer(String secret) {
            if (secret.equals("aif_good")) {
                return new Caller("token:ci", Caller.Kind.TOKEN, Set.of());
            }
            throw new UnauthenticatedException("the bearer token is unknown");
        }

        @Override
        public Caller of(Subject subject) {
            return null;
        }
    });

    private static String basic(String text) {
        return "Basic " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicAndBearerSignIn() {
        assertThat(authentication.authenticate(basic("vera:p:w")).principal()).isEqualTo("vera");
        assertThat(authentication.authenticate("basic " + Base64.getEncoder().encodeToString("vera:p:w".getBytes(StandardCharsets.UTF_8)))
                .principal()).isEqualTo("vera");
        assertThat(authentication.authenticate("Bearer aif_good").principal()).isEqualTo("token:ci");
        assertThat(authentication.authenticate("  Bearer   aif_good ").principal()).isEqualTo("token:ci");
    }

    @Test
    void everythingElseIsUnauthenticatedWithAReason() {
        String[][] cases = {
                {null, "credentials required"}, {"", "credentials required"}, {"Basic", "expected user:password"},
                {"Basic !!!", "not Base64"}, {basic("no-colon"), "expected user:password"}, {basic(":pw"), "expected user:password"},
                {basic("vera:wrong"), "wrong"}, {basic("ve\u0001ra:p:w"), "control character"},
                {"Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC0, (byte) 0xAF, ':', 'x'}), "not UTF-8"},
                {"Bearer", "needs a token"}, {"Bearer aif_bad", "unknown"}, {"Digest x", "Basic or Bearer"},
                {"Basic " + "x".repeat(5000), "longer than"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> authentication.authenticate(c[0])).as(String.valueOf(c[0]))
                    .isInstanceOf(UnauthenticatedException.class).hasMessageContaining(c[1]);
        }
    }

    @Test
    void onlyTypesAFormCannotSendPassTheCrossSiteCheck() {
        assertThat(CrossSite.nonSimpleType("application/json")).isTrue();
        assertThat(CrossSite.nonSimpleType("application/yaml; charset=utf-8")).isTrue();
        assertThat(CrossSite.nonSimpleType("text/plain")).isFalse();
        assertThat(CrossSite.nonSimpleType("Text/Plain; charset=UTF-8")).isFalse();
        assertThat(CrossSite.nonSimpleType("application/x-www-form-urlencoded")).isFalse();
        assertThat(CrossSite.nonSimpleType("multipart/form-data; boundary=x")).isFalse();
        assertThat(CrossSite.nonSimpleType(null)).isFalse();
        assertThat(CrossSite.nonSimpleType("garbage")).isFalse();
    }
}

package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import javax.security.auth.Subject;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.security.Authenticator;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.Role;
import org.junit.jupiter.api.Test;

/**
 * How the Authorization header is read, before any realm is asked; the 401's challenges; and which
 * requests need no CSRF header.
 */
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

    /** A request to {@code path} with the given headers (name, value, ...), as the filter sees it; {@code aborted} gets its answer. */
    private static ContainerRequestContext request(String path, AtomicReference<Response> aborted, String... headers) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i].toLowerCase(java.util.Locale.ROOT), headers[i + 1]);
        }
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(AuthenticationTest.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPath" -> path;
                    case "getRequestUri" -> URI.create("http://localhost:8181/aiflow/v1/" + path);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (ContainerRequestContext) Proxy.newProxyInstance(AuthenticationTest.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaderString" -> h.get(((String) args[0]).toLowerCase(java.util.Locale.ROOT));
                    case "getMethod" -> "GET";
                    case "getUriInfo" -> uri;
                    case "abortWith" -> {
                        aborted.set((Response) args[0]);
                        yield null;
                    }
                    case "setSecurityContext" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static List<String> challenges(Response r) {
        return r.getHeaders().get(HttpHeaders.WWW_AUTHENTICATE).stream().map(Object::toString).toList();
    }

    @Test
    void aRequestWithXRequestedByIsChallengedForBearerOnlySoNoBrowserDialogOpens() {
        String basic = "Basic realm=\"aiflow\", charset=\"UTF-8\"";
        String bearer = "Bearer realm=\"aiflow\"";
        // {headers..., expected challenges}: without credentials, with wrong ones, with a malformed header
        Object[][] cases = {
                {new String[] {}, List.of(basic, bearer)},
                {new String[] {"X-Requested-By", "aiflow-web"}, List.of(bearer)},
                {new String[] {"x-requested-by", ""}, List.of(bearer)},
                {new String[] {"Authorization", basic("vera:wrong")}, List.of(basic, bearer)},
                {new String[] {"Authorization", basic("vera:wrong"), "X-Requested-By", "aiflow-web"}, List.of(bearer)},
                {new String[] {"Authorization", "Bearer aif_bad", "X-Requested-By", "cli"}, List.of(bearer)},
                {new String[] {"Authorization", "Digest x"}, List.of(basic, bearer)},
        };
        for (Object[] c : cases) {
            String[] headers = (String[]) c[0];
            AtomicReference<Response> aborted = new AtomicReference<>();
            authentication.filter(request("workflows", aborted, headers));
            Response r = aborted.get();
            assertThat(r).as(List.of(headers).toString()).isNotNull();
            assertThat(r.getStatus()).isEqualTo(401);
            assertThat(challenges(r)).as(List.of(headers).toString()).isEqualTo(c[1]);
            // the problem body stays
            assertThat(r.getEntity()).isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code()).isEqualTo("unauthenticated"));
            assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        }
        // the same rule for a 401 a resource throws (the exception mapper, outside a runtime: no request headers)
        Response mapped = new ErrorMappers.AiflowExceptionMapper().toResponse(new UnauthenticatedException("credentials required"));
        assertThat(mapped.getStatus()).isEqualTo(401);
        assertThat(challenges(mapped)).containsExactly(basic, bearer);
        assertThat(Authentication.challenges(true)).containsExactly(bearer);

        // signed in, or a public path: nothing is aborted
        AtomicReference<Response> none = new AtomicReference<>();
        authentication.filter(request("workflows", none, "Authorization", basic("vera:p:w"), "X-Requested-By", "x"));
        authentication.filter(request("health/ready", none, "X-Requested-By", "x"));
        assertThat(none.get()).isNull();
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

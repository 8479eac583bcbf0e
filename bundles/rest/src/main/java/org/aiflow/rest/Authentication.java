package org.aiflow.rest;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.security.Authenticator;
import org.aiflow.api.security.Caller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Every call but {@code /health} proves who it is: HTTP Basic (checked by the Karaf JAAS realm) or
 * {@code Bearer} with an API or task token. Otherwise 401 with the problem body and both challenges,
 * or only the Bearer challenge when the request carries {@value CrossSite#REQUESTED_BY} (see
 * {@link #unauthorized(String, boolean)}). Runs before matching, so an unauthenticated caller
 * learns nothing, not even which paths exist.
 */
@Component(service = Authentication.class)
@PreMatching
public class Authentication implements ContainerRequestFilter {
    static final String BASIC_CHALLENGE = "Basic realm=\"aiflow\", charset=\"UTF-8\"";
    static final String BEARER_CHALLENGE = "Bearer realm=\"aiflow\"";
    /** Longest Authorization header read (a Basic header of a 128-character user and a long password fits). */
    private static final int MAX_HEADER = 4096;

    private final Authenticator authenticator;

    @Activate
    public Authentication(@Reference Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext ctx) {
        if (isPublic(ctx)) {
            return;
        }
        String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        try {
            Caller caller = authenticate(header);
            boolean secure = ctx.getUriInfo().getRequestUri().getScheme().equals("https");
            ctx.setSecurityContext(new Callers.CallerContext(caller, secure,
                    caller.kind() == Caller.Kind.USER ? "BASIC" : "BEARER"));
        } catch (UnauthenticatedException e) {
            ctx.abortWith(unauthorized(e.getMessage(), ctx.getHeaderString(CrossSite.REQUESTED_BY) != null));
        } catch (AiflowException e) {
            // e.g. the store is down while a token is checked: not the caller's fault
            ctx.abortWith(ErrorMappers.problem(503, e.code().equals("unavailable") ? "unavailable" : e.code(), e.getMessage()));
        }
    }

    /** The paths that answer without credentials (with or without a trailing slash). */
    static final Set<String> PUBLIC_PATHS = Set.of("health", "health/ready", "openapi.json");

    /**
     * Health answers everyone (load balancers and scripts that wait for a start), and so does the
     * OpenAPI document (it describes paths only); CORS preflights carry no credentials.
     */
    static boolean isPublic(ContainerRequestContext ctx) {
        return isPublicPath(ctx.getUriInfo().getPath(true)) || CrossSite.isPreflight(ctx);
    }

    /** Whether {@code path} (relative to the application, e.g. {@code /health/ready}) is one of {@link #PUBLIC_PATHS}. */
    static boolean isPublicPath(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return PUBLIC_PATHS.contains(p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
    }

    Caller authenticate(String header) {
        if (header == null || header.isBlank()) {
            throw new UnauthenticatedException("credentials required: HTTP Basic (a user of the platform's login realm) "
                    + "or Authorization: Bearer <API token>");
        }
        if (header.length() > MAX_HEADER) {
            throw new UnauthenticatedException("the Authorization header is longer than " + MAX_HEADER + " characters");
        }
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        String credentials = space < 0 ? "" : h.substring(space + 1).trim();
        return switch (scheme) {
            case "basic" -> basic(credentials);
            case "bearer" -> {
                if (credentials.isEmpty()) {
                    throw new UnauthenticatedException("the Bearer scheme needs a token");
                }
                yield authenticator.bearer(credentials);
            }
            default -> throw new UnauthenticatedException("the Authorization scheme must be Basic or Bearer");
        };
    }

    private Caller basic(String credentials) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(credentials);
        } catch (IllegalArgumentException e) {
            throw new UnauthenticatedException("malformed Basic credentials: not Base64");
        }
        char[] text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(decoded));
            text = new char[chars.remaining()];
            chars.get(text);
        } catch (CharacterCodingException e) {
            throw new UnauthenticatedException("malformed Basic credentials: not UTF-8");
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
        int colon = -1;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            Arrays.fill(text, '\0');
            throw new UnauthenticatedException("malformed Basic credentials: expected user:password");
        }
        String user = new String(text, 0, colon);
        char[] password = Arrays.copyOfRange(text, colon + 1, text.length);
        Arrays.fill(text, '\0');
        try {
            for (char c : user.toCharArray()) {
                if (Character.isISOControl(c)) {
                    throw new UnauthenticatedException("malformed Basic credentials: control character in the user name");
                }
            }
            return authenticator.basic(user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * A 401 with the problem body and its challenges. A browser that gets a Basic challenge for a
     * {@code fetch} opens its own password dialog, over a page that signs in with its own form; it
     * never sends {@value CrossSite#REQUESTED_BY} by itself, while the web UI, the Java client and
     * scripts do. So a request with that header ({@code requestedBy}) is challenged for Bearer only,
     * any other for Basic and Bearer.
     */
    static Response unauthorized(String message, boolean requestedBy) {
        Response.ResponseBuilder r = Response.fromResponse(ErrorMappers.problem(401, "unauthenticated", message));
        for (String challenge : challenges(requestedBy)) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return r.build();
    }

    /** The {@code WWW-Authenticate} values of a 401, in order: see {@link #unauthorized(String, boolean)}. */
    static List<String> challenges(boolean requestedBy) {
        return requestedBy ? List.of(BEARER_CHALLENGE) : List.of(BASIC_CHALLENGE, BEARER_CHALLENGE);
    }
}

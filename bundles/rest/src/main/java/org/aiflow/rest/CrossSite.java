package org.aiflow.rest;

import java.util.Locale;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/**
 * Cross-site requests. A browser sends Basic credentials it has cached to any site's form or
 * {@code fetch}, but only "simple" requests (a form's content types, no custom header) go out
 * without asking the server first (a CORS preflight). So a state-changing call authenticated by
 * anything but a Bearer token needs a non-simple body type (JSON, YAML) or the header
 * {@value #REQUESTED_BY}; otherwise 403. CORS is off unless {@code allowedOrigins} lists origins.
 */
@Component(service = CrossSite.class, configurationPid = Rest.CONFIG_PID)
@PreMatching
public class CrossSite implements ContainerRequestFilter, ContainerResponseFilter {
    static final String REQUESTED_BY = "X-Requested-By";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> SIMPLE_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, Last-Event-ID, " + REQUESTED_BY;

    private volatile Set<String> allowedOrigins = Set.of();

    @Activate
    @Modified
    void configure(RestConfig config) {
        allowedOrigins = Set.of(config.allowedOrigins()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public void filter(ContainerRequestContext ctx) {
        if (isPreflight(ctx)) {
            ctx.abortWith(preflight(ctx.getHeaderString("Origin")));
            return;
        }
        if (SAFE.contains(ctx.getMethod()) || bearer(ctx.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return;
        }
        if (ctx.getHeaderString(REQUESTED_BY) != null || nonSimpleType(ctx.getHeaderString(HttpHeaders.CONTENT_TYPE))) {
            return;
        }
        ctx.abortWith(ErrorMappers.problem(403, "forbidden", "a state-changing call needs a JSON body "
                + "(Content-Type: application/json) or the header " + REQUESTED_BY + " (any value): browsers send neither "
                + "across sites without asking first, so this refuses cross-site request forgery"));
    }

    /** A browser's CORS preflight: it carries no credentials, and this filter answers it. */
    static boolean isPreflight(ContainerRequestContext ctx) {
        return "OPTIONS".equals(ctx.getMethod()) && ctx.getHeaderString("Origin") != null
                && ctx.getHeaderString("Access-Control-Request-Method") != null;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin != null && allowed(origin)) {
            response.getHeaders().putSingle("Access-Control-Allow-Origin", origin);
            response.getHeaders().putSingle("Access-Control-Allow-Credentials", "true");
            response.getHeaders().add("Vary", "Origin");
        }
    }

    private Response preflight(String origin) {
        if (!allowed(origin)) {
            return ErrorMappers.problem(403, "forbidden", "cross-origin requests from " + origin
                    + " are not allowed (see allowedOrigins in etc/org.aiflow.rest.cfg)");
        }
        return Response.noContent().header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Credentials", "true")
                .header("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE")
                .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                .header("Access-Control-Max-Age", "600").header("Vary", "Origin").build();
    }

    private boolean allowed(String origin) {
        Set<String> origins = allowedOrigins;
        return origins.contains("*") || origins.contains(origin.toLowerCase(Locale.ROOT));
    }

    private static boolean bearer(String authorization) {
        return authorization != null && authorization.trim().regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /** True for a content type a cross-site form cannot send (JSON, YAML): only these need no extra header. */
    static boolean nonSimpleType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        MediaTypes.Range r = MediaTypes.parse(contentType);
        return r != null && !SIMPLE_TYPES.contains(r.type() + "/" + r.subtype()) && !r.type().equals("*");
    }
}

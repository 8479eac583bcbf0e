package org.aiflow.jetty;

import java.io.IOException;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of every pax-web context (inserted below the Server by this fragment's
 * {@code /jetty.xml}): requests under the API's base get a JSON problem for whatever the container
 * would answer itself. Measured before, on the running distribution: {@code TRACE} a 405 with an
 * empty body, a raw backslash a 500 HTML page (CXF's {@code java.net.URI} refuses it), CXF's
 * {@code No service was found.} HTML 404 while resources register or the storage is down, and
 * Jetty's HTML 404 before the API's context exists.
 */
public class ApiGuard extends HandlerWrapper {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGuard.class);
    static final String ALLOW = "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE";
    private static final Set<String> METHODS = Set.of(ALLOW.split(", "));
    /** Service property of {@code Supplier<String>} services that say why the API is unavailable (null: no reason known). */
    static final String REASON_PROPERTY = "aiflow.unavailable.reason";
    static final String STARTING = "the AI Flow API is starting: its resources are not registered yet; retry in a few seconds";

    private final String base;

    public ApiGuard() {
        this("/aiflow/v1");
    }

    public ApiGuard(String base) {
        this.base = base;
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!isApi(target)) {
            super.handle(target, baseRequest, request, response);
            return;
        }
        String method = request.getMethod();
        if (!METHODS.contains(method)) {
            // TRACE echoes credentials back (cross-site tracing); unknown methods have no resource either
            baseRequest.setHandled(true);
            response.setHeader("Allow", ALLOW);
            Problems.write(response, 405, "method_not_allowed", "method " + method + " is not allowed: the API answers " + ALLOW);
            return;
        }
        String raw = baseRequest.getHttpURI().getPath();
        int bad = illegalCharacter(raw);
        if (bad >= 0) {
            baseRequest.setHandled(true);
            Problems.write(response, 400, "invalid_argument", "the path contains '" + raw.charAt(bad)
                    + "', which must be percent-encoded (as %" + String.format("%02X", (int) raw.charAt(bad)) + ")");
            return;
        }
        GuardedResponse guarded = new GuardedResponse(response, this::unavailableReason);
        try {
            super.handle(target, baseRequest, request, guarded);
        } catch (IOException | ServletException | RuntimeException e) {
            if (response.isCommitted()) {
                throw e;
            }
            baseRequest.setHandled(true);
            if (isRepublishing(e)) {
                // measured during start: NullPointerException "this.incomingObserver is null" in CXF's
                // AbstractHTTPDestination.invoke while the whiteboard replaces the application's endpoint
                LOG.debug("{} {} met the API while it was being republished", method, raw, e);
                response.setHeader("Retry-After", "5");
                Problems.write(response, 503, "unavailable", unavailableReason());
            } else {
                LOG.warn("{} {} failed in the container", method, raw, e);
                Problems.write(response, 500, "internal", "internal error");
            }
            return;
        }
        if (request.isAsyncStarted()) {
            return; // long-poll and SSE complete later, through the same wrapper
        }
        if (!baseRequest.isHandled()) {
            // no context serves the base yet: the whiteboard has not published the API
            baseRequest.setHandled(true);
            response.setHeader("Retry-After", "5");
            Problems.write(response, 503, "unavailable", unavailableReason());
            return;
        }
        guarded.finish();
    }

    /** A failure thrown by CXF's transport itself (our application maps its own exceptions to responses). */
    static boolean isRepublishing(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("org.apache.cxf.transport.");
    }

    private boolean isApi(String target) {
        return target != null && target.startsWith(base) && (target.length() == base.length() || target.charAt(base.length()) == '/');
    }

    /**
     * The index of a character RFC 3986 allows in no path (raw, before decoding), or -1. Jetty lets
     * {@code \ " < > ^ ` { | }} through; CXF then fails with a 500.
     */
    static int illegalCharacter(String rawPath) {
        if (rawPath == null) {
            return -1;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=:@/%".indexOf(c) >= 0;
            if (!ok) {
                return i;
            }
        }
        return -1;
    }

    /** The first reason a registered {@code Supplier<String>} gives, else that the API is starting. */
    String unavailableReason() {
        Bundle bundle = FrameworkUtil.getBundle(ApiGuard.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        if (context == null) {
            return STARTING;
        }
        try {
            @SuppressWarnings("rawtypes")
            Collection<ServiceReference<Supplier>> refs = context.getServiceReferences(Supplier.class, "(" + REASON_PROPERTY + "=*)");
            return refs.stream().sorted((a, b) -> b.compareTo(a)).map(ref -> reason(context, ref)).filter(Objects::nonNull)
                    .findFirst().orElse(STARTING);
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return STARTING;
        }
    }

    @SuppressWarnings("rawtypes")
    private static String reason(BundleContext context, ServiceReference<Supplier> ref) {
        Supplier supplier = context.getService(ref);
        try {
            Object reason = supplier == null ? null : supplier.get();
            return reason == null ? null : reason.toString();
        } catch (RuntimeException e) {
            return null;
        } finally {
            context.ungetService(ref);
        }
    }
}

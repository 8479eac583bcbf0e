package org.aiflow.jetty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        String charset = unknownCharset(request.getHeader("Content-Type"));
        if (charset != null) {
            // CXF fails with a 500 (and a stack trace in the log) on a charset it cannot load, before any filter runs
            baseRequest.setHandled(true);
            Problems.write(response, 415, "unsupported_media_type", "the Content-Type names the charset '" + charset
                    + "', which this server does not know: send UTF-8");
            return;
        }
        Health health = health(target);
        GuardedResponse.Unavailable unavailable = r -> unavailable(health, r);
        GuardedResponse guarded = new GuardedResponse(response, unavailable);
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
                unavailable.answer(response);
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
            unavailable.answer(response);
            return;
        }
        guarded.finish();
    }

    /** The two paths this guard answers itself while the API is not published. */
    enum Health {
        /** {@code /health}: the process is alive (200). */
        ALIVE,
        /** {@code /health/ready}: 503 with what is missing. */
        READY
    }

    /** Which health path {@code target} is (a trailing slash allowed), or null. */
    Health health(String target) {
        String path = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        if (path.equals(base + "/health")) {
            return Health.ALIVE;
        }
        return path.equals(base + "/health/ready") ? Health.READY : null;
    }

    /**
     * The answer while the API is not there to give it: {@code /health} 200 (the process is alive),
     * {@code /health/ready} 503 naming what is missing, anything else 503 with the first reason known.
     */
    void unavailable(Health health, HttpServletResponse response) throws IOException {
        if (health == Health.ALIVE) {
            Problems.writeJson(response, 200, "{\"status\":\"UP\"}");
        } else if (health == Health.READY) {
            response.setHeader("Retry-After", "1");
            Problems.writeProblem(response, 503, notReady(registry()).json());
        } else {
            response.setHeader("Retry-After", "5");
            Problems.write(response, 503, "unavailable", unavailableReason());
        }
    }

    /** The services each part of the platform registers (objectClass names), as the REST application's readiness names them. */
    static final Map<String, List<String>> PARTS = parts();
    static final String APPLICATION_FILTER = "(&(objectClass=javax.ws.rs.core.Application)(osgi.jaxrs.name=aiflow))";

    private static Map<String, List<String>> parts() {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        // one service hands out all stores; registered (by DS) also while it opens or when it failed to: the storage's
        // aiflow.unavailable.reason supplier says so then
        parts.put("storage", List.of("org.aiflow.api.spi.storage.StorageBackend"));
        parts.put("notification", List.of("org.aiflow.api.event.NotificationService"));
        parts.put("metadata", List.of("org.aiflow.api.metadata.MetadataService"));
        parts.put("scheduler", List.of("org.aiflow.api.scheduler.SchedulerService"));
        return Collections.unmodifiableMap(parts);
    }

    /** What the guard asks the service registry; a seam for tests. */
    interface Registry {
        /** Whether a service matching the filter is registered. */
        boolean has(String filter);

        /** The reasons the {@code aiflow.unavailable.reason} suppliers give, by their name, highest ranked first. */
        Map<String, String> reasons();
    }

    /** The 503 answer of {@code /health/ready} while the API is not published. */
    record NotReady(List<String> missing, String message) {
        String json() {
            StringBuilder b = new StringBuilder(Problems.fields(503, "unavailable", message)).append(",\"missing\":[");
            for (int i = 0; i < missing.size(); i++) {
                b.append(i == 0 ? "\"" : ",\"").append(Problems.escape(missing.get(i))).append('"');
            }
            return b.append("]}").toString();
        }
    }

    /** What is missing: the parts whose services are not all registered or whose supplier gives a reason, and always {@code rest}. */
    static NotReady notReady(Registry registry) {
        List<String> missing = new ArrayList<>();
        Map<String, String> reasons = registry.reasons();
        PARTS.forEach((part, services) -> {
            if (!services.stream().allMatch(s -> registry.has("(objectClass=" + s + ")")) || reasons.containsKey(part)) {
                missing.add(part);
            }
        });
        reasons.keySet().stream().filter(name -> !missing.contains(name)).forEach(missing::add);
        missing.add("rest");
        StringBuilder message = new StringBuilder("the AI Flow platform is not ready: missing ").append(String.join(", ", missing));
        reasons.values().forEach(r -> message.append("; ").append(r));
        message.append(registry.has(APPLICATION_FILTER)
                ? "; the REST application is registered and waits for the JAX-RS whiteboard to publish it"
                : "; the REST application is not registered yet (it registers once all its resources and providers are active)");
        return new NotReady(List.copyOf(missing), message.toString());
    }

    /** The service registry as pax-web-jetty's bundle sees it (this fragment has no context of its own). */
    private static Registry registry() {
        Bundle bundle = FrameworkUtil.getBundle(ApiGuard.class);
        BundleContext context = bundle == null ? null : bundle.getBundleContext();
        return new Registry() {
            @Override
            public boolean has(String filter) {
                try {
                    return context != null && context.getAllServiceReferences(null, filter) != null;
                } catch (InvalidSyntaxException | IllegalStateException e) {
                    return false;
                }
            }

            @Override
            public Map<String, String> reasons() {
                Map<String, String> reasons = new LinkedHashMap<>();
                if (context == null) {
                    return reasons;
                }
                try {
                    @SuppressWarnings("rawtypes")
                    Collection<ServiceReference<Supplier>> refs = context.getServiceReferences(Supplier.class, "(" + REASON_PROPERTY + "=*)");
                    refs.stream().sorted((a, b) -> b.compareTo(a)).forEach(ref -> {
                        String reason = reason(context, ref);
                        if (reason != null) {
                            reasons.merge(String.valueOf(ref.getProperty(REASON_PROPERTY)), reason, (a, b) -> a + "; " + b);
                        }
                    });
                } catch (InvalidSyntaxException | IllegalStateException e) {
                    // the framework is stopping: no reasons
                }
                return reasons;
            }
        };
    }

    /** The charset a Content-Type names if Java does not know it (printable, at most 64 characters), else null. */
    static String unknownCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq < 0 || !param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                continue;
            }
            String name = param.substring(eq + 1).trim();
            if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                name = name.substring(1, name.length() - 1);
            }
            boolean known;
            try {
                known = !name.isEmpty() && java.nio.charset.Charset.isSupported(name);
            } catch (IllegalArgumentException e) {
                known = false; // an illegal charset name
            }
            if (!known) {
                String shown = name.replaceAll("[^\\x20-\\x7e]", "?");
                return shown.length() > 64 ? shown.substring(0, 64) + "..." : shown;
            }
        }
        return null;
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

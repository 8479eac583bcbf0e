package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * The platform's REST base as jobs reach it ({@code AIFLOW_URL}): the scheduler's configured
 * {@code platformUrl}, else {@code http://127.0.0.1:<port>/aiflow/v1} with the port the HTTP server
 * listens on: the endpoint the HTTP runtime announces (Pax Web's {@code osgi.http.endpoint}, which
 * follows {@code etc/org.ops4j.pax.web.cfg}), else the framework property
 * {@code org.osgi.service.http.port}, else 8181. A server bound to one address other than the
 * wildcard is reached at that address. No OSGi class is needed here, so the scheduler embeds outside
 * OSGi ({@link Scheduler#standalone}); the lookup in the framework is {@link PlatformUrlInOsgi}.
 */
final class PlatformUrl {
    static final String PATH = "/aiflow/v1";
    static final String PORT_PROPERTY = "org.osgi.service.http.port";
    /** Pax Web announces "/" before the server has started, then scheme://address:port/ per connector. */
    private static final Pattern ENDPOINT_URL = Pattern.compile("(https?)://(.+):(\\d{1,5})/?");

    private PlatformUrl() {
    }

    /** Outside OSGi: the configured URL, else the system property's port. */
    static String standalone(String configured) {
        if (configured != null && !configured.isBlank()) {
            return trim(configured);
        }
        return "http://127.0.0.1:" + System.getProperty(PORT_PROPERTY, "8181") + PATH;
    }

    /**
     * The REST base from an {@code osgi.http.endpoint} value (a string, array or collection of URLs
     * such as {@code http://0.0.0.0:8181/}): the first plain-HTTP one, else the first HTTPS one; a
     * wildcard address becomes 127.0.0.1. Empty if none is an absolute URL with a port.
     */
    static Optional<String> fromEndpoints(Object property) {
        List<Matcher> endpoints = new ArrayList<>();
        for (Object o : values(property)) {
            // not URI.create: Pax Web writes IPv6 addresses without brackets (http://0:0:0:0:0:0:0:0:8181/)
            Matcher m = ENDPOINT_URL.matcher(o.toString().trim());
            if (m.matches()) {
                endpoints.add(m);
            }
        }
        Optional<Matcher> chosen = endpoints.stream().filter(m -> m.group(1).equals("http")).findFirst()
                .or(() -> endpoints.stream().filter(m -> m.group(1).equals("https")).findFirst());
        return chosen.map(m -> m.group(1) + "://" + host(m.group(2)) + ":" + m.group(3) + PATH);
    }

    private static Collection<?> values(Object property) {
        if (property == null) {
            return List.of();
        }
        if (property instanceof Collection<?> c) {
            return c;
        }
        if (property instanceof Object[] a) {
            return List.of(a);
        }
        return List.of(property);
    }

    private static String host(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0")) {
            return "127.0.0.1";
        }
        return h.contains(":") ? "[" + h + "]" : h;
    }

    static String trim(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}

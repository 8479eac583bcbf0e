package org.aiflow.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** {@link PlatformUrl} inside OSGi: the port the HTTP runtime announces. */
final class PlatformUrlInOsgi {
    private static final String HTTP_RUNTIME = "org.osgi.service.http.runtime.HttpServiceRuntime";
    private static final String ENDPOINT = "osgi.http.endpoint";

    private PlatformUrlInOsgi() {
    }

    /** In OSGi, looked up at each call (the HTTP server may be reconfigured while the platform runs). */
    static String resolve(String configured, BundleContext context) {
        if (configured != null && !configured.isBlank()) {
            return PlatformUrl.trim(configured);
        }
        List<Object> endpoints = new ArrayList<>();
        try {
            // by name: this bundle does not import the HTTP runtime's package and needs only a property
            ServiceReference<?>[] refs = context.getAllServiceReferences(HTTP_RUNTIME, null);
            if (refs != null) {
                for (ServiceReference<?> ref : refs) {
                    endpoints.add(ref.getProperty(ENDPOINT));
                }
            }
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // no filter is given / the bundle is stopping: fall back to the property
        }
        for (Object e : endpoints) {
            Optional<String> url = PlatformUrl.fromEndpoints(e);
            if (url.isPresent()) {
                return url.get();
            }
        }
        String port = context.getProperty(PlatformUrl.PORT_PROPERTY);
        return "http://127.0.0.1:" + (port == null || port.isBlank() ? "8181" : port.trim()) + PlatformUrl.PATH;
    }

}

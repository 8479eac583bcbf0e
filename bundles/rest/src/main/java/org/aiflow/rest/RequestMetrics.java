package org.aiflow.rest;

import java.lang.reflect.Method;

import javax.annotation.Priority;
import javax.ws.rs.Path;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Records every request into the metrics bundle when it is there: the matched resource's path
 * template (never the raw path, so ids and names do not make a label per value), the method, the
 * status and the time from arrival. First of the pre-matching filters, so requests refused by
 * authentication (401, resource "unmatched") are counted and timed too.
 */
@Component(service = RequestMetrics.class)
@PreMatching
@Priority(100)
public class RequestMetrics implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String START = RequestMetrics.class.getName() + ".start";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetricsBridge metrics;

    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(START, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MetricsBridge m = metrics;
        Object start = request.getProperty(START);
        if (m == null) {
            return;
        }
        // no start when a filter of the same priority aborted first: counted, not timed
        long nanos = start instanceof Long started ? System.nanoTime() - started : -1;
        m.served(template(resource), request.getMethod(), response.getStatus(), nanos);
    }

    /** {@code events}, {@code metrics/{name}/values}: the class's and the method's {@code @Path}; null when nothing matched. */
    static String template(ResourceInfo info) {
        Method method = info == null ? null : info.getResourceMethod();
        if (method == null) {
            return null;
        }
        Path type = info.getResourceClass() == null ? null : info.getResourceClass().getAnnotation(Path.class);
        Path own = method.getAnnotation(Path.class);
        String t = (type == null ? "" : trim(type.value())) + (own == null ? "" : "/" + trim(own.value()));
        return t.startsWith("/") ? t.substring(1) : t;
    }

    private static String trim(String p) {
        String s = p.startsWith("/") ? p.substring(1) : p;
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}

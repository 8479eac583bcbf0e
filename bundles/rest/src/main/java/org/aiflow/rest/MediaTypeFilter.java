package org.aiflow.rest;

import java.lang.reflect.Method;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.Produces;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.ext.Provider;

import org.aiflow.api.error.Names;
import org.osgi.service.component.annotations.Component;

/**
 * After CXF picked the resource method: 406 unless {@code Accept} admits what the method produces
 * (CXF ignores {@code q=0}), and 415 for a body whose {@code Content-Type} is not one the method
 * consumes (CXF reads a missing, empty or unparsable one as any type, so garbage was parsed as JSON).
 */
@Component(service = MediaTypeFilter.class)
@Provider
public class MediaTypeFilter implements ContainerRequestFilter {
    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext ctx) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return;
        }
        List<String> produced = types(method.getAnnotation(Produces.class) != null ? method.getAnnotation(Produces.class).value()
                : annotated(resource.getResourceClass(), Produces.class));
        if (!produced.isEmpty() && !MediaTypes.acceptable(ctx.getHeaderString(HttpHeaders.ACCEPT), produced)) {
            ctx.abortWith(ErrorMappers.problem(406, "not_acceptable", "this resource answers " + String.join(" or ", produced)
                    + ", which the Accept header excludes"));
            return;
        }
        Consumes consumes = method.getAnnotation(Consumes.class);
        if (consumes == null || !hasBody(ctx)) {
            return;
        }
        List<String> consumed = types(consumes.value());
        String contentType = ctx.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (!MediaTypes.supported(contentType, consumed)) {
            ctx.abortWith(ErrorMappers.problem(415, "unsupported_media_type", "a request body here needs Content-Type "
                    + String.join(" or ", consumed) + " (UTF-8), not " + (contentType == null || contentType.isBlank() ? "none"
                    : "'" + Names.printable(contentType) + "'")));
        }
    }

    /** A body is announced by its length or by chunked transfer (RFC 9112 6.3). */
    private static boolean hasBody(ContainerRequestContext ctx) {
        return ctx.getLength() > 0 || ctx.getHeaderString("Transfer-Encoding") != null;
    }

    private static String[] annotated(Class<?> type, Class<Produces> annotation) {
        Produces p = type == null ? null : type.getAnnotation(annotation);
        return p == null ? new String[0] : p.value();
    }

    /** The types of a {@code @Produces} or {@code @Consumes} value (each element may list several, comma-separated). */
    private static List<String> types(String[] values) {
        return java.util.Arrays.stream(values).flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }
}

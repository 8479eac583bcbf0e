package org.aiflow.rest;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code /aiflow/v1/health} (alive: 200 {@code {"status":"UP"}}) and {@code /aiflow/v1/health/ready}
 * (200 {@code {"status":"READY",...}} when storage, notification, metadata, scheduler and this
 * application are up; else 503 with the problem body and a {@code missing} list). A resource of its
 * own: it never needs credentials, so an authentication filter exempts {@code /health} by path.
 * While the application is not published, the org.aiflow.jetty fragment answers both paths itself.
 */
@Component(service = HealthResource.class)
@Path("health")
@Produces(MediaType.APPLICATION_JSON)
public class HealthResource {
    /** Service property of {@code Supplier<String>} services that say why a part is unavailable (null: it is not). */
    static final String REASON_PROPERTY = "aiflow.unavailable.reason";

    /** The 503 answer of {@code /health/ready}: the problem body ({@link Problem}'s fields) plus what is missing. */
    public record NotReady(String type, String title, int status, String detail, String code, String message, List<String> missing) {
        static NotReady of(String message, List<String> missing) {
            Problem p = Problem.of(503, "unavailable", message);
            return new NotReady(p.type(), p.title(), p.status(), p.detail(), p.code(), p.message(), missing);
        }
    }

    private final BundleContext context;

    @Activate
    public HealthResource(BundleContext context) {
        this.context = context;
    }

    @GET
    public Response alive() {
        return Response.ok(Map.of("status", "UP")).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("ready")
    public Response ready() {
        Readiness.State state = Readiness.check(this::registered, reasons());
        if (!state.ready()) {
            return Response.status(503).type(ErrorMappers.PROBLEM_JSON).header("Cache-Control", "no-store")
                    .header("Retry-After", ErrorMappers.RETRY_AFTER_SECONDS).entity(NotReady.of(state.message(), state.missing())).build();
        }
        Map<String, String> components = new LinkedHashMap<>();
        Readiness.PARTS.keySet().forEach(part -> components.put(part, "UP"));
        components.put(Readiness.REST, "UP");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "READY");
        body.put("components", components);
        return Response.ok(body).header("Cache-Control", "no-store").build();
    }

    private boolean registered(String objectClass) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(objectClass, null);
            return refs != null && refs.length > 0;
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return false;
        }
    }

    /** The reasons the registered suppliers give, by the name in their property; the highest ranked first. */
    @SuppressWarnings("rawtypes")
    private Map<String, String> reasons() {
        Map<String, String> reasons = new LinkedHashMap<>();
        Collection<ServiceReference<Supplier>> refs;
        try {
            refs = context.getServiceReferences(Supplier.class, "(" + REASON_PROPERTY + "=*)");
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return reasons;
        }
        refs.stream().sorted((a, b) -> b.compareTo(a)).forEach(ref -> {
            Supplier supplier = context.getService(ref);
            try {
                Object reason = supplier == null ? null : supplier.get();
                if (reason != null) {
                    reasons.merge(String.valueOf(ref.getProperty(REASON_PROPERTY)), reason.toString(), (a, b) -> a + "; " + b);
                }
            } catch (RuntimeException e) {
                // a supplier that fails says nothing
            } finally {
                context.ungetService(ref);
            }
        });
        return reasons;
    }
}

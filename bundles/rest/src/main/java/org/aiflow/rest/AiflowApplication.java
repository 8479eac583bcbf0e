package org.aiflow.rest;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.ws.rs.Path;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.DynamicFeature;
import javax.ws.rs.core.Application;
import javax.ws.rs.core.Feature;
import javax.ws.rs.ext.ContextResolver;
import javax.ws.rs.ext.ExceptionMapper;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;
import javax.ws.rs.ext.ParamConverterProvider;
import javax.ws.rs.ext.Provider;
import javax.ws.rs.ext.ReaderInterceptor;
import javax.ws.rs.ext.WriterInterceptor;

import org.aiflow.rest.ErrorMappers.AiflowExceptionMapper;
import org.aiflow.rest.ErrorMappers.UnexpectedExceptionMapper;
import org.aiflow.rest.ErrorMappers.WebApplicationExceptionMapper;
import org.aiflow.rest.SecurityResources.AuditTrail;
import org.aiflow.rest.SecurityResources.Grants;
import org.aiflow.rest.SecurityResources.Tokens;
import org.aiflow.rest.SecurityResources.WhoAmI;
import org.aiflow.rest.WorkflowsResource.ExecutionList;
import org.aiflow.rest.WorkflowsResource.PluginList;
import org.aiflow.rest.WorkflowsResource.SnapshotList;
import org.aiflow.rest.WorkflowsResource.TaskList;
import org.aiflow.rest.WorkflowsResource.WorkflowList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The whole API at {@code /aiflow/v1} as one JAX-RS application. Its resources and providers are
 * plain DS components (no whiteboard resources or extensions), each referenced here statically and
 * mandatorily, and returned by {@link #getSingletons()}. So this service registers only once every
 * part is active, and the JAX-RS whiteboard publishes the API once, complete: no 404 for a resource
 * that has not arrived yet, no republishing as parts arrive (which made readiness flap and once in
 * about 33 starts threw a ConcurrentModificationException in Aries 2.0.2 that left the API 503).
 * When a part goes (its service is gone), this application goes with it and the container answers
 * 503 JSON until it is back.
 *
 * <p><b>Adding a part</b> (a resource, a filter, a mapper) is one line here: a {@code @Reference}
 * field of the part's component type, e.g. {@code @Reference private CsrfFilter csrf;}. Every
 * instance field of this class is a part: its type is a DS component registered under its own
 * class, and a resource ({@link Path @Path}) or a provider ({@link Provider @Provider}, or
 * implementing a provider interface such as {@code ContainerRequestFilter}). Order filters with
 * {@code @Priority} on the filter class (and {@code @PreMatching} to run before matching), not by
 * the order of these fields. ApplicationPartsTest fails while a resource or provider component of
 * this bundle is not referenced here.
 */
@Component(service = Application.class)
@JaxrsName(Rest.APP_NAME)
@JaxrsApplicationBase("aiflow/v1")
public class AiflowApplication extends Application {
    // resources
    @Reference private HealthResource health;
    @Reference private EventsResource events;
    @Reference private SubscriptionsResource subscriptions;
    @Reference private ProjectsResource projects;
    @Reference private DatasetsResource datasets;
    @Reference private ModelsResource models;
    @Reference private ModelVersionsResource modelVersions;
    @Reference private ArtifactsResource artifacts;
    @Reference private MetricsResource metrics;
    @Reference private LineageResource lineage;
    @Reference private ClusterResource cluster;
    @Reference private WorkflowList workflows;
    @Reference private ExecutionList executions;
    @Reference private TaskList tasks;
    @Reference private SnapshotList snapshots;
    @Reference private PluginList plugins;
    @Reference private WhoAmI whoAmI;
    @Reference private Tokens tokens;
    @Reference private Grants grants;
    @Reference private AuditTrail audit;
    @Reference private OpenApiResource openApi;

    // providers
    @Reference private JsonProvider json;
    @Reference private AiflowExceptionMapper aiflowErrors;
    @Reference private WebApplicationExceptionMapper jaxrsErrors;
    @Reference private UnexpectedExceptionMapper unexpectedErrors;
    @Reference private BodyLimitFilter bodyLimit;
    @Reference private MediaTypeFilter mediaTypes;
    @Reference private Authentication authentication;
    @Reference private CrossSite crossSite;
    @Reference private RequestMetrics requestMetrics;
    @Reference private PageLinks pageLinks;
    @Reference private Idempotency idempotency;
    @Reference private Conditional conditional;

    private transient Set<Object> singletons = Set.of();

    @Activate
    void activate() {
        singletons = parts(this);
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }

    /** The interfaces of JAX-RS providers: a class implementing one is a provider without {@code @Provider}. */
    private static final List<Class<?>> PROVIDERS = List.of(ContainerRequestFilter.class, ContainerResponseFilter.class,
            ReaderInterceptor.class, WriterInterceptor.class, ExceptionMapper.class, MessageBodyReader.class,
            MessageBodyWriter.class, ContextResolver.class, ParamConverterProvider.class, DynamicFeature.class, Feature.class);

    /** Whether instances of {@code type} belong in the application: a resource or a provider. */
    static boolean isPart(Class<?> type) {
        return type.isAnnotationPresent(Path.class) || type.isAnnotationPresent(Provider.class)
                || PROVIDERS.stream().anyMatch(p -> p.isAssignableFrom(type));
    }

    /** The values of every instance field of {@code application}'s class; each must be set and be a resource or a provider. */
    static Set<Object> parts(Object application) {
        List<String> wrong = new ArrayList<>();
        Set<Object> parts = new LinkedHashSet<>();
        for (Field f : application.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            Object part;
            try {
                f.setAccessible(true);
                part = f.get(application);
            } catch (ReflectiveOperationException | RuntimeException e) {
                wrong.add(f.getName() + " cannot be read (" + e + ")");
                continue;
            }
            if (part == null) {
                wrong.add(f.getName() + " is not set");
            } else if (!isPart(part.getClass())) {
                wrong.add(f.getName() + " (" + part.getClass().getName() + ") is neither a @Path resource nor a provider");
            } else {
                parts.add(part);
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the REST application's parts are wrong: " + String.join("; ", wrong));
        }
        return Collections.unmodifiableSet(parts);
    }
}

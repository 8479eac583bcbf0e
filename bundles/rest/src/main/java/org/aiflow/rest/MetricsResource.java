package org.aiflow.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.Response;

import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.MetricMeta;
import org.aiflow.api.metadata.MetricMetaDraft;
import org.aiflow.api.metadata.MetricPoint;
import org.aiflow.api.metadata.MetricQuery;
import org.aiflow.api.metadata.MetricValue;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code /aiflow/v1/metrics}: metric definitions of datasets and models, and their values. Values
 * are logged in batches ({@code POST /metrics/{name}/values}, all or nothing, up to 10,000) and read
 * in logging order, paged by {@code afterId}.
 */
@Component(service = MetricsResource.class)
@Path("metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {

    /** A page; {@code nextAfterName} is the older form of {@code nextPageToken} (the last name of a full page). */
    public record Metrics(List<MetricMeta> metrics, String nextPageToken, String nextAfterName) implements Paged {
    }

    public record LogRequest(List<MetricPoint> values) {
        public LogRequest {
            if (values == null) {
                throw new ValidationException("field 'values' (the metric values to log) is required");
            }
        }
    }

    public record Logged(int logged) {
    }

    /** A page; {@code nextAfterId} is the older form of {@code nextPageToken} (the last id of a full page). */
    public record Values(List<MetricValue> values, String nextPageToken, Long nextAfterId) implements Paged {
    }

    private final MetadataService metadata;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetricsBridge prometheus;

    @Activate
    public MetricsResource(@Reference MetadataService metadata) {
        this.metadata = metadata;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Response create(@QueryParam("namespace") String namespace, MetricMetaDraft draft, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        MetricMeta m = metadata.createMetric(namespace, draft);
        return Response.created(Rest.location("metrics", m.name(), m.namespace())).entity(m).build();
    }

    /**
     * The JSON list of metric definitions, or, for a client that prefers {@code text/plain} or
     * OpenMetrics (Prometheus' scrape), the platform's Prometheus metrics: global viewers only, as
     * they cover every namespace. 503 when the metrics bundle is not installed.
     */
    @GET
    @Produces({MediaType.APPLICATION_JSON, MetricsBridge.OPENMETRICS, MediaType.TEXT_PLAIN})
    public Response list(@QueryParam("namespace") String namespace, @QueryParam("namePrefix") String namePrefix,
                         @QueryParam("kind") String kind, @QueryParam("afterName") String afterName, @QueryParam("pageToken") String pageToken,
                         @QueryParam("limit") String limit, @Context SecurityContext sc, @Context HttpHeaders headers) {
        if (headers != null && MetricsBridge.wantsExposition(headers.getAcceptableMediaTypes())) {
            Callers.of(sc).requireEverywhere(Role.VIEWER);
            MetricsBridge bridge = prometheus;
            if (bridge == null) {
                throw new UnavailableException("Prometheus metrics are not installed (feature aiflow-metrics)", null);
            }
            return bridge.scrape(headers.getHeaderString(HttpHeaders.ACCEPT));
        }
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        String filters = PageToken.filters(Rest.namespace(namespace), namePrefix, kind);
        ListQuery query = Rest.listQuery(namePrefix, kind, Rest.after("metrics", filters, pageToken, afterName, "afterName"), false, limit);
        List<MetricMeta> page = metadata.listMetrics(namespace, query);
        String next = Rest.nextAfterName(page, query, MetricMeta::name);
        return Response.ok(new Metrics(page, PageToken.encode("metrics", filters, next), next), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("{name}")
    public MetricMeta get(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        return metadata.metric(namespace, name);
    }

    @POST
    @Path("{name}/values")
    @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
    public Logged log(@PathParam("name") String name, @QueryParam("namespace") String namespace, LogRequest request, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.OPERATOR, Rest.namespace(namespace));
        if (request == null) {
            throw new ValidationException("request body is empty");
        }
        return new Logged(metadata.logMetrics(namespace, name, request.values()));
    }

    @GET
    @Path("{name}/values")
    public Values values(@PathParam("name") String name, @QueryParam("namespace") String namespace, @QueryParam("key") String key,
                         @QueryParam("modelVersion") String modelVersion, @QueryParam("taskExecutionId") String taskExecutionId,
                         @QueryParam("from") String from, @QueryParam("until") String until,
                         @QueryParam("afterId") String afterId, @QueryParam("pageToken") String pageToken,
                         @QueryParam("limit") String limit, @Context SecurityContext sc) {
        Callers.of(sc).require(Role.VIEWER, Rest.namespace(namespace));
        String list = "metric values";
        String filters = PageToken.filters(Rest.namespace(namespace), name, key, modelVersion, taskExecutionId, from, until);
        String after = Rest.after(list, filters, pageToken, afterId, "afterId");
        Long version = Rest.optionalLong(modelVersion, "modelVersion");
        MetricQuery query = new MetricQuery(key, version == null ? null : (int) Math.min(version, Integer.MAX_VALUE),
                Rest.optionalLong(taskExecutionId, "taskExecutionId"), Rest.instantParam(from, "from"),
                Rest.instantParam(until, "until"), Rest.longParam(after, "afterId", 0, 0, Long.MAX_VALUE),
                (int) Rest.longParam(limit, "limit", 1000, 1, MetricQuery.MAX_LIMIT));
        List<MetricValue> page = metadata.metricValues(namespace, name, query);
        Long next = page.size() < query.limit() ? null : page.get(page.size() - 1).id();
        return new Values(page, PageToken.encode(list, filters, next == null ? null : next.toString()), next);
    }
}

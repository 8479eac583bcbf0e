package org.aiflow.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.aiflow.api.error.UnavailableException;
import org.aiflow.metrics.AiflowMetrics;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The REST API's one contact with the metrics bundle, which is optional (its package is imported
 * with {@code resolution:=optional}): only this class names its types, so without the bundle this
 * component alone fails to load and the API runs without metrics. The filter and the metrics
 * resource hold it by an optional dynamic reference.
 */
@Component(service = MetricsBridge.class)
public class MetricsBridge {
    /** The media types of the Prometheus exposition (OpenMetrics 1.0 and the text format 0.0.4). */
    static final String OPENMETRICS = "application/openmetrics-text";

    /**
     * Optional too, so that the bundle's generated service requirement is optional: Karaf's
     * resolver enforces mandatory ones and would otherwise install the metrics bundle with the API.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AiflowMetrics metrics;

    void served(String resource, String method, int status, long nanos) {
        AiflowMetrics m = metrics;
        if (m != null) {
            m.requestServed(resource, method, status, nanos);
        }
    }

    /** The exposition in the format {@code accept} prefers (the client library negotiates); 503 without the metrics service. */
    Response scrape(String accept) {
        AiflowMetrics m = metrics;
        if (m == null) {
            throw new UnavailableException("Prometheus metrics are not installed (feature aiflow-metrics)", null);
        }
        try {
            AiflowMetrics.Scrape s = m.scrape(accept);
            return Response.ok(s.body(), s.contentType()).header("Cache-Control", "no-store").build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether a GET of {@code /metrics} asks for the exposition rather than the JSON list of metric
     * definitions: the most preferred type of {@code Accept} (sorted by quality) is OpenMetrics or
     * {@code text/plain}, as in Prometheus' scrape header. No preference, a wildcard or JSON keep
     * the JSON list, so existing clients see no change.
     */
    static boolean wantsExposition(List<MediaType> acceptable) {
        if (acceptable == null || acceptable.isEmpty()) {
            return false;
        }
        MediaType first = acceptable.get(0);
        if (first.isWildcardType() || first.isWildcardSubtype()) {
            return false;
        }
        String type = first.getType() + "/" + first.getSubtype();
        return type.equalsIgnoreCase(OPENMETRICS) || type.equalsIgnoreCase(MediaType.TEXT_PLAIN);
    }
}

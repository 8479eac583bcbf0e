package org.aiflow.metrics.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** REST requests by resource (path template), method and status, and their latency. */
final class RestMetrics {
    private final Counter requests;
    private final Histogram seconds;

    RestMetrics(PrometheusRegistry registry) {
        requests = Counter.builder().name("aiflow_rest_requests_total")
                .help("REST requests answered, by matched resource template, method and status")
                .labelNames("resource", "method", "status").register(registry);
        seconds = Histogram.builder().name("aiflow_rest_request_duration_seconds")
                .help("REST request latency from arrival to response, by matched resource template and method")
                .labelNames("resource", "method").classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .withoutExemplars().register(registry);
    }

    void served(String resource, String method, int status, long nanos) {
        String r = resource == null || resource.isEmpty() ? "unmatched" : resource;
        requests.labelValues(r, method, Integer.toString(status)).inc();
        if (nanos >= 0) {
            seconds.labelValues(r, method).observe(nanos / 1e9);
        }
    }
}

package org.aiflow.metrics;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The platform's Prometheus registry. Everything it can read from other services (events,
 * subscriptions, tasks, the connection pool, the JVM) it reads itself; callers only record what
 * happens inside them (REST requests) and ask for the exposition.
 */
@ProviderType
public interface AiflowMetrics {

    /**
     * One REST request answered.
     *
     * @param resource the matched path template ({@code events}, {@code metrics/{name}/values}), never a raw path,
     *                 so the label set stays bounded
     * @param method   the HTTP method
     * @param status   the response status
     * @param nanos    how long it took, from arrival to the response filters; negative when unknown (counted, not timed)
     */
    void requestServed(String resource, String method, int status, long nanos);

    /**
     * The current values in the exposition format the {@code Accept} header asks for (OpenMetrics
     * text, else the Prometheus text format 0.0.4).
     */
    Scrape scrape(String accept) throws IOException;

    /** One exposition: its content type and body. */
    record Scrape(String contentType, byte[] body) {
    }
}

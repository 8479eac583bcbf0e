package org.aiflow.rest;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.aiflow.rest.cfg}: the REST API's limits. */
@ObjectClassDefinition(name = "AI Flow REST API")
public @interface RestConfig {
    @AttributeDefinition(description = "Largest accepted request body in bytes (answered 413 above)")
    long maxBodyBytes() default 16 * 1024 * 1024;

    @AttributeDefinition(description = "Longest long-poll wait a client may ask for, in seconds")
    int maxWaitSeconds() default 60;

    @AttributeDefinition(description = "Milliseconds between SSE heartbeats (how fast a gone client is noticed)")
    long heartbeatMillis() default 15_000;

    @AttributeDefinition(description = "Origins (scheme://host:port) whose pages may call the API from a browser (CORS); "
            + "empty: none, the default. '*' allows any origin: only for development")
    String[] allowedOrigins() default {};
}

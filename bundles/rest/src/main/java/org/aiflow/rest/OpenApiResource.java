package org.aiflow.rest;

import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;

/**
 * {@code /aiflow/v1/openapi.json}: the API's OpenAPI 3.0.3 document, generated on the first request
 * from the JAX-RS annotations of {@link AiflowApplication}'s resources (see {@link OpenApiDocument}).
 * Public, like {@code /health}: it describes paths only.
 */
@Component(service = OpenApiResource.class)
@Path("openapi.json")
@Produces(MediaType.APPLICATION_JSON)
public class OpenApiResource {
    private volatile Map<String, Object> document;

    @GET
    public Response document() {
        Map<String, Object> d = document;
        if (d == null) {
            Bundle bundle = FrameworkUtil.getBundle(OpenApiResource.class);
            d = OpenApiDocument.generate(AiflowApplication.class, bundle == null ? "unknown" : bundle.getVersion().toString());
            document = d;
        }
        return Response.ok(d).header("Cache-Control", "no-cache").build();
    }
}

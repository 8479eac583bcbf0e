package org.aiflow.rest;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.UriBuilder;

import org.osgi.service.component.annotations.Component;

/**
 * Adds {@code Link: <full URL of the next page>; rel="next"} (RFC 8288) to every answer that is a
 * {@link Paged} page with a next page: the request's URL with {@code pageToken} set and the older
 * cursor parameters ({@code afterName}, {@code afterId}, {@code beforeId}, {@code afterVersion}, {@code before}) removed,
 * so that following the links walks the whole list whatever form the first request used.
 */
@Component(service = PageLinks.class)
public class PageLinks implements ContainerResponseFilter {
    static final String[] OLDER_CURSORS = {"afterName", "afterId", "beforeId", "afterVersion", "before"};

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Paged page && page.nextPageToken() != null) {
            response.getHeaders().add("Link", link(request.getUriInfo().getRequestUriBuilder(), page.nextPageToken()));
        }
    }

    static String link(UriBuilder request, String token) {
        for (String older : OLDER_CURSORS) {
            request.replaceQueryParam(older);
        }
        return "<" + request.replaceQueryParam("pageToken", token).build() + ">; rel=\"next\"";
    }
}

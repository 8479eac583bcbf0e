package org.aiflow.web;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.context.ServletContextHelper;

/**
 * The UI's own servlet context at {@code /aiflow}, beside the JAX-RS whiteboard's {@code /aiflow/v1}
 * (Jetty picks the longest context path). Not pax-web's default context at {@code /}: a servlet
 * there makes that context serve every path, so a request outside {@code /aiflow} (e.g.
 * {@code /aiflow/v1/../../../etc/passwd}, normalized to {@code /etc/passwd}) got the context's HTML
 * 404 instead of the server's JSON one (BadInputIT saw it).
 */
@Component(service = ServletContextHelper.class, property = {
        "osgi.http.whiteboard.context.name=" + WebUiContext.NAME,
        "osgi.http.whiteboard.context.path=/aiflow"})
public class WebUiContext extends ServletContextHelper {
    static final String NAME = "aiflow-web";
}

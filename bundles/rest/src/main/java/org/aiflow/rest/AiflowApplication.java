package org.aiflow.rest;

import javax.ws.rs.core.Application;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The API's JAX-RS application at {@code /aiflow/v1}. It stays offline until the JSON provider,
 * the error mappers, the body-size filter and the media type filter are registered, so no request ever gets a default
 * (HTML or plain text) answer.
 */
@Component(service = Application.class)
@JaxrsName(Rest.APP_NAME)
@JaxrsApplicationBase("aiflow/v1")
@JaxrsExtensionSelect({"(osgi.jaxrs.name=" + Rest.JSON + ")", "(osgi.jaxrs.name=" + Rest.ERRORS + ")",
        "(osgi.jaxrs.name=" + Rest.LIMIT + ")", "(osgi.jaxrs.name=" + Rest.MEDIA + ")"})
public class AiflowApplication extends Application {
}

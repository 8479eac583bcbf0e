package org.aiflow.rest;

import java.util.Map;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import javax.ws.rs.ext.Provider;

import org.aiflow.api.error.AiflowException;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/** Every error leaves as an RFC 9457 problem ({@link Problem}), application/problem+json. */
public final class ErrorMappers {

    private ErrorMappers() {}

    static final MediaType PROBLEM_JSON = MediaType.valueOf(Problem.MEDIA_TYPE);

    /** The answer of an error; a 503 or 429 says when to retry (RFC 9110: the client waits rather than hammers). */
    static Response problem(int status, String code, String message) {
        Response.ResponseBuilder r = Response.status(status).type(PROBLEM_JSON).entity(Problem.of(status, code, message));
        if (status == 503 || status == 429) {
            r.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return r.build();
    }

    /** Seconds a client waits after a 503 or 429: a store that cannot commit or a starting platform is back within seconds. */
    static final String RETRY_AFTER_SECONDS = "1";

    /** The platform's errors: the status follows the stable code. */
    @Component(service = AiflowExceptionMapper.class)
    @Provider
    public static class AiflowExceptionMapper implements ExceptionMapper<AiflowException> {
        private static final Map<String, Integer> STATUS = Map.of("invalid_argument", 400, "too_large", 413,
                "not_found", 404, "conflict", 409, "unavailable", 503, "unauthenticated", 401, "forbidden", 403,
                "precondition_failed", 412, "too_many_requests", 429);

        private static final Logger LOG = LoggerFactory.getLogger(AiflowExceptionMapper.class);

        /** The request's headers (a proxy of the current request's); null outside a JAX-RS runtime. */
        @Context
        private HttpHeaders headers;

        @Override
        public Response toResponse(AiflowException e) {
            int status = STATUS.getOrDefault(e.code(), 400);
            if (status >= 500) {
                // the client sees the message; the operator needs the cause (e.g. the database's own exception)
                LOG.warn("REST call answered {}: {}", status, e.getMessage(), e);
            }
            if (status == 401) {
                return Authentication.unauthorized(e.getMessage(),
                        headers != null && headers.getHeaderString(CrossSite.REQUESTED_BY) != null);
            }
            return problem(status, e.code(), e.getMessage());
        }
    }

    /** JAX-RS' own errors (no such resource 404, 405, 406, 415, ...). */
    @Component(service = WebApplicationExceptionMapper.class)
    @Provider
    public static class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int s = e.getResponse().getStatus();
            String code = switch (s) {
                case 400 -> "invalid_argument";
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 406 -> "not_acceptable";
                case 413 -> "too_large";
                case 415 -> "unsupported_media_type";
                default -> s >= 500 ? "internal" : "http_" + s;
            };
            String msg = s == 404 ? "no such resource" : e.getMessage();
            return problem(s, code, msg);
        }
    }

    /** Anything else: 500, logged, no internals leaked. */
    @Component(service = UnexpectedExceptionMapper.class)
    @Provider
    public static class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
        private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

        @Override
        public Response toResponse(Throwable e) {
            LOG.error("unexpected error in REST call", e);
            return problem(500, "internal", "internal error");
        }
    }
}

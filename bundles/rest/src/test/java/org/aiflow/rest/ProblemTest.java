package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import javax.ws.rs.NotAllowedException;
import javax.ws.rs.core.Response;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;

/** Every error answer is an RFC 9457 problem, application/problem+json, with our stable code; 503 says when to retry. */
class ProblemTest {
    private static Map<String, Object> json(Object entity) throws Exception {
        return JsonProvider.MAPPER.readValue(JsonProvider.MAPPER.writeValueAsString(entity), new TypeReference<Map<String, Object>>() { });
    }

    @Test
    void thePlatformsErrorsBecomeProblemsWithTypeTitleDetailAndCode() throws Exception {
        ErrorMappers.AiflowExceptionMapper mapper = new ErrorMappers.AiflowExceptionMapper();
        Response r = mapper.toResponse(new NotFoundException("dataset 'ns/x' does not exist"));
        assertThat(r.getStatus()).isEqualTo(404);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(r.getHeaderString("Retry-After")).isNull();
        assertThat(json(r.getEntity())).containsExactly(Map.entry("type", "urn:aiflow:problem:not_found"), Map.entry("title", "Not Found"),
                Map.entry("status", 404), Map.entry("detail", "dataset 'ns/x' does not exist"), Map.entry("code", "not_found"),
                Map.entry("message", "dataset 'ns/x' does not exist"));

        assertThat(((Problem) mapper.toResponse(new ValidationException("bad")).getEntity()).title()).isEqualTo("Invalid Argument");
        assertThat(mapper.toResponse(new ConflictException("taken")).getStatus()).isEqualTo(409);
    }

    @Test
    void every503And429SaysWhenToRetry() {
        Response unavailable = new ErrorMappers.AiflowExceptionMapper().toResponse(new UnavailableException("the store is down", null));
        assertThat(unavailable.getStatus()).isEqualTo(503);
        assertThat(unavailable.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(ErrorMappers.problem(429, "too_many_requests", "slow down").getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(((Problem) ErrorMappers.problem(429, "too_many_requests", "x").getEntity()).title()).isEqualTo("Too Many Requests");

        HealthResource.NotReady notReady = HealthResource.NotReady.of("not ready: missing rest", List.of("rest"));
        assertThat(notReady.type()).isEqualTo("urn:aiflow:problem:unavailable");
        assertThat(notReady.detail()).isEqualTo(notReady.message()).isEqualTo("not ready: missing rest");
    }

    @Test
    void jaxRsOwnErrorsAndUnexpectedOnesAreProblemsToo() {
        Response r = new ErrorMappers.WebApplicationExceptionMapper().toResponse(new NotAllowedException("GET"));
        assertThat(r.getStatus()).isEqualTo(405);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(((Problem) r.getEntity()).code()).isEqualTo("method_not_allowed");
        assertThat(((Problem) r.getEntity()).title()).isEqualTo("Method Not Allowed");

        Response internal = new ErrorMappers.UnexpectedExceptionMapper().toResponse(new IllegalStateException("secret detail"));
        assertThat((Problem) internal.getEntity()).isEqualTo(Problem.of(500, "internal", "internal error"));
        assertThat(((Problem) internal.getEntity()).title()).isEqualTo("Internal Error");
        // a code without a listed title is spelled out
        assertThat(Problem.title("http_418")).isEqualTo("Http 418");
    }

    @Test
    void theJsonProviderWritesProblemJson() {
        assertThat(new JsonProvider().isWriteable(Problem.class, Problem.class, new java.lang.annotation.Annotation[0],
                ErrorMappers.PROBLEM_JSON)).isTrue();
    }
}

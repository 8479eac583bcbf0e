package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.ws.rs.core.Response;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.scheduler.ClusterService;
import org.aiflow.api.scheduler.ClusterStatus;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;

/** {@code GET /cluster} without a JAX-RS runtime: the resource method over a fixed ClusterService, and without one. */
class ClusterResourceTest {
    static final ClusterStatus STATUS = new ClusterStatus("node-a", "node-a", 3, 1200, 8800, 10000, List.of(
            new ClusterStatus.Node("node-a", "http://a:8181/aiflow/v1", "a", Instant.parse("2026-05-01T10:00:00Z"),
                    Instant.parse("2026-05-01T10:05:00Z"), true),
            new ClusterStatus.Node("node-b", "", "b", Instant.parse("2026-05-01T10:01:00Z"),
                    Instant.parse("2026-05-01T10:04:59.500Z"), false)));

    private static Callers.CallerContext as(String... grants) {
        Set<Grant> set = new HashSet<>();
        for (String g : grants) {
            set.add(Grant.parse(g));
        }
        return new Callers.CallerContext(new Caller("vera", Caller.Kind.USER, set), false, "BASIC");
    }

    private static ClusterResource resource(ClusterService service) {
        ClusterResource r = new ClusterResource();
        r.cluster = service;
        return r;
    }

    @Test
    void answersTheStatusWithEveryFieldOfTheRecord() throws Exception {
        ClusterStatus status = resource(() -> STATUS).get(as("viewer"));
        assertThat(status).isSameAs(STATUS);

        Map<String, Object> json = JsonProvider.MAPPER.readValue(JsonProvider.MAPPER.writeValueAsString(status),
                new TypeReference<Map<String, Object>>() { });
        assertThat(json).containsOnlyKeys("self", "leader", "epoch", "leaseAgeMillis", "leaseExpiresInMillis", "leaseTimeoutMillis", "nodes")
                .containsEntry("self", "node-a").containsEntry("leader", "node-a").containsEntry("epoch", 3)
                .containsEntry("leaseAgeMillis", 1200).containsEntry("leaseExpiresInMillis", 8800).containsEntry("leaseTimeoutMillis", 10000);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) json.get("nodes");
        assertThat(nodes).hasSize(2);
        assertThat(nodes.get(0)).containsOnlyKeys("id", "url", "host", "started", "lastSeen", "leader")
                .containsEntry("id", "node-a").containsEntry("url", "http://a:8181/aiflow/v1").containsEntry("host", "a")
                .containsEntry("started", "2026-05-01T10:00:00Z").containsEntry("lastSeen", "2026-05-01T10:05:00Z")
                .containsEntry("leader", true);
        assertThat(nodes.get(1)).containsEntry("id", "node-b").containsEntry("url", "").containsEntry("leader", false)
                .containsEntry("lastSeen", "2026-05-01T10:04:59.500Z");
    }

    @Test
    void noLeaderIsNull() throws Exception {
        ClusterStatus none = new ClusterStatus("node-a", null, 0, -1, 0, 10000, List.of());
        assertThat(JsonProvider.MAPPER.writeValueAsString(resource(() -> none).get(as("viewer@team")))).isEqualTo(
                "{\"self\":\"node-a\",\"leader\":null,\"epoch\":0,\"leaseAgeMillis\":-1,\"leaseExpiresInMillis\":0,"
                        + "\"leaseTimeoutMillis\":10000,\"nodes\":[]}");
    }

    @Test
    void withoutTheSchedulerItIs503WithTheProblemBody() {
        ClusterResource r = resource(null);
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> r.get(as("viewer")));
        assertThat(e).isInstanceOf(UnavailableException.class).hasMessage("the scheduler is not running");

        Response response = new ErrorMappers.AiflowExceptionMapper().toResponse((UnavailableException) e);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getEntity()).isEqualTo(Problem.of(503, "unavailable", "the scheduler is not running"));

        // the service comes back: the same resource answers again
        r.cluster = () -> STATUS;
        assertThat(r.get(as("viewer")).leader()).isEqualTo("node-a");
    }

    @Test
    void aViewerAnywhereReadsItNobodyElse() {
        ClusterResource r = resource(() -> STATUS);
        for (String[] grants : new String[][] {{"viewer"}, {"viewer@team"}, {"operator@ml"}, {"author"}, {"admin"}}) {
            assertThat(r.get(as(grants)).self()).as(String.join(",", grants)).isEqualTo("node-a");
        }
        assertThatThrownBy(() -> r.get(as())).isInstanceOf(ForbiddenException.class);
        // refused before the missing scheduler is mentioned
        assertThatThrownBy(() -> resource(null).get(as())).isInstanceOf(ForbiddenException.class);
        // anonymous: 401 (the authentication filter answers before, this is the resource's own guard)
        assertThatThrownBy(() -> r.get(null)).isInstanceOf(UnauthenticatedException.class);
    }
}

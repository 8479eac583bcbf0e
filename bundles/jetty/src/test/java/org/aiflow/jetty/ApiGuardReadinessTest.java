package org.aiflow.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/** What the guard answers for the health paths while the API is not published, without OSGi or Jetty. */
class ApiGuardReadinessTest {

    private static ApiGuard.Registry registry(Predicate<String> has, Map<String, String> reasons) {
        return new ApiGuard.Registry() {
            @Override
            public boolean has(String filter) {
                return has.test(filter);
            }

            @Override
            public Map<String, String> reasons() {
                return reasons;
            }
        };
    }

    @Test
    void theHealthPathsAreKnown() {
        ApiGuard guard = new ApiGuard();
        assertThat(guard.health("/aiflow/v1/health")).isEqualTo(ApiGuard.Health.ALIVE);
        assertThat(guard.health("/aiflow/v1/health/")).isEqualTo(ApiGuard.Health.ALIVE);
        assertThat(guard.health("/aiflow/v1/health/ready")).isEqualTo(ApiGuard.Health.READY);
        assertThat(guard.health("/aiflow/v1/health/ready/")).isEqualTo(ApiGuard.Health.READY);
        assertThat(guard.health("/aiflow/v1/healthy")).isNull();
        assertThat(guard.health("/aiflow/v1/health/readyx")).isNull();
        assertThat(guard.health("/aiflow/v1/events")).isNull();
    }

    @Test
    void notReadyNamesEveryMissingPartAndAlwaysTheRestApplication() {
        ApiGuard.NotReady nothing = ApiGuard.notReady(registry(f -> false, Map.of()));
        assertThat(nothing.missing()).containsExactly("storage", "notification", "metadata", "scheduler", "rest");
        assertThat(nothing.message()).endsWith("the REST application is not registered yet"
                + " (it registers once all its resources and providers are active)");
        assertThat(nothing.json()).startsWith("{\"type\":\"urn:aiflow:problem:unavailable\",\"title\":\"Unavailable\",\"status\":503,"
                + "\"detail\":\"the AI Flow platform is not ready:"
                + " missing storage, notification, metadata, scheduler, rest; ")
                .endsWith("\",\"missing\":[\"storage\",\"notification\",\"metadata\",\"scheduler\",\"rest\"]}");

        Set<String> services = Set.of("(objectClass=org.aiflow.api.spi.storage.StorageBackend)",
                "(objectClass=org.aiflow.api.event.NotificationService)",
                "(objectClass=org.aiflow.api.metadata.MetadataService)", "(objectClass=org.aiflow.api.scheduler.SchedulerService)",
                ApiGuard.APPLICATION_FILTER);
        ApiGuard.NotReady unpublished = ApiGuard.notReady(registry(services::contains, Map.of()));
        assertThat(unpublished.missing()).containsExactly("rest");
        assertThat(unpublished.message()).isEqualTo("the AI Flow platform is not ready: missing rest;"
                + " the REST application is registered and waits for the JAX-RS whiteboard to publish it");

        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("storage", "storage unavailable: no \"DataSource\"");
        ApiGuard.NotReady storage = ApiGuard.notReady(registry(f -> f.contains("Service"), reasons));
        assertThat(storage.missing()).containsExactly("storage", "rest");
        assertThat(storage.json()).contains("missing storage, rest; storage unavailable: no \\\"DataSource\\\"; the REST application is not");
    }
}

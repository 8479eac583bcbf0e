package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static final Set<String> ALL = Set.of("org.aiflow.api.spi.storage.StorageBackend", "org.aiflow.api.event.NotificationService",
            "org.aiflow.api.metadata.MetadataService", "org.aiflow.api.scheduler.SchedulerService");

    @Test
    void readyWhenEveryServiceIsThereAndNoSupplierGivesAReason() {
        assertThat(Readiness.check(ALL::contains, Map.of()).ready()).isTrue();
    }

    @Test
    void namesWhatIsMissingAndWhy() {
        Readiness.State nothing = Readiness.check(s -> false, Map.of());
        assertThat(nothing.missing()).containsExactly("storage", "notification", "metadata", "scheduler");

        Readiness.State noStorage = Readiness.check(s -> ALL.contains(s) && !s.endsWith("StorageBackend"), Map.of());
        assertThat(noStorage.missing()).containsExactly("storage");

        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("storage", "storage unavailable: no DataSource matches");
        reasons.put("security", "no realm");
        Readiness.State down = Readiness.check(ALL::contains, reasons);
        assertThat(down.missing()).containsExactly("storage", "security");
        assertThat(down.message()).isEqualTo("the AI Flow platform is not ready: missing storage, security;"
                + " storage unavailable: no DataSource matches; no realm");
    }
}

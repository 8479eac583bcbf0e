package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.storage.StorageBackend;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * The JDBC storage as the platform binds it: one {@link StorageBackend} service whose stores all
 * belong to one {@link JdbcStorage}, so a consumer cannot hold the stores of two databases.
 */
class JdbcStorageComponentTest {

    @Test
    void handsOutTheStoresOfOneStorageOnOneDatabase() throws Exception {
        try (TestDatabase db = TestDatabases.h2()) {
            StorageBackend backend = new JdbcStorageComponent(db.dataSource(), config("(dataSourceName=aiflow-h2)"));

            assertThat(backend.name()).isEqualTo("H2").isEqualTo(backend.eventStore().backend());
            // the same instances on every call: a consumer may keep them while the service is there
            assertThat(backend.eventStore()).isSameAs(backend.eventStore());
            assertThat(backend.schedulerStore()).isSameAs(backend.schedulerStore());
            assertThat(backend.metadataStore()).isSameAs(backend.metadataStore());
            assertThat(backend.securityStore()).isSameAs(backend.securityStore());
            assertThat(backend.clusterStore()).isSameAs(backend.clusterStore());
        }
    }

    @Test
    void itsEventAndSchedulerStoresShareTransactions() throws Exception {
        try (TestDatabase db = TestDatabases.h2()) {
            StorageBackend backend = new JdbcStorageComponent(db.dataSource(), config("(dataSourceName=aiflow-h2)"));
            long before = backend.eventStore().latestVersion();

            // the scheduler's outbox: an event appended within the scheduler store's transaction
            // commits with it, and is gone when it rolls back
            assertThatThrownBy(() -> backend.schedulerStore().inTransaction(null, () -> {
                backend.eventStore().append(List.of(EventDraft.of("k", "rolled-back")));
                throw new IllegalStateException("the decision failed");
            })).hasMessage("the decision failed");
            assertThat(backend.eventStore().latestVersion()).isEqualTo(before);

            backend.schedulerStore().inTransaction(null, () -> backend.eventStore().append(List.of(EventDraft.of("k", "committed"))));
            assertThat(backend.eventStore().latestVersion()).isGreaterThan(before);
        }
    }

    @Test
    void isDeclaredToDsAsTheOnlyStorageService() throws Exception {
        // written by bnd from the annotations (process-classes, before the tests): the stores are
        // offered as one StorageBackend, none of them on its own
        Path descriptor = Path.of("target/classes/OSGI-INF/" + JdbcStorageComponent.class.getName() + ".xml");
        String xml = Files.readString(descriptor);
        assertThat(xml).contains("<provide interface=\"" + StorageBackend.class.getName() + "\"/>")
                .doesNotContain("EventStore\"").doesNotContain("SchedulerStore\"").doesNotContain("ClusterStore\"")
                .contains("immediate=\"true\"").contains("configuration-pid=\"org.aiflow.storage.jdbc\"");
    }

    private static JdbcStorageComponent.Config config(String target) {
        return new JdbcStorageComponent.Config() {
            @Override
            public String dataSource_target() {
                return target;
            }

            @Override
            public Class<? extends Annotation> annotationType() {
                return JdbcStorageComponent.Config.class;
            }
        };
    }
}

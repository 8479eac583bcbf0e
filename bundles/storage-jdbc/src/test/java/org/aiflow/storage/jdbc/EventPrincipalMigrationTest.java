package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.Test;

/** V7 keeps the events stored before it (their principal is empty, the platform's) on both backends. */
class EventPrincipalMigrationTest {

    @Test
    void h2() throws Exception {
        check(TestDatabases::h2);
    }

    @Test
    void mariadb() throws Exception {
        check(TestDatabases::mariadb);
    }

    private static void check(Supplier<TestDatabase> database) throws Exception {
        try (TestDatabase db = database.get()) {
            SchemaMigrator.migrate(db.dataSource(), 6);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO aiflow_events (version, namespace, event_key, event_value, event_type, sender, context_json, "
                        + "create_time, idempotency_key) VALUES (1, 'old', 'k', 'before V7', 'T', 'someone', '{}', 1000, 'old-1')");
                s.execute("UPDATE aiflow_sequences SET last_value = 1 WHERE name = 'event'");
                c.commit();
            }
            JdbcStorage storage = JdbcStorage.open(db.dataSource()); // applies V7
            EventQuery all = new EventQuery(List.of("old"), null, null, null, 0, null, null, null, 10);
            Event old = new Event(1, "old", "k", "before V7", "T", "someone", Map.of(), Instant.ofEpochMilli(1000));
            assertThat(storage.eventStore().list(all)).containsExactly(old);
            assertThat(storage.eventStore().list(all).get(0).principal()).isEmpty();
            Event resent = storage.eventStore().append(List.of(new EventDraft("old", "k", "again", null, null, null, "old-1", "alice"))).get(0);
            assertThat(resent).as("a re-send of an old event returns it as stored").isEqualTo(old);
            Event added = storage.eventStore().append(List.of(new EventDraft("old", "k", "new", null, null, null, null).withPrincipal("alice"))).get(0);
            assertThat(added.version()).isEqualTo(2);
            assertThat(storage.eventStore().list(all)).extracting(Event::principal).containsExactly("", "alice");
            assertThat(storage.securityStore().tokens(true, 10)).isEmpty();
            assertThat(storage.securityStore().grants()).isEmpty();
        }
    }
}

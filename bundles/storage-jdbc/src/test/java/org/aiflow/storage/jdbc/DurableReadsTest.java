package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * On the embedded H2 store, readers see only events whose commit has returned: H2 shows a commit to
 * other sessions before it writes it, and a kill in between would take back an event a subscriber
 * had already been given. Simulated by committing an append in a transaction of the test's own,
 * which the store has not seen return.
 */
class DurableReadsTest {
    private static EventDraft draft(String value) {
        return new EventDraft("durable", "k", value, null, null, null, null);
    }

    private static EventQuery all() {
        return new EventQuery(List.of("durable"), null, null, null, 0, null, null, null, 100);
    }

    @Test
    void anEmbeddedStoreServesNoEventBeyondTheLastReturnedCommit() throws Exception {
        try (TestDatabase db = TestDatabases.h2()) {
            JdbcStorage storage = JdbcStorage.open(db.dataSource());
            MyBatisEventStore events = (MyBatisEventStore) storage.eventStore();
            Event first = events.append(List.of(draft("first"))).get(0);

            // committed in the database, but its commit has not returned to the store
            List<Event> pending = storage.inTransaction(session -> events.appendIn(session, List.of(draft("pending"))));
            assertThat(pending.get(0).version()).isGreaterThan(first.version());

            assertThat(events.list(all())).extracting(Event::value).containsExactly("first");
            assertThat(events.latestVersion()).isEqualTo(first.version());
            assertThat(events.count(all())).isEqualTo(1);

            // a later append returns: commits are written in version order, so both are durable now
            events.append(List.of(draft("later")));
            assertThat(events.list(all())).extracting(Event::value).containsExactly("first", "pending", "later");
        }
    }

    /** A re-send returns its original, older version: a batch ending with one still makes its new events readable. */
    @Test
    void aBatchEndingWithAResendIsReadableAtOnce() throws Exception {
        try (TestDatabase db = TestDatabases.h2()) {
            JdbcStorage storage = JdbcStorage.open(db.dataSource());
            MyBatisEventStore events = (MyBatisEventStore) storage.eventStore();
            events.append(List.of(new EventDraft("durable", "k", "first", null, null, null, "durable-1")));
            List<Event> batch = events.append(List.of(draft("new"), new EventDraft("durable", "k", "again", null, null, null, "durable-1")));
            assertThat(events.list(all())).extracting(Event::value).containsExactly("first", "new");
            assertThat(events.latestVersion()).isEqualTo(batch.get(0).version());
        }
    }

    @Test
    void aSharedDatabaseIsReadAsItIs() throws Exception {
        try (TestDatabase db = TestDatabases.mariadb()) {
            JdbcStorage storage = JdbcStorage.open(db.dataSource());
            MyBatisEventStore events = (MyBatisEventStore) storage.eventStore();
            events.append(List.of(draft("first")));
            storage.inTransaction(session -> events.appendIn(session, List.of(draft("another node's"))));
            assertThat(events.list(all())).extracting(Event::value).containsExactly("first", "another node's");
        }
    }
}

package org.aiflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService.Subscription;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

abstract class EventLogContractTest {
    private TestDatabase database;
    private EventLog log;

    abstract TestDatabase createDatabase();

    @BeforeEach
    void open() throws Exception {
        database = createDatabase();
        log = new EventLog(JdbcStorage.open(database.dataSource()).eventStore(), 16);
    }

    @AfterEach
    void close() {
        log.close();
        database.close();
    }

    private static Event next(BlockingQueue<Event> queue) throws InterruptedException {
        Event e = queue.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    @Test
    void subscriberGetsPastThenNewEventsInOrder() throws Exception {
        log.publish(EventDraft.of("a", "1"));
        log.publish(EventDraft.of("b", "2"));
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (Subscription s = log.subscribe(0, received::add)) {
            assertThat(next(received).key()).isEqualTo("a");
            assertThat(next(received).key()).isEqualTo("b");
            Event c = log.publish(EventDraft.of("c", "3"));
            assertThat(next(received)).isEqualTo(c);
        }
        log.publish(EventDraft.of("d", "4"));
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("no delivery after close").isNull();
    }

    @Test
    void subscriptionFromAVersionSkipsEarlierEvents() throws Exception {
        Event first = log.publish(EventDraft.of("a", "1"));
        log.publish(EventDraft.of("b", "2"));
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (Subscription s = log.subscribe(first.version(), received::add)) {
            assertThat(next(received).key()).isEqualTo("b");
        }
    }

    @Test
    void oversizedValueIsRejectedAndNothingStored() {
        assertThatThrownBy(() -> log.publish(EventDraft.of("big", "x".repeat(17))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("17 bytes, more than the limit of 16");
        assertThat(log.latestVersion()).isZero();
    }

    @Test
    void aFailingListenerDoesNotStopDelivery() throws Exception {
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        List<Long> failed = new CopyOnWriteArrayList<>();
        try (Subscription s = log.subscribe(0, e -> {
            if (e.key().equals("bad")) {
                failed.add(e.version());
                throw new IllegalStateException("listener bug");
            }
            received.add(e);
        })) {
            log.publish(EventDraft.of("bad", ""));
            log.publish(EventDraft.of("good", ""));
            assertThat(next(received).key()).isEqualTo("good");
            assertThat(failed).hasSize(1);
        }
        assertThat(log.list(EventQuery.after(0, 10))).hasSize(2);
    }
}

package org.aiflow.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.spi.storage.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The merge of local commits and polled reads, over an in-memory log: each version once, in order. */
class EventTailTest {
    private final ConcurrentSkipListMap<Long, Event> table = new ConcurrentSkipListMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<Long> out = new CopyOnWriteArrayList<>();
    private EventTail tail;

    private EventStore store() {
        return (EventStore) Proxy.newProxyInstance(EventStore.class.getClassLoader(), new Class<?>[] {EventStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("list")) {
                        reads.incrementAndGet();
                        EventQuery q = (EventQuery) args[0];
                        return table.tailMap(q.afterVersion(), false).values().stream().limit(q.limit()).toList();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Event event(long version) {
        return new Event(version, "ns", "k", Long.toString(version), "t", "s", Map.of(), Instant.EPOCH);
    }

    /** Stores the versions (committed) and returns them as a commit would report them. */
    private List<Event> commit(long... versions) {
        List<Event> events = java.util.Arrays.stream(versions).mapToObj(EventTailTest::event).toList();
        events.forEach(e -> table.put(e.version(), e));
        return events;
    }

    private void start(long pollMillis) {
        tail = new EventTail(store(), 0, pollMillis, batch -> batch.forEach(e -> out.add(e.version())));
        tail.start();
    }

    @AfterEach
    void stop() {
        if (tail != null) {
            tail.close();
        }
    }

    @Test
    void aContinuingLocalCommitGoesOutWithoutARead() {
        start(60_000); // the poller never wakes by itself
        tail.committed(commit(1, 2));
        tail.committed(commit(3));
        assertThat(out).containsExactly(1L, 2L, 3L);
        assertThat(reads.get()).isZero();
    }

    @Test
    void aGapIsReadFromTheStoreAndTheLateLocalListenerIsDropped() {
        start(60_000);
        commit(1, 2); // another node's commits, not reported here
        List<Event> third = commit(3);
        List<Event> fourth = commit(4);
        tail.committed(fourth); // a lower version's listener runs after a higher one's
        await().atMost(Duration.ofSeconds(10)).until(() -> out.size() == 4);
        tail.committed(third);
        tail.committed(fourth);
        assertThat(out).containsExactly(1L, 2L, 3L, 4L);
        assertThat(reads.get()).isEqualTo(1);
    }

    @Test
    void otherNodesEventsArriveByPollingAndLocalOnesAreNotRepeated() {
        start(20);
        commit(1, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> out.size() == 2);
        tail.committed(commit(3)); // local, continues the stream
        commit(4); // other node
        await().atMost(Duration.ofSeconds(10)).until(() -> out.size() == 4);
        await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > 3); // more polls see 3 and 4 again
        assertThat(out).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aBacklogLongerThanAPageIsReadPageAfterPage() {
        start(60_000);
        long n = EventTail.PAGE * 2L + 7;
        for (long v = 1; v <= n; v++) {
            commit(v);
        }
        tail.committed(List.of(table.get(n)));
        await().atMost(Duration.ofSeconds(10)).until(() -> out.size() == n);
        assertThat(out).isEqualTo(java.util.stream.LongStream.rangeClosed(1, n).boxed().toList());
        assertThat(reads.get()).isEqualTo(3);
    }
}

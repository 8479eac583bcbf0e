package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventListener;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.stats.HistogramSnapshot;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker thread over an in-memory store whose event log is also the notification service's:
 * events gathered in the inbox are decided in one transaction (group commit), each decision seeing
 * the ones before it.
 */
class SchedulerWorkerTest {

    /** Events from the store's log: publishing appends to it, subscribers get every committed event (outbox included). */
    static final class LogNotifications implements NotificationService {
        private final InMemorySchedulerStore store;
        private final List<EventListener> listeners = new ArrayList<>();

        LogNotifications(InMemorySchedulerStore store) {
            this.store = store;
            store.onCommitted(this::deliver);
        }

        private synchronized void deliver(List<Event> events) {
            for (EventListener l : List.copyOf(listeners)) {
                events.forEach(l::onEvent);
            }
        }

        @Override
        public Event publish(EventDraft draft) {
            return store.append(List.of(draft)).get(0);
        }

        @Override
        public List<Event> publishAll(List<EventDraft> drafts) {
            return store.append(drafts);
        }

        @Override
        public List<Event> list(EventQuery q) {
            return store.events().stream().filter(e -> e.version() > q.afterVersion()
                    && (q.untilVersion() == null || e.version() <= q.untilVersion())).limit(q.limit()).toList();
        }

        @Override
        public long latestVersion() {
            return store.lastVersion();
        }

        @Override
        public synchronized Subscription subscribe(long afterVersion, EventListener listener) {
            store.events().stream().filter(e -> e.version() > afterVersion).forEach(listener::onEvent);
            listeners.add(listener);
            return () -> {
                synchronized (LogNotifications.this) {
                    listeners.remove(listener);
                }
            };
        }

        @Override
        public SubscriptionInfo createSubscription(String name, long afterVersion) {
            return new SubscriptionInfo(name, afterVersion, store.lastVersion(), Instant.now(), Instant.now());
        }

        @Override
        public SubscriptionInfo acknowledge(String name, long version) {
            return new SubscriptionInfo(name, version, store.lastVersion(), Instant.now(), Instant.now());
        }

        @Override
        public long count(EventQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Long> countBySender(EventQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long latestVersion(String namespace, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long versionBefore(Instant time) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SubscriptionInfo> subscriptions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SubscriptionInfo subscription(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void deleteSubscription(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription resume(String name, EventListener listener) {
            throw new UnsupportedOperationException();
        }
    }

    @TempDir
    Path logs;
    private SchedulerParts parts;
    private SchedulerWorker worker;

    @BeforeEach
    void setUp() {
        parts = new SchedulerParts(logs, LogNotifications::new);
        worker = new SchedulerWorker(parts.notifications, parts.state, parts.recorder, parts.decider, parts.monitor, () -> { }, parts.stats);
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.close();
        }
    }

    /** Workflow {@code wf} with tasks {@code t0..t<n-1>}, task {@code ti} started by event {@code go-i}. */
    private static WorkflowDefinition tasksOnEvents(int n) {
        return new WorkflowDefinition("default", "wf", null, IntStream.range(0, n).mapToObj(i -> new TaskDefinition("t" + i, TaskKind.BATCH,
                new JobSpec(FakeJobRunner.TYPE, Map.of()), List.of(new Rule(new ConditionSpec(BuiltInConditionTypes.EVENT,
                Map.of(BuiltInConditionTypes.Event.KEY, "go-" + i)), Action.START)))).toList());
    }

    @Test
    void aBurstOfEventsIsDecidedInFewTransactions() {
        int n = 40;
        Workflow w = parts.store.saveWorkflow(tasksOnEvents(n));
        WorkflowExecution x = parts.store.createExecution(w.id(), w.snapshotId());
        // each task's event twice: the second must see the first's decision, though both are in one transaction
        List<EventDraft> burst = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            IntStream.range(0, n).forEach(i -> burst.add(EventDraft.of("go-" + i, "v")));
        }
        List<Event> published = parts.notifications.publishAll(burst);
        long lastOfBurst = published.get(published.size() - 1).version();
        int commits = parts.store.commits();

        worker.lead(() -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> parts.store.listTasks(new TaskQuery(null, x.id(), TaskStatus.RUNNING, 10_000))
                .size() == n);
        await().atMost(Duration.ofSeconds(10)).until(() -> worker.onWorker(() -> parts.state.cursor) == parts.store.lastVersion());

        assertThat(parts.store.commits() - commits).as("transactions for %d events", 2 * n).isLessThanOrEqualTo(3);
        List<TaskExecution> tasks = parts.store.listTasks(new TaskQuery(null, x.id(), null, 10_000));
        assertThat(tasks).hasSize(n).allMatch(t -> t.attempt() == 1);
        assertThat(tasks).extracting(TaskExecution::taskName).doesNotHaveDuplicates();
        assertThat(parts.runner.submitted).hasSize(n);
        for (TaskExecution t : tasks) { // each decided on its own event: the first of its key
            int i = Integer.parseInt(t.taskName().substring(1));
            Event e = published.get(i);
            assertThat(parts.store.history(t.id()).get(0).message()).isEqualTo("START by event " + e.version() + " (default/go-" + i + ")");
        }
        assertThat(parts.store.cursor(Scheduler.CONSUMER)).isGreaterThanOrEqualTo(lastOfBurst);

        worker.onWorker(() -> {
            parts.recorder.storeCursor();
            return null;
        });
        assertThat(parts.store.cursor(Scheduler.CONSUMER)).isEqualTo(parts.store.lastVersion());
    }

    @Test
    void decisionsAreTimedFromArrivalToCommitAndWaitingEventsCounted() throws Exception {
        int n = 3;
        Workflow w = parts.store.saveWorkflow(tasksOnEvents(n));
        parts.store.createExecution(w.id(), w.snapshotId());
        worker.lead(() -> { });
        CountDownLatch held = new CountDownLatch(1);
        worker.execute(() -> {
            try {
                held.await(); // the worker is busy: what arrives waits in its queue
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<EventDraft> events = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> events.add(EventDraft.of("go-" + i, "v")));
        events.add(EventDraft.of("unrelated", "v"));
        events.add(EventDraft.of("also-unrelated", "v"));
        parts.notifications.publishAll(events);

        await().atMost(Duration.ofSeconds(10)).until(() -> parts.stats.queuedEvents() == events.size());
        long allArrived = System.nanoTime(); // every event arrived before this
        assertThat(parts.stats.decisionNanos().count()).as("nothing decided while the worker is held").isZero();
        long heldNanos = System.nanoTime() - allArrived;
        held.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> parts.stats.decisionNanos().count() == n);
        await().atMost(Duration.ofSeconds(10)).until(() -> parts.stats.queuedEvents() == 0);
        HistogramSnapshot decisions = parts.stats.decisionNanos();
        // only the events that started a task; each waited at least as long as the worker was held
        assertThat(decisions.count()).isEqualTo(n);
        assertThat(decisions.sum()).isGreaterThanOrEqualTo(n * heldNanos);

        worker.close();
        worker = null;
        assertThat(parts.stats.queuedEvents()).as("a closed worker's queue is not counted").isZero();
    }
}

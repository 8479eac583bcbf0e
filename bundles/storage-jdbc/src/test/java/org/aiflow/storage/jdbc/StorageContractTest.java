package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.DecisionOutcome;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.Outboxed;
import org.aiflow.api.spi.storage.RuleState;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The storage contract, run once per backend by the subclasses. Tests share one database per
 * class and use their own names, so they do not depend on each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StorageContractTest {
    private TestDatabase database;
    private JdbcStorage storage;
    EventStore events;
    SchedulerStore scheduler;

    abstract TestDatabase createDatabase();

    abstract String expectedBackend();

    @BeforeAll
    void open() throws Exception {
        database = createDatabase();
        storage = JdbcStorage.open(database.dataSource());
        events = storage.eventStore();
        scheduler = storage.schedulerStore();
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void reportsItsBackendAndMigratesOnlyOnce() throws Exception {
        assertThat(events.backend()).isEqualTo(expectedBackend());
        assertThat(SchemaMigrator.migrate(database.dataSource())).isZero();
    }

    @Test
    void appendAssignsConsecutiveVersionsAndListFilters() {
        long before = events.latestVersion();
        List<Event> stored = events.append(List.of(
                new EventDraft("ns-a", "k1", "v1", "T1", "s", Map.of("x", "y"), null),
                new EventDraft("ns-a", "k2", "v2", "T2", null, null, null),
                new EventDraft("ns-b", "k1", "v3", "T1", null, null, null)));
        assertThat(stored).extracting(Event::version).containsExactly(before + 1, before + 2, before + 3);
        assertThat(events.latestVersion()).isEqualTo(before + 3);
        assertThat(stored.get(0).context()).containsEntry("x", "y");

        assertThat(events.list(query(List.of("ns-a"), null, null, before, 100)))
                .extracting(Event::value).containsExactly("v1", "v2");
        assertThat(events.list(query(null, List.of("k1"), null, before, 100)))
                .extracting(Event::value).containsExactly("v1", "v3");
        assertThat(events.list(query(null, null, List.of("T2"), before, 100)))
                .extracting(Event::value).containsExactly("v2");
        assertThat(events.list(EventQuery.after(before + 1, 1))).extracting(Event::value).containsExactly("v2");
        Event read = events.list(EventQuery.after(before, 1)).get(0);
        assertThat(read).isEqualTo(stored.get(0));
    }

    @Test
    void storesAwkwardTextExactly() {
        String key = "it's 100% _under_ \\back\\ \"quoted\" ünïcødé 模型 🚀";
        String value = "line1\nline2\t'; DROP TABLE aiflow_events; --";
        Event e = events.append(List.of(new EventDraft("odd", key, value, null, null, Map.of("k'%", "v\\_"), null))).get(0);
        List<Event> found = events.list(query(List.of("odd"), List.of(key), null, 0, 10));
        assertThat(found).containsExactly(e);
        assertThat(found.get(0).value()).isEqualTo(value);
        assertThat(events.list(query(List.of("odd"), List.of("it's 100%"), null, 0, 10))).isEmpty();
        assertThat(events.list(query(List.of("odd"), List.of(key.toUpperCase()), null, 0, 10))).as("exact, not case-insensitive").isEmpty();
    }

    @Test
    void idempotentAppendReturnsTheOriginalAndStoresNothing() {
        EventDraft draft = new EventDraft("idem", "k", "first", null, null, null, "req-1");
        Event first = events.append(List.of(draft)).get(0);
        long head = events.latestVersion();
        Event again = events.append(List.of(new EventDraft("idem", "k", "second", null, null, null, "req-1"))).get(0);
        assertThat(again).isEqualTo(first);
        assertThat(events.latestVersion()).isEqualTo(head);

        List<Event> batch = events.append(List.of(
                new EventDraft("idem", "k", "a", null, null, null, "req-2"),
                new EventDraft("idem", "k", "b", null, null, null, "req-2")));
        assertThat(batch.get(1)).isEqualTo(batch.get(0));
        assertThat(events.list(query(List.of("idem"), null, null, 0, 100))).hasSize(2);
    }

    @Test
    void concurrentAppendsAreGapFreeAndIdempotentResendsStoreOnce() throws Exception {
        long before = events.latestVersion();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        events.append(List.of(new EventDraft("conc", "k" + thread, "v" + i, null, null, null,
                                "conc-" + (i % 5) + "-" + thread)));
                        events.append(List.of(new EventDraft("conc", "shared", "v", null, null, null, "shared-" + i)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<Event> stored = events.list(query(List.of("conc"), null, null, before, 10_000));
        // 8 threads x 5 distinct keys + 25 shared keys
        assertThat(stored).hasSize(8 * 5 + 25);
        assertThat(stored).extracting(Event::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, stored.size()).mapToObj(i -> before + i).toList());
    }

    @Test
    void resendsInABatchTakeNoVersionSoVersionsStayDense() {
        Event original = events.append(List.of(new EventDraft("dense", "k", "original", null, null, null, "dense-1"))).get(0);
        long head = events.latestVersion();
        List<Event> mixed = events.append(List.of(
                new EventDraft("dense", "k", "re-send", null, null, null, "dense-1"),
                new EventDraft("dense", "k", "new", null, null, null, null),
                new EventDraft("dense", "k", "keyed", null, null, null, "dense-2"),
                new EventDraft("dense", "k", "keyed again", null, null, null, "dense-2"),
                new EventDraft("dense", "k", "new too", null, null, null, "dense-3")));
        assertThat(mixed.get(0)).isEqualTo(original);
        assertThat(mixed.get(3)).isEqualTo(mixed.get(2));
        assertThat(List.of(mixed.get(1), mixed.get(2), mixed.get(4))).extracting(Event::version)
                .containsExactly(head + 1, head + 2, head + 3);
        assertThat(events.latestVersion()).as("the sequence ends at the last version used").isEqualTo(head + 3);

        List<Event> resent = events.append(List.of(
                new EventDraft("dense", "k", "x", null, null, null, "dense-3"),
                new EventDraft("dense", "k", "y", null, null, null, "dense-1")));
        assertThat(resent).containsExactly(mixed.get(4), original);
        assertThat(events.latestVersion()).as("a batch of re-sends only takes no version").isEqualTo(head + 3);
        assertThat(events.append(List.of(EventDraft.of("dense", "after"))).get(0).version()).isEqualTo(head + 4);
        assertThat(events.list(query(List.of("dense"), null, null, original.version() - 1, 100))).extracting(Event::version)
                .containsExactly(original.version(), head + 1, head + 2, head + 3);
    }

    /** Two storages (two platform instances) on one database: re-sends and new events interleaved stay dense. */
    @Test
    void twoInstancesWithResendsLeaveNoGap() throws Exception {
        long before = events.latestVersion();
        try (com.zaxxer.hikari.HikariDataSource secondPool = database.newPool()) {
            EventStore second = JdbcStorage.open(secondPool).eventStore();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    EventStore instance = t % 2 == 0 ? events : second;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 20; i++) {
                            // every key is sent by two threads, one on each instance
                            instance.append(List.of(
                                    new EventDraft("two", "k", "v", null, null, null, "two-" + (thread / 2) + "-" + i),
                                    new EventDraft("two", "k", "plain", null, null, null, null)));
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
        List<Event> stored = events.list(query(List.of("two"), null, null, before, 10_000));
        assertThat(stored).hasSize(4 * 20 + 8 * 20);
        assertThat(stored).extracting(Event::version)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, stored.size()).mapToObj(i -> before + i).toList());
        assertThat(events.latestVersion()).isEqualTo(before + stored.size());
    }

    private static EventQuery query(List<String> namespaces, List<String> keys, List<String> types, long after, int limit) {
        return new EventQuery(namespaces, keys, types, null, after, null, null, null, limit);
    }

    @Test
    void readsFilterBySenderVersionAndTimeAndCount() throws Exception {
        long before = events.latestVersion();
        Instant start = Instant.now();
        List<Event> stored = events.append(List.of(
                new EventDraft("reads", "a", "1", null, "alice", null, null),
                new EventDraft("reads", "b", "2", null, "bob", null, null),
                new EventDraft("reads", "a", "3", null, "alice", null, null)));
        long v1 = stored.get(0).version();
        EventQuery all = new EventQuery(List.of("reads"), null, null, null, 0, null, null, null, 100);
        assertThat(events.count(all)).isEqualTo(3);
        assertThat(events.countBySender(all)).containsExactly(Map.entry("alice", 2L), Map.entry("bob", 1L));
        assertThat(events.list(new EventQuery(List.of("reads"), null, null, List.of("bob"), 0, null, null, null, 100)))
                .extracting(Event::value).containsExactly("2");
        assertThat(events.list(new EventQuery(List.of("reads"), null, null, null, v1, v1 + 1, null, null, 100)))
                .extracting(Event::value).containsExactly("2");
        assertThat(events.count(new EventQuery(List.of("reads"), null, null, null, 0, null, start.minusSeconds(60), null, 1))).isEqualTo(3);
        assertThat(events.count(new EventQuery(List.of("reads"), null, null, null, 0, null, null, start.minusSeconds(60), 1))).isZero();
        assertThat(events.latestVersion("reads", "a")).isEqualTo(v1 + 2);
        assertThat(events.latestVersion("reads", "nope")).isZero();
        assertThat(events.versionBefore(start.minusSeconds(60))).isLessThanOrEqualTo(before);
        assertThat(events.versionBefore(Instant.now().plusSeconds(60))).isEqualTo(events.latestVersion());
        assertThat(events.namespaces()).contains("reads");
    }

    @Test
    void namedSubscriptionsKeepAForwardOnlyCursor() {
        long head = events.append(List.of(EventDraft.of("sub", "x"))).get(0).version();
        SubscriptionInfo created = events.createSubscription("indexer", 0);
        assertThat(created.cursor()).isZero();
        assertThat(created.head()).isEqualTo(head);
        assertThat(created.lag()).isEqualTo(head);
        assertThat(events.createSubscription("indexer", 5).cursor()).as("create is idempotent").isZero();
        assertThat(events.acknowledge("indexer", head).orElseThrow().lag()).isZero();
        assertThat(events.acknowledge("indexer", 0).orElseThrow().cursor()).as("never moves back").isEqualTo(head);
        assertThat(events.acknowledge("nobody", 1)).isEmpty();
        assertThat(events.listSubscriptions()).extracting(SubscriptionInfo::name).contains("indexer");
        assertThat(events.deleteSubscription("indexer")).isTrue();
        assertThat(events.findSubscription("indexer")).isEmpty();
        assertThat(events.deleteSubscription("indexer")).isFalse();
    }

    @Test
    void retentionDeletesByAgeAndCountButNeverAboveTheFloor() {
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            drafts.add(new EventDraft("retained", "k", Integer.toString(i), null, null, null, null));
        }
        List<Event> stored = events.append(drafts);
        events.append(List.of(new EventDraft("other-ns", "k", "keep me", null, null, null, null)));
        long first = stored.get(0).version();
        EventQuery retained = new EventQuery(List.of("retained"), null, null, null, 0, null, null, null, 100);
        // keep the newest 6, but the floor (a subscriber's cursor) protects everything above first+1
        assertThat(events.deleteEvents("retained", null, 6L, first + 1)).isEqualTo(2);
        assertThat(events.list(retained)).extracting(Event::value).containsExactly("2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(events.deleteEvents("retained", null, 6L, Long.MAX_VALUE)).isEqualTo(2);
        assertThat(events.deleteEvents("retained", Instant.now().plusSeconds(60), null, first + 6)).isEqualTo(3);
        assertThat(events.list(retained)).extracting(Event::value).containsExactly("7", "8", "9");
        assertThat(events.count(new EventQuery(List.of("other-ns"), null, null, null, 0, null, null, null, 1))).isEqualTo(1);
    }

    @Test
    void executionsAndTasksCarryTheirWorkflowsNamespace() {
        // the same workflow name in two namespaces: the records and the task list tell them apart
        Workflow a = scheduler.saveWorkflow(workflow("team-a", "wf-same", "true"));
        Workflow b = scheduler.saveWorkflow(workflow("team-b", "wf-same", "true"));
        WorkflowExecution xa = scheduler.createExecution(a.id(), a.snapshotId());
        WorkflowExecution xb = scheduler.createExecution(b.id(), b.snapshotId());
        assertThat(xa.namespace()).isEqualTo("team-a");
        assertThat(scheduler.findExecution(xb.id()).orElseThrow().namespace()).isEqualTo("team-b");

        List<TaskExecution> queued = scheduler.recordDecisions("test-ns", 1, List.of(
                new NewTaskExecution(xa.id(), "team-a", "wf-same", "t1", "process", "go"),
                new NewTaskExecution(xb.id(), "wf-same", "t1", "process", "go")), List.of()); // namespace looked up by the store
        assertThat(queued).extracting(TaskExecution::namespace).containsExactly("team-a", "team-b");
        assertThat(scheduler.listTasks(new TaskQuery("team-b", "wf-same", null, null, 10)))
                .extracting(TaskExecution::workflowExecutionId).containsExactly(xb.id());
        assertThat(scheduler.listTasks(new TaskQuery("wf-same", null, null, 10))).hasSize(2);
        assertThat(scheduler.findTask(queued.get(0).id()).orElseThrow().namespace()).isEqualTo("team-a");
    }

    private static WorkflowDefinition workflow(String name, String command) {
        return workflow("team-a", name, command);
    }

    private static WorkflowDefinition workflow(String namespace, String name, String command) {
        return new WorkflowDefinition(namespace, name, "test workflow", List.of(new TaskDefinition("t1", TaskKind.BATCH,
                new JobSpec("process", Map.of("command", command)),
                List.of(new Rule(new ConditionSpec("event", Map.of("key", "go")), Action.START)))));
    }

    @Test
    void workflowUploadsCreateSnapshots() {
        Workflow w1 = scheduler.saveWorkflow(workflow("wf-snap", "echo 1"));
        assertThat(w1.enabled()).isTrue();
        Workflow w2 = scheduler.saveWorkflow(workflow("wf-snap", "echo 2"));
        assertThat(w2.id()).isEqualTo(w1.id());
        assertThat(w2.snapshotId()).isGreaterThan(w1.snapshotId());
        assertThat(scheduler.findSnapshot(w1.snapshotId()).orElseThrow().definition()).isEqualTo(workflow("wf-snap", "echo 1"));
        assertThat(scheduler.findSnapshot(w2.snapshotId()).orElseThrow().definition().tasks().get(0).job().config())
                .containsEntry("command", "echo 2");
        assertThat(scheduler.setWorkflowEnabled(w1.id(), false).orElseThrow().enabled()).isFalse();
        assertThat(scheduler.findWorkflow("team-a", "wf-snap").orElseThrow().enabled()).isFalse();
        assertThat(scheduler.findWorkflow("team-b", "wf-snap")).isEmpty();
        assertThat(scheduler.findWorkflow("team-a", "WF-SNAP")).isEmpty();
        assertThat(scheduler.saveWorkflow(workflow("WF-SNAP", "true")).id()).isNotEqualTo(w1.id());
        assertThat(scheduler.listWorkflows()).extracting(Workflow::name).contains("wf-snap");
        assertThat(scheduler.setWorkflowEnabled(-1, true)).isEmpty();
    }

    @Test
    void snapshotHistoryIsNewestFirstAndPagesWithBeforeId() {
        Workflow w1 = scheduler.saveWorkflow(workflow("wf-history", "echo 1"));
        Workflow other = scheduler.saveWorkflow(workflow("wf-history-other", "true")); // its snapshot lies in between
        Workflow w2 = scheduler.saveWorkflow(workflow("wf-history", "echo 2"));
        Workflow w3 = scheduler.saveWorkflow(workflow("wf-history", "echo 3"));
        long id = w1.id();

        List<SnapshotInfo> all = scheduler.listSnapshots(id, null, 100);
        assertThat(all).extracting(SnapshotInfo::id).containsExactly(w3.snapshotId(), w2.snapshotId(), w1.snapshotId());
        assertThat(all).extracting(SnapshotInfo::workflowId).containsOnly(id);
        assertThat(all.get(0).createTime()).isEqualTo(scheduler.findSnapshot(w3.snapshotId()).orElseThrow().createTime());
        assertThat(all.get(2).createTime()).isEqualTo(scheduler.findSnapshot(w1.snapshotId()).orElseThrow().createTime());

        // pages of two: the last id of a full page is the next page's beforeId
        List<SnapshotInfo> first = scheduler.listSnapshots(id, null, 2);
        assertThat(first).extracting(SnapshotInfo::id).containsExactly(w3.snapshotId(), w2.snapshotId());
        assertThat(scheduler.listSnapshots(id, first.get(1).id(), 2)).extracting(SnapshotInfo::id).containsExactly(w1.snapshotId());
        assertThat(scheduler.listSnapshots(id, w1.snapshotId(), 2)).isEmpty();
        assertThat(scheduler.listSnapshots(id, Long.MAX_VALUE, 1)).extracting(SnapshotInfo::id).containsExactly(w3.snapshotId());
        assertThat(scheduler.listSnapshots(other.id(), null, 100)).extracting(SnapshotInfo::id).containsExactly(other.snapshotId());

        // an unknown workflow has no history; a deleted one keeps its snapshots, as findSnapshot does
        assertThat(scheduler.listSnapshots(-1, null, 100)).isEmpty();
        assertThat(scheduler.deleteWorkflow(other.id())).isTrue();
        assertThat(scheduler.listSnapshots(other.id(), null, 100)).extracting(SnapshotInfo::id).containsExactly(other.snapshotId());
    }

    @Test
    void executionsStartRunningAndFinishOnce() {
        Workflow w = scheduler.saveWorkflow(workflow("wf-exec", "true"));
        WorkflowExecution e = scheduler.createExecution(w.id(), w.snapshotId());
        assertThat(e.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(e.workflowName()).isEqualTo("wf-exec");
        assertThat(scheduler.listExecutions(ExecutionStatus.RUNNING, w.id(), 10)).extracting(WorkflowExecution::id).containsExactly(e.id());
        assertThat(scheduler.finishExecution(e.id(), ExecutionStatus.STOPPED)).isTrue();
        assertThat(scheduler.finishExecution(e.id(), ExecutionStatus.FAILED)).isFalse();
        WorkflowExecution done = scheduler.findExecution(e.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(ExecutionStatus.STOPPED);
        assertThat(done.endTime()).isNotNull();
        assertThatThrownBy(() -> scheduler.createExecution(-5, 1)).isInstanceOf(NotFoundException.class);
    }

    /** Keyset pages by id, newest first: every execution and task once, whatever the page size (no ceiling). */
    @Test
    void executionsAndTasksPageByIdNewestFirst() {
        Workflow w = scheduler.saveWorkflow(workflow("team-p", "wf-pages", "true"));
        List<Long> ids = new java.util.ArrayList<>();
        List<NewTaskExecution> drafts = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            WorkflowExecution x = scheduler.createExecution(w.id(), w.snapshotId());
            ids.add(0, x.id());
            drafts.add(new NewTaskExecution(x.id(), "team-p", "wf-pages", "t1", "process", "go"));
        }
        List<Long> taskIds = new java.util.ArrayList<>(scheduler.recordDecisions("test-pages", 1, drafts, List.of()).stream()
                .map(TaskExecution::id).toList());
        java.util.Collections.reverse(taskIds);

        List<Long> seen = new java.util.ArrayList<>();
        Long before = null;
        for (int page = 0; page < 10; page++) {
            List<WorkflowExecution> p = scheduler.listExecutions(null, w.id(), before, 3);
            p.forEach(x -> seen.add(x.id()));
            if (p.size() < 3) {
                break;
            }
            before = p.get(p.size() - 1).id();
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(scheduler.listExecutions(null, w.id(), ids.get(0), 2)).extracting(WorkflowExecution::id)
                .containsExactly(ids.get(1), ids.get(2));

        TaskQuery q = new TaskQuery("team-p", "wf-pages", null, null, 3);
        List<Long> tasks = new java.util.ArrayList<>();
        for (List<TaskExecution> p = scheduler.listTasks(q); ; p = scheduler.listTasks(q.before(p.get(p.size() - 1).id()))) {
            p.forEach(t -> tasks.add(t.id()));
            if (p.size() < 3) {
                break;
            }
        }
        assertThat(tasks).containsExactlyElementsOf(taskIds);
        assertThat(scheduler.listTasks(q.before(taskIds.get(6)))).isEmpty();
    }

    @Test
    void decisionsAndCursorCommitTogetherAndTransitionsAreCompareAndSet() {
        Workflow w = scheduler.saveWorkflow(workflow("wf-tasks", "true"));
        WorkflowExecution e = scheduler.createExecution(w.id(), w.snapshotId());
        assertThat(scheduler.cursor("test-consumer")).isZero();
        List<TaskExecution> queued = scheduler.recordDecisions("test-consumer", 42,
                List.of(new NewTaskExecution(e.id(), "wf-tasks", "t1", "process", "event go")),
                List.of(new RuleState(e.id(), "t1", 0, Map.of("fired", "true"))));
        assertThat(scheduler.cursor("test-consumer")).isEqualTo(42);
        TaskExecution t = queued.get(0);
        assertThat(t.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(t.attempt()).isEqualTo(1);
        assertThat(scheduler.recordDecisions("test-consumer", 43,
                List.of(new NewTaskExecution(e.id(), "wf-tasks", "t1", "process", "again")), List.of()).get(0).attempt()).isEqualTo(2);
        scheduler.recordDecisions("test-consumer", 44, List.of(), List.of(new RuleState(e.id(), "t1", 0, Map.of("fired", "twice"))));
        assertThat(scheduler.ruleStates(e.id())).containsExactly(new RuleState(e.id(), "t1", 0, Map.of("fired", "twice")));
        assertThat(scheduler.cursor("test-consumer")).isEqualTo(44);

        TaskExecution running = scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "pid 7", "{\"jobId\":\"7\"}").orElseThrow();
        assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(running.handle()).isEqualTo("{\"jobId\":\"7\"}");
        assertThat(scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.FAILED, "stale", null)).isEmpty();
        TaskExecution done = scheduler.transition(t.id(), TaskStatus.RUNNING, TaskStatus.SUCCESS, "exit 0", null).orElseThrow();
        assertThat(done.handle()).isEqualTo("{\"jobId\":\"7\"}");
        assertThat(scheduler.history(t.id())).extracting(c -> c.from() + ">" + c.to())
                .containsExactly("null>QUEUED", "QUEUED>RUNNING", "RUNNING>SUCCESS");

        assertThat(scheduler.listTasks(new TaskQuery("wf-tasks", null, null, 10))).hasSize(2);
        assertThat(scheduler.listTasks(new TaskQuery(null, e.id(), TaskStatus.SUCCESS, 10))).extracting(TaskExecution::id).containsExactly(t.id());
        assertThat(scheduler.tasksInStatus(List.of(TaskStatus.QUEUED))).extracting(TaskExecution::workflowName).contains("wf-tasks");
    }

    /**
     * The scheduler names the attempt of a task it queues, and its transitions carry the row it
     * holds: the store then reads nothing back, and what it returns must still be what it stored.
     */
    @Test
    void namedAttemptsAndTransitionsOnTheCallersRowReturnWhatIsStored() {
        Workflow w = scheduler.saveWorkflow(workflow("wf-named", "true"));
        WorkflowExecution e = scheduler.createExecution(w.id(), w.snapshotId());
        List<TaskExecution> queued = scheduler.record("named", new Decision(1, null, List.of(
                new NewTaskExecution(e.id(), e.namespace(), "wf-named", "t1", "process", "go", 7),
                new NewTaskExecution(e.id(), e.namespace(), "wf-named", "t2", "process", "go", 0)), null, null, null)).queued();
        assertThat(queued).extracting(TaskExecution::attempt).containsExactly(7, 1);
        assertThat(queued).isEqualTo(queued.stream().map(t -> scheduler.findTask(t.id()).orElseThrow()).toList());

        TaskExecution t1 = queued.get(0);
        TaskExecution t2 = queued.get(1);
        String longMessage = "m".repeat(2100); // stored clipped: the returned row says what was stored
        DecisionOutcome out = scheduler.record("named", new Decision(2, null, null, null, List.of(
                Decision.Transition.of(t1, TaskStatus.RUNNING, "started", "{\"jobId\":\"1\"}"),
                Decision.Transition.of(t2, TaskStatus.RUNNING, longMessage, "{\"jobId\":\"2\"}"),
                Decision.Transition.of(t2, TaskStatus.FAILED, "stale: t2 is RUNNING by now")), null));
        assertThat(out.transitioned()).hasSize(2);
        assertThat(out.transitioned()).isEqualTo(List.of(scheduler.findTask(t1.id()).orElseThrow(), scheduler.findTask(t2.id()).orElseThrow()));
        TaskExecution running = out.transitioned().get(0);

        // one task moved twice in one decision: each returned row is the task as it was right after its change
        DecisionOutcome twice = scheduler.record("named", new Decision(3, null, null, null, List.of(
                Decision.Transition.of(running, TaskStatus.STOPPING, "stop"),
                new Decision.Transition(running.id(), TaskStatus.STOPPING, TaskStatus.STOPPED, "stopped")), null));
        assertThat(twice.transitioned()).extracting(TaskExecution::status).containsExactly(TaskStatus.STOPPING, TaskStatus.STOPPED);
        assertThat(twice.transitioned().get(1)).isEqualTo(scheduler.findTask(t1.id()).orElseThrow());
        assertThat(twice.transitioned().get(0).handle()).isEqualTo("{\"jobId\":\"1\"}");
        assertThatThrownBy(() -> new Decision.Transition(running.id(), TaskStatus.QUEUED, TaskStatus.SUCCESS, "x", null, running))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Another store's outbox (a plain, non-batch session) appends with the same sequence rules. */
    @Test
    void outboxEventsTakeVersionsInTheirTransactionAndResendsTakeNone() {
        Workflow w = scheduler.saveWorkflow(workflow("wf-outbox", "true"));
        WorkflowExecution e = scheduler.createExecution(w.id(), w.snapshotId());
        TaskExecution t = scheduler.recordDecisions("outbox", 1,
                List.of(new NewTaskExecution(e.id(), "wf-outbox", "t1", "process", "go")), List.of()).get(0);
        long head = events.latestVersion();
        String key = "outbox-" + t.id() + "-RUNNING";
        Outboxed<TaskExecution> running = scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "run", null,
                task -> List.of(new EventDraft("outbox", "wf-outbox/t1", "RUNNING", null, null, null, key),
                        new EventDraft("outbox", "wf-outbox/t1", "plain", null, null, null, null))).orElseThrow();
        assertThat(running.lastEventVersion()).isEqualTo(head + 2);
        assertThat(events.latestVersion()).isEqualTo(head + 2);

        Outboxed<TaskExecution> done = scheduler.transition(t.id(), TaskStatus.RUNNING, TaskStatus.SUCCESS, "done", null,
                task -> List.of(new EventDraft("outbox", "wf-outbox/t1", "again", null, null, null, key))).orElseThrow();
        assertThat(done.lastEventVersion()).as("the re-sent event's original version").isEqualTo(head + 1);
        assertThat(events.latestVersion()).as("a re-send takes no version").isEqualTo(head + 2);
        assertThat(events.list(query(List.of("outbox"), null, null, head, 10))).extracting(Event::value)
                .containsExactly("RUNNING", "plain");
        assertThat(events.append(List.of(EventDraft.of("outbox", "next"))).get(0).version()).isEqualTo(head + 3);
    }

    /** The authenticated publisher is stored with each event and read back on every path. */
    @Test
    void principalRoundTripsThroughAppendListOutboxAndListeners() throws Exception {
        List<List<Event>> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AutoCloseable listening = events.onCommitted(heard::add)) {
            long before = events.latestVersion();
            // one batch (the group commit's shape) with several principals, none, and an idempotent re-send
            List<Event> stored = events.append(List.of(
                    new EventDraft("who", "k", "alice's", null, "chosen-sender", null, "who-1", "alice"),
                    new EventDraft("who", "k", "token's", null, null, null, null, "token:ci"),
                    new EventDraft("who", "k", "platform's", null, null, null, null),
                    new EventDraft("who", "odd", "", null, null, null, null).withPrincipal("group:ops ünï 模型"),
                    new EventDraft("who", "k", "re-sent by bob", null, null, null, "who-1", "bob")));
            assertThat(stored).extracting(Event::principal)
                    .containsExactly("alice", "token:ci", "", "group:ops ünï 模型", "alice");
            assertThat(stored.get(0).sender()).isEqualTo("chosen-sender");
            assertThat(stored.get(4)).as("a re-send returns the original, its principal too").isEqualTo(stored.get(0));
            assertThat(events.list(query(List.of("who"), null, null, before, 100)))
                    .containsExactlyElementsOf(stored.subList(0, 4));
            assertThat(events.list(query(List.of("who"), null, null, before, 100))).extracting(Event::principal)
                    .containsExactly("alice", "token:ci", "", "group:ops ünï 模型");
            assertThat(events.append(List.of(new EventDraft("who", "k", "again", null, null, null, "who-1")))
                    .get(0).principal()).as("looked up by idempotency key").isEqualTo("alice");

            // the outbox of another store (a plain session) writes it as well
            Workflow w = scheduler.saveWorkflow(workflow("wf-who", "true"));
            WorkflowExecution e = scheduler.createExecution(w.id(), w.snapshotId());
            TaskExecution t = scheduler.recordDecisions("who", 1,
                    List.of(new NewTaskExecution(e.id(), "wf-who", "t1", "process", "go")), List.of()).get(0);
            long head = events.latestVersion();
            String key = "who-outbox-" + t.id();
            scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "run", null,
                    task -> List.of(new EventDraft("who-outbox", "wf-who/t1", "RUNNING", null, null, null, key, "task:" + t.id()),
                            new EventDraft("who-outbox", "wf-who/t1", "plain", null, null, null, null))).orElseThrow();
            // a re-send last in an outbox: the change reports its highest version, the new event's
            Outboxed<TaskExecution> done = scheduler.transition(t.id(), TaskStatus.RUNNING, TaskStatus.SUCCESS, "done", null,
                    task -> List.of(new EventDraft("who-outbox", "wf-who/t1", "SUCCESS", null, null, null, null, "carol"),
                            new EventDraft("who-outbox", "wf-who/t1", "re-sent", null, null, null, key, "dave"))).orElseThrow();
            assertThat(done.lastEventVersion()).isEqualTo(head + 3);
            assertThat(events.list(query(List.of("who-outbox"), null, null, head, 10))).extracting(Event::value, Event::principal)
                    .containsExactly(org.assertj.core.api.Assertions.tuple("RUNNING", "task:" + t.id()),
                            org.assertj.core.api.Assertions.tuple("plain", ""),
                            org.assertj.core.api.Assertions.tuple("SUCCESS", "carol"));
            assertThat(heard.stream().flatMap(List::stream).filter(ev -> ev.namespace().startsWith("who")))
                    .as("commit listeners are told the principal (re-sends as stored)").extracting(Event::principal)
                    .containsExactly("alice", "token:ci", "", "group:ops ünï 模型", "alice", "alice", "task:" + t.id(), "",
                            "carol", "task:" + t.id());
        }
    }

    @Test
    void longMessagesAreClippedNotRejected() {
        Workflow w = scheduler.saveWorkflow(workflow("wf-long", "true"));
        WorkflowExecution e = scheduler.createExecution(w.id(), w.snapshotId());
        TaskExecution t = scheduler.recordDecisions("long", 1,
                List.of(new NewTaskExecution(e.id(), "wf-long", "t1", "process", "x".repeat(5000))), List.of()).get(0);
        assertThat(t.message()).hasSize(MyBatisSchedulerStore.MAX_MESSAGE).endsWith("...");
    }
}

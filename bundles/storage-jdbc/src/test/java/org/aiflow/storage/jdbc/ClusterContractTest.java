package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.FencedException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.storage.ClusterCommand;
import org.aiflow.api.spi.storage.ClusterCommand.State;
import org.aiflow.api.spi.storage.ClusterNode;
import org.aiflow.api.spi.storage.ClusterStore;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.DecisionOutcome;
import org.aiflow.api.spi.storage.EventStore;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.Lease;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.Outboxed;
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
 * Several nodes on one database: the scheduler's group-commit transaction
 * ({@link SchedulerStore#inTransaction}), its leader fence, and the leases and heartbeats of
 * {@link ClusterStore}, and the commands non-leading nodes store for the leader; run once per
 * backend by the subclasses. Tests share one database per class and use their own names; commands
 * are one queue, so the command tests first take and answer what others left NEW.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClusterContractTest {
    private static final Duration LONG = Duration.ofSeconds(30);
    private TestDatabase database;
    private JdbcStorage storage;
    private EventStore events;
    private SchedulerStore scheduler;
    private ClusterStore cluster;

    abstract TestDatabase createDatabase();

    /** How many transactions on this test's database wait for a row lock now. */
    abstract long lockWaits(DataSource dataSource) throws Exception;

    @BeforeAll
    void open() throws Exception {
        database = createDatabase();
        storage = JdbcStorage.open(database.dataSource());
        events = storage.eventStore();
        scheduler = storage.schedulerStore();
        cluster = storage.clusterStore();
    }

    @AfterAll
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private static WorkflowDefinition workflow(String name) {
        return new WorkflowDefinition("team-a", name, "test workflow", List.of(new TaskDefinition("t1", TaskKind.BATCH,
                new JobSpec("process", Map.of("command", "true")),
                List.of(new Rule(new ConditionSpec("event", Map.of("key", "go")), Action.START)))));
    }

    /** A running execution of a new workflow {@code name} with one queued task execution. */
    private TaskExecution queuedTask(String name) {
        Workflow w = scheduler.saveWorkflow(workflow(name));
        WorkflowExecution e = scheduler.createExecution(w.id(), w.snapshotId());
        return scheduler.recordDecisions("setup-" + name, 1, List.of(new NewTaskExecution(e.id(), name, "t1", "process", "go")),
                List.of()).get(0);
    }

    private static java.util.function.Function<TaskExecution, List<EventDraft>> outbox(String namespace) {
        return t -> List.of(new EventDraft(namespace, t.workflowName() + "/" + t.taskName(), t.status().name(), null, null, null, null));
    }

    private static Decision queue(long cursor, TaskExecution in) {
        return new Decision(cursor, List.of(), List.of(new NewTaskExecution(in.workflowExecutionId(), in.workflowName(), "t1", "process",
                "again")), List.of(), List.of(), List.of());
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, Duration.ofMillis(5), condition);
    }

    private static void await(String what, Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(interval.toNanos()); // the polling interval, not a wait for the outcome
        }
    }

    @Test
    void joinedCallsCommitTogetherAndTheirEventsAreAnnouncedOnceInOrderAfterTheCommit() throws Exception {
        TaskExecution t = queuedTask("wf-group");
        List<List<Event>> heard = new CopyOnWriteArrayList<>();
        long head = events.latestVersion();
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (AutoCloseable listening = events.onCommitted(heard::add)) {
            Outboxed<String> result = scheduler.inTransaction(null, () -> {
                Outboxed<DecisionOutcome> first = scheduler.record("group", queue(10, t), outbox("group"));
                Optional<Outboxed<TaskExecution>> running = scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "run",
                        null, outbox("group"));
                Outboxed<DecisionOutcome> second = scheduler.record("group", queue(11, t), outbox("group"));
                assertThat(first.lastEventVersion()).as("joined calls report no version").isZero();
                assertThat(running.orElseThrow().lastEventVersion()).isZero();
                assertThat(second.value().queued().get(0).attempt()).as("joined calls see each other's changes").isEqualTo(3);
                assertThat(scheduler.cursor("group")).as("and read their own writes").isEqualTo(11);
                assertThat(heard).as("nothing is announced before the commit").isEmpty();
                try {
                    assertThat(other.submit(() -> scheduler.cursor("group")).get()).as("nor visible to others").isZero();
                    assertThat(other.submit(() -> scheduler.findTask(t.id()).orElseThrow().status()).get()).isEqualTo(TaskStatus.QUEUED);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return "done";
            });
            assertThat(result.value()).isEqualTo("done");
            assertThat(result.lastEventVersion()).isEqualTo(head + 3);
            assertThat(scheduler.cursor("group")).isEqualTo(11);
            assertThat(scheduler.findTask(t.id()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(heard).as("one announcement, in call order").hasSize(1);
            assertThat(heard.get(0)).extracting(Event::version).containsExactly(head + 1, head + 2, head + 3);
            assertThat(heard.get(0)).extracting(Event::value).containsExactly("QUEUED", "RUNNING", "QUEUED");
            assertThat(events.latestVersion()).isEqualTo(head + 3);
        } finally {
            other.shutdownNow();
        }
    }

    /** Several transitions of one decision in a joined transaction go as one batch: each still a compare-and-set. */
    @Test
    void batchedTransitionsAreCompareAndSetAndReportTheRowsAsChanged() throws Exception {
        TaskExecution a = queuedTask("wf-batch-a");
        TaskExecution b = queuedTask("wf-batch-b");
        TaskExecution c = queuedTask("wf-batch-c");
        List<List<Event>> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable listening = events.onCommitted(heard::add)) {
            Outboxed<DecisionOutcome> result = scheduler.inTransaction(null, () -> scheduler.record("batch", new Decision(5, List.of(),
                    List.of(), List.of(), List.of(
                            new Decision.Transition(a.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "started a", "{\"jobId\":\"a\"}"),
                            new Decision.Transition(b.id(), TaskStatus.RUNNING, TaskStatus.SUCCESS, "stale: b is QUEUED", null),
                            new Decision.Transition(c.id(), TaskStatus.QUEUED, TaskStatus.FAILED, "c failed", null)), List.of()),
                    outbox("batch")).value());
            DecisionOutcome outcome = result.value();
            assertThat(outcome.transitioned()).extracting(TaskExecution::id).containsExactly(a.id(), c.id());
            assertThat(outcome.transitioned()).extracting(TaskExecution::status).containsExactly(TaskStatus.RUNNING, TaskStatus.FAILED);
            assertThat(outcome.transitioned().get(0).handle()).isEqualTo("{\"jobId\":\"a\"}");
            assertThat(outcome.transitioned().get(1).message()).isEqualTo("c failed");
            assertThat(scheduler.findTask(b.id()).orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
            assertThat(scheduler.history(a.id())).extracting(x -> x.from() + ">" + x.to()).containsExactly("null>QUEUED", "QUEUED>RUNNING");
            assertThat(scheduler.history(b.id())).extracting(x -> x.from() + ">" + x.to()).containsExactly("null>QUEUED");
            assertThat(scheduler.history(c.id())).extracting(x -> x.from() + ">" + x.to()).containsExactly("null>QUEUED", "QUEUED>FAILED");
            assertThat(scheduler.cursor("batch")).isEqualTo(5);
            assertThat(heard).hasSize(1);
            assertThat(heard.get(0)).extracting(Event::value).containsExactly("RUNNING", "FAILED");
        }
    }

    @Test
    void aFailingWorkStoresAndAnnouncesNothing() throws Exception {
        TaskExecution t = queuedTask("wf-rollback");
        List<List<Event>> heard = new CopyOnWriteArrayList<>();
        long head = events.latestVersion();
        try (AutoCloseable listening = events.onCommitted(heard::add)) {
            IllegalStateException boom = new IllegalStateException("boom");
            assertThatThrownBy(() -> scheduler.inTransaction(null, () -> {
                scheduler.record("rollback", queue(5, t), outbox("rollback"));
                scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "run", null, outbox("rollback"));
                events.append(List.of(new EventDraft("rollback", "direct", "x", null, null, null, null)));
                throw boom;
            })).isSameAs(boom);
        }
        assertNothingStored(t, "rollback", head, heard);
    }

    @Test
    void aJoinedCallThatFailedRollsTheTransactionBackEvenIfWorkCaughtIt() throws Exception {
        TaskExecution t = queuedTask("wf-caught");
        List<List<Event>> heard = new CopyOnWriteArrayList<>();
        long head = events.latestVersion();
        try (AutoCloseable listening = events.onCommitted(heard::add)) {
            assertThatThrownBy(() -> scheduler.inTransaction(null, () -> {
                scheduler.record("caught", queue(5, t), outbox("caught"));
                scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "run", null, outbox("caught"));
                try {
                    scheduler.record("caught", new Decision(6, List.of(new Decision.NewExecution(-42, -42, List.of())), List.of(), List.of(),
                            List.of(), List.of()), outbox("caught"));
                } catch (NotFoundException expected) {
                    // caught: the transaction must roll back all the same
                }
                return "swallowed";
            })).isInstanceOf(AiflowException.class).hasMessageContaining("rolled back").hasMessageContaining("-42");
        }
        assertNothingStored(t, "caught", head, heard);
    }

    @Test
    void nestedTransactionsJoinTheOuterOne() throws Exception {
        TaskExecution t = queuedTask("wf-nested");
        List<List<Event>> heard = new CopyOnWriteArrayList<>();
        long head = events.latestVersion();
        try (AutoCloseable listening = events.onCommitted(heard::add)) {
            assertThatThrownBy(() -> scheduler.inTransaction(null, () -> {
                Outboxed<Integer> inner = scheduler.inTransaction(null, () -> {
                    scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "run", null, outbox("nested"));
                    return 1;
                });
                assertThat(inner).isEqualTo(new Outboxed<>(1, 0));
                throw new IllegalStateException("outer fails");
            })).hasMessage("outer fails");
            assertNothingStored(t, "nested", head, heard);

            Outboxed<Integer> committed = scheduler.inTransaction(null, () -> scheduler.inTransaction(null, () -> {
                scheduler.record("nested", queue(7, t), outbox("nested"));
                return 2;
            }).value());
            assertThat(committed).isEqualTo(new Outboxed<>(2, head + 1));
            assertThat(scheduler.cursor("nested")).isEqualTo(7);
            assertThat(heard).hasSize(1);
        }
    }

    @Test
    void directAppendsJoinTooAndAreAnnouncedWithTheOutboxAfterTheCommit() throws Exception {
        TaskExecution t = queuedTask("wf-direct");
        List<List<Event>> heard = new CopyOnWriteArrayList<>();
        long head = events.latestVersion();
        try (AutoCloseable listening = events.onCommitted(heard::add)) {
            Outboxed<List<Event>> result = scheduler.inTransaction(null, () -> {
                scheduler.transition(t.id(), TaskStatus.QUEUED, TaskStatus.RUNNING, "run", null, outbox("direct"));
                List<Event> direct = events.append(List.of(new EventDraft("direct", "k", "appended", null, null, null, null)));
                assertThat(heard).isEmpty();
                return direct;
            });
            assertThat(result.value()).extracting(Event::version).containsExactly(head + 1);
            assertThat(result.lastEventVersion()).isEqualTo(head + 2);
            assertThat(heard).hasSize(1);
            assertThat(heard.get(0)).extracting(Event::value).containsExactly("appended", "RUNNING");
        }
    }

    @Test
    void aNestedTransactionChecksItsOwnFence() {
        TaskExecution t = queuedTask("wf-nested-fence");
        cluster.acquireOrRenew("nested-fence", "node-1#a", LONG);
        assertThatThrownBy(() -> scheduler.inTransaction(null, () -> {
            scheduler.record("nested-fence", queue(1, t), outbox("nested-fence"));
            return scheduler.inTransaction(new LeaderFence("nested-fence", "node-1#a", 7), () -> 1);
        })).isInstanceOf(FencedException.class).hasMessageContaining("node-1#a at epoch 1");
        assertThat(scheduler.cursor("nested-fence")).isZero();
        assertThat(scheduler.inTransaction(new LeaderFence("nested-fence", "node-1#a", 1),
                () -> scheduler.inTransaction(new LeaderFence("nested-fence", "node-1#a", 1), () -> 2).value()).value()).isEqualTo(2);
    }

    private void assertNothingStored(TaskExecution t, String consumer, long head, List<List<Event>> heard) {
        assertThat(scheduler.cursor(consumer)).isZero();
        assertThat(scheduler.findTask(t.id()).orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(scheduler.history(t.id())).hasSize(1);
        assertThat(scheduler.listTasks(new org.aiflow.api.execution.TaskQuery(t.workflowName(), null, null, 10))).hasSize(1);
        assertThat(events.latestVersion()).isEqualTo(head);
        assertThat(heard).isEmpty();
        // the thread is left with no transaction: a call commits on its own again
        scheduler.saveScheduleState(new org.aiflow.api.spi.storage.ScheduleState(t.workflowExecutionId(), "after-" + consumer, null, false));
        assertThat(scheduler.scheduleState(t.workflowExecutionId(), "after-" + consumer)).isPresent();
    }

    @Test
    void aFencedTransactionCommitsWhileTheLeaseHoldsAndFailsOnceAnotherOwnerTookIt() {
        TaskExecution t = queuedTask("wf-fenced");
        Lease mine = cluster.acquireOrRenew("fenced", "node-1#a", Duration.ofMillis(1));
        LeaderFence fence = new LeaderFence("fenced", "node-1#a", mine.epoch());
        assertThat(mine.epoch()).isEqualTo(1);
        await("the lease expired", Duration.ofSeconds(5), () -> cluster.lease("fenced").orElseThrow().expired());
        // expired but not taken: still the holder's to commit with
        Outboxed<DecisionOutcome> ok = scheduler.inTransaction(fence, () -> scheduler.record("fenced", queue(1, t), outbox("fenced")).value());
        assertThat(ok.lastEventVersion()).isPositive();
        assertThat(scheduler.cursor("fenced")).isEqualTo(1);

        Lease theirs = cluster.acquireOrRenew("fenced", "node-2#b", LONG);
        assertThat(theirs.owner()).isEqualTo("node-2#b");
        assertThat(theirs.epoch()).isEqualTo(2);
        long head = events.latestVersion();
        assertThatThrownBy(() -> scheduler.inTransaction(fence, () -> scheduler.record("fenced", queue(2, t), outbox("fenced"))))
                .isInstanceOf(FencedException.class)
                .hasMessageContaining("'fenced'").hasMessageContaining("node-1#a at epoch 1")
                .hasMessageContaining("node-2#b at epoch 2");
        assertThat(scheduler.cursor("fenced")).isEqualTo(1);
        assertThat(events.latestVersion()).isEqualTo(head);
        assertThatThrownBy(() -> scheduler.inTransaction(new LeaderFence("never-taken", "node-1#a", 1), () -> 1))
                .isInstanceOf(FencedException.class).hasMessageContaining("never taken");
        assertThat(scheduler.inTransaction(new LeaderFence("fenced", "node-2#b", 2), () -> scheduler.cursor("fenced")).value()).isEqualTo(1);
    }

    /** A takeover's update waits for the deposed holder's open fenced transaction, then sees its commit. */
    @Test
    void aTakeoverWaitsForAnOpenFencedTransaction() throws Exception {
        TaskExecution t = queuedTask("wf-takeover");
        Lease mine = cluster.acquireOrRenew("takeover", "node-1#a", Duration.ofMillis(1));
        await("the lease expired", Duration.ofSeconds(5), () -> cluster.lease("takeover").orElseThrow().expired());
        LeaderFence fence = new LeaderFence("takeover", "node-1#a", mine.epoch());
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Outboxed<Long>> holder = threads.submit(() -> scheduler.inTransaction(fence, () -> {
                scheduler.record("takeover", queue(3, t), outbox("takeover"));
                inside.countDown();
                try {
                    finish.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 3L;
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            long waitsBefore = lockWaits(database.dataSource());
            Future<Lease> takeover = threads.submit(() -> cluster.acquireOrRenew("takeover", "node-2#b", LONG));
            // (MariaDB refreshes its lock tables only if they were not read for 0.1 s: poll slower)
            await("the takeover waits for the fenced transaction's lock", Duration.ofSeconds(10), Duration.ofMillis(150), () -> {
                try {
                    return lockWaits(database.dataSource()) > waitsBefore;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(takeover).as("the takeover waits").isNotDone();
            finish.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS).value()).as("the fenced commit lands").isEqualTo(3L);
            Lease taken = takeover.get(10, TimeUnit.SECONDS);
            assertThat(taken.owner()).isEqualTo("node-2#b");
            assertThat(taken.epoch()).isEqualTo(2);
            assertThat(scheduler.cursor("takeover")).isEqualTo(3);
            assertThatThrownBy(() -> scheduler.inTransaction(fence, () -> scheduler.record("takeover", queue(4, t), outbox("takeover"))))
                    .isInstanceOf(FencedException.class);
            assertThat(scheduler.cursor("takeover")).isEqualTo(3);
        } finally {
            finish.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void ofNodesRacingForAFreeOrExpiredLeaseExactlyOneGetsItAndEpochsRise() throws Exception {
        int nodes = 8;
        int rounds = 50;
        ExecutorService threads = Executors.newFixedThreadPool(nodes);
        CyclicBarrier start = new CyclicBarrier(nodes);
        try {
            long lastEpoch = 0;
            for (int round = 0; round < rounds; round++) {
                List<Future<Lease>> results = new ArrayList<>();
                for (int n = 0; n < nodes; n++) {
                    String owner = "node-" + n + "#" + round;
                    results.add(threads.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return cluster.acquireOrRenew("race", owner, LONG);
                    }));
                }
                List<Lease> leases = new ArrayList<>();
                for (Future<Lease> f : results) {
                    leases.add(f.get(30, TimeUnit.SECONDS));
                }
                int r = round;
                List<String> winners = new ArrayList<>();
                for (int n = 0; n < nodes; n++) {
                    if (leases.get(n).owner().equals("node-" + n + "#" + r)) {
                        winners.add(leases.get(n).owner());
                    }
                }
                assertThat(winners).as("round %d: exactly one winner", round).hasSize(1);
                assertThat(leases).as("round %d: everyone sees the winner's lease", round)
                        .allSatisfy(l -> assertThat(l.owner() + "@" + l.epoch()).isEqualTo(winners.get(0) + "@" + leases.get(0).epoch()));
                long epoch = leases.get(0).epoch();
                assertThat(epoch).as("round %d: epochs rise", round).isGreaterThan(lastEpoch);
                lastEpoch = epoch;
                cluster.release("race", winners.get(0), epoch);
                assertThat(cluster.lease("race").orElseThrow().expired()).isTrue();
            }
            assertThat(lastEpoch).isEqualTo(rounds);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void renewingKeepsTheEpochAndOthersCannotTakeAHeldLease() {
        Lease first = cluster.acquireOrRenew("renew", "node-1#a", LONG);
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(first.acquireTime()).isEqualTo(first.renewTime());
        assertThat(first.expireTime()).isEqualTo(first.renewTime().plus(LONG));
        assertThat(first.expired()).isFalse();
        Lease renewed = cluster.acquireOrRenew("renew", "node-1#a", Duration.ofMinutes(1));
        assertThat(renewed.epoch()).isEqualTo(1);
        assertThat(renewed.acquireTime()).isEqualTo(first.acquireTime());
        assertThat(renewed.renewTime()).isAfterOrEqualTo(first.renewTime());
        assertThat(renewed.expireTime()).isEqualTo(renewed.renewTime().plus(Duration.ofMinutes(1)));
        Lease refused = cluster.acquireOrRenew("renew", "node-2#a", LONG);
        assertThat(refused.owner()).isEqualTo("node-1#a");
        assertThat(refused.epoch()).isEqualTo(1);
        assertThat(cluster.lease("renew")).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("node-1#a"));
        assertThat(cluster.lease("never")).isEmpty();
    }

    @Test
    void aNewIncarnationOfTheSameNodeTakesItsLeaseAtOnce() {
        cluster.acquireOrRenew("incarnation", "node-1#first", LONG);
        Lease again = cluster.acquireOrRenew("incarnation", "node-1#second", LONG);
        assertThat(again.owner()).isEqualTo("node-1#second");
        assertThat(again.ownerNode()).isEqualTo("node-1");
        assertThat(again.epoch()).isEqualTo(2);
        Lease stale = cluster.acquireOrRenew("incarnation", "node-1#first", LONG);
        assertThat(stale.owner()).as("any other incarnation of the same node takes it at once (a node runs once: the other one is gone)")
                .isEqualTo("node-1#first");
        assertThat(stale.epoch()).isEqualTo(3);
        assertThat(cluster.acquireOrRenew("incarnation", "node-10#x", LONG).owner()).as("node ids are compared whole")
                .isEqualTo("node-1#first");
    }

    @Test
    void aLeaseExpiresByTheDatabaseClockAndAReleaseOnlyByItsHolder() {
        Lease held = cluster.acquireOrRenew("expiry", "node-1#a", Duration.ofMillis(200));
        assertThat(cluster.acquireOrRenew("expiry", "node-2#a", LONG).owner()).isEqualTo("node-1#a");
        Lease[] taken = new Lease[1];
        await("another node can take the expired lease", Duration.ofSeconds(10),
                () -> (taken[0] = cluster.acquireOrRenew("expiry", "node-2#a", LONG)).owner().equals("node-2#a"));
        assertThat(taken[0].epoch()).isEqualTo(2);
        assertThat(taken[0].acquireTime()).isAfterOrEqualTo(held.expireTime());
        assertThat(Duration.between(held.acquireTime(), taken[0].acquireTime())).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(taken[0].now()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.MINUTES));

        cluster.release("expiry", "node-2#a", 1); // a stale epoch: nothing
        cluster.release("expiry", "node-1#a", 2); // not the holder: nothing
        assertThat(cluster.lease("expiry").orElseThrow().expired()).isFalse();
        assertThat(cluster.acquireOrRenew("expiry", "node-3#a", LONG).owner()).isEqualTo("node-2#a");
        cluster.release("expiry", "node-2#a", 2);
        assertThat(cluster.lease("expiry").orElseThrow().expired()).isTrue();
        Lease third = cluster.acquireOrRenew("expiry", "node-3#a", LONG);
        assertThat(third.owner()).isEqualTo("node-3#a");
        assertThat(third.epoch()).isEqualTo(3);
    }

    @Test
    void heartbeatsListTheNodesSeenRecently() {
        Instant started = Instant.parse("2026-01-02T03:04:05.678Z");
        cluster.heartbeat("hb-b", "http://b:8181/aiflow/v1", "b.example", started);
        cluster.heartbeat("hb-a", "", "a.example", started);
        cluster.heartbeat("hb-a", "http://a:8282/aiflow/v1", "a2.example", started.plusSeconds(60));
        List<ClusterNode> seen = cluster.nodes(Duration.ofMinutes(1)).stream().filter(n -> n.id().startsWith("hb-")).toList();
        assertThat(seen).extracting(ClusterNode::id).containsExactly("hb-a", "hb-b");
        ClusterNode a = seen.get(0);
        assertThat(a.url()).isEqualTo("http://a:8282/aiflow/v1");
        assertThat(a.host()).isEqualTo("a2.example");
        assertThat(a.startTime()).isEqualTo(started.plusSeconds(60));
        assertThat(a.lastSeen()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.MINUTES));
        assertThat(a.lastSeen()).isAfterOrEqualTo(seen.get(1).lastSeen());
        Instant lastB = seen.get(1).lastSeen();
        await("hb-b's heartbeat is older than 50 ms by the database clock", Duration.ofSeconds(10),
                () -> cluster.nodes(Duration.ofMillis(50)).stream().noneMatch(n -> n.id().equals("hb-b")));
        cluster.heartbeat("hb-b", "http://b:8181/aiflow/v1", "b.example", started);
        assertThat(cluster.nodes(Duration.ofMillis(50))).extracting(ClusterNode::id).contains("hb-b");
        assertThat(cluster.nodes(Duration.ofMinutes(1)).stream().filter(n -> n.id().equals("hb-b")).findFirst().orElseThrow().lastSeen())
                .isAfter(lastB);
    }

    /** Takes and answers every command left NEW (by earlier tests), so a test sees only its own in the queue. */
    private void drainNewCommands() {
        for (ClusterCommand c : cluster.newCommands(10_000)) {
            if (cluster.takeCommand(c.id())) {
                cluster.finishCommand(c.id(), true, "drained");
            }
        }
        assertThat(cluster.newCommands(10)).isEmpty();
    }

    private ClusterCommand command(long id) {
        return cluster.command(id).orElseThrow(() -> new AssertionError("no command " + id));
    }

    /** Waits until the database clock is past {@code instant} (read through a lease's {@code now}). */
    private void awaitDatabaseClockPast(Instant instant) {
        cluster.acquireOrRenew("command-clock", "clock#1", LONG);
        await("the database clock passes " + instant, Duration.ofSeconds(10),
                () -> cluster.lease("command-clock").orElseThrow().now().isAfter(instant));
    }

    @Test
    void submittedCommandsAreListedOldestFirstUpToTheLimit() {
        drainNewCommands();
        long a = cluster.submitCommand("node-1", "startExecution", "{\"workflow\":\"a\"}");
        long b = cluster.submitCommand("node-2", "stopTask", "{\"task\":2}");
        long c = cluster.submitCommand("node-1", "uploadWorkflow", "{}");
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
        assertThat(cluster.newCommands(2)).extracting(ClusterCommand::id).containsExactly(a, b);
        List<ClusterCommand> all = cluster.newCommands(10);
        assertThat(all).extracting(ClusterCommand::id).containsExactly(a, b, c);
        assertThat(all).extracting(ClusterCommand::command).containsExactly("startExecution", "stopTask", "uploadWorkflow");
        assertThat(all).allSatisfy(cmd -> {
            assertThat(cmd.state()).isEqualTo(State.NEW);
            assertThat(cmd.result()).isNull();
            assertThat(cmd.updateTime()).isEqualTo(cmd.createTime());
            assertThat(cmd.createTime()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.MINUTES));
        });
        ClusterCommand second = all.get(1);
        assertThat(second.node()).isEqualTo("node-2");
        assertThat(second.arguments()).isEqualTo("{\"task\":2}");
        assertThat(command(b)).isEqualTo(second);
        assertThat(cluster.newCommands(0)).isEmpty();
        assertThat(cluster.command(-1)).isEmpty();

        assertThat(cluster.takeCommand(a)).isTrue();
        assertThat(cluster.newCommands(10)).as("a taken command is not NEW any more").extracting(ClusterCommand::id).containsExactly(b, c);
        drainNewCommands();
    }

    @Test
    void ofTwoLeadersRacingToTakeACommandExactlyOneGetsIt() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CyclicBarrier start = new CyclicBarrier(2);
        try {
            for (int round = 0; round < 25; round++) {
                long id = cluster.submitCommand("node-1", "race", "{\"round\":" + round + "}");
                // one takes on its own, the other within a transaction it joins
                Future<Boolean> plain = threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return cluster.takeCommand(id);
                });
                Future<Boolean> joined = threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return scheduler.inTransaction(null, () -> cluster.takeCommand(id)).value();
                });
                List<Boolean> took = List.of(plain.get(30, TimeUnit.SECONDS), joined.get(30, TimeUnit.SECONDS));
                assertThat(took).as("round %d: exactly one takes it", round).containsExactlyInAnyOrder(true, false);
                assertThat(command(id).state()).isEqualTo(State.TAKEN);
                assertThat(cluster.takeCommand(id)).as("taken once: never again").isFalse();
                cluster.finishCommand(id, true, "{}");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aTakenCommandIsAnsweredOnceAndReadBack() {
        long ok = cluster.submitCommand("node-1", "startExecution", "{\"workflow\":\"ok\"}");
        long bad = cluster.submitCommand("node-1", "stopTask", "{\"task\":-1}");
        assertThatThrownBy(() -> cluster.finishCommand(ok, true, "{}")).as("a NEW command cannot be answered")
                .isInstanceOf(ConflictException.class).hasMessageContaining("NEW");
        assertThat(command(ok).state()).isEqualTo(State.NEW);
        assertThat(cluster.takeCommand(ok)).isTrue();
        ClusterCommand taken = command(ok);
        assertThat(taken.state()).isEqualTo(State.TAKEN);
        assertThat(taken.result()).isNull();
        assertThat(taken.updateTime()).isAfterOrEqualTo(taken.createTime());

        cluster.finishCommand(ok, true, "{\"executionId\":42}");
        ClusterCommand done = command(ok);
        assertThat(done.state()).isEqualTo(State.DONE);
        assertThat(done.result()).isEqualTo("{\"executionId\":42}");
        assertThat(done.arguments()).isEqualTo("{\"workflow\":\"ok\"}");
        assertThat(done.createTime()).isEqualTo(taken.createTime());
        assertThat(done.updateTime()).isAfterOrEqualTo(taken.updateTime());
        assertThatThrownBy(() -> cluster.finishCommand(ok, false, "{}")).as("answered once")
                .isInstanceOf(ConflictException.class).hasMessageContaining("DONE");
        assertThat(command(ok).result()).isEqualTo("{\"executionId\":42}");
        assertThat(cluster.takeCommand(ok)).isFalse();

        assertThat(cluster.takeCommand(bad)).isTrue();
        cluster.finishCommand(bad, false, "{\"error\":\"no task -1\"}");
        assertThat(command(bad).state()).isEqualTo(State.FAILED);
        assertThat(command(bad).result()).isEqualTo("{\"error\":\"no task -1\"}");

        assertThatThrownBy(() -> cluster.finishCommand(-7, true, "{}")).isInstanceOf(NotFoundException.class);
        assertThat(cluster.takeCommand(-7)).isFalse();
    }

    @Test
    void failingTakenCommandsAnswersOnlyTheTakenOnes() {
        drainNewCommands();
        cluster.failTakenCommands("{\"error\":\"left by earlier tests\"}");
        long fresh = cluster.submitCommand("node-1", "a", "{}");
        long taken1 = cluster.submitCommand("node-1", "b", "{}");
        long taken2 = cluster.submitCommand("node-2", "c", "{}");
        long done = cluster.submitCommand("node-2", "d", "{}");
        long failed = cluster.submitCommand("node-2", "e", "{}");
        for (long id : new long[] {taken1, taken2, done, failed}) {
            assertThat(cluster.takeCommand(id)).isTrue();
        }
        cluster.finishCommand(done, true, "{\"ok\":true}");
        cluster.finishCommand(failed, false, "{\"error\":\"own\"}");

        assertThat(cluster.failTakenCommands("{\"error\":\"the leader that took it is gone\"}")).isEqualTo(2);
        for (long id : new long[] {taken1, taken2}) {
            assertThat(command(id).state()).isEqualTo(State.FAILED);
            assertThat(command(id).result()).isEqualTo("{\"error\":\"the leader that took it is gone\"}");
        }
        assertThat(command(fresh).state()).isEqualTo(State.NEW);
        assertThat(command(fresh).result()).isNull();
        assertThat(command(done).state()).isEqualTo(State.DONE);
        assertThat(command(done).result()).isEqualTo("{\"ok\":true}");
        assertThat(command(failed).result()).isEqualTo("{\"error\":\"own\"}");
        assertThatThrownBy(() -> cluster.finishCommand(taken1, true, "{}")).as("the old leader's late answer is refused")
                .isInstanceOf(ConflictException.class).hasMessageContaining("FAILED");
        assertThat(cluster.failTakenCommands("{}")).isZero();
        drainNewCommands();
    }

    @Test
    void deletingFinishedCommandsRemovesOnlyAnsweredOnesOlderThanTheBound() {
        long fresh = cluster.submitCommand("node-1", "new", "{}");
        long taken = cluster.submitCommand("node-1", "taken", "{}");
        long done = cluster.submitCommand("node-1", "done", "{}");
        long failed = cluster.submitCommand("node-1", "failed", "{}");
        assertThat(cluster.takeCommand(taken)).isTrue();
        assertThat(cluster.takeCommand(done)).isTrue();
        assertThat(cluster.takeCommand(failed)).isTrue();
        cluster.finishCommand(done, true, "{}");
        Instant doneAt = command(done).updateTime();
        awaitDatabaseClockPast(doneAt);
        cluster.finishCommand(failed, false, "{}");
        Instant failedAt = command(failed).updateTime();
        assertThat(failedAt).isAfter(doneAt);

        cluster.deleteFinishedCommands(doneAt); // also clears what earlier tests answered before
        assertThat(cluster.command(done)).as("changed at the bound, not before it").isPresent();
        assertThat(cluster.deleteFinishedCommands(failedAt)).isEqualTo(1);
        assertThat(cluster.command(done)).isEmpty();
        assertThat(cluster.command(failed)).isPresent();
        assertThat(cluster.deleteFinishedCommands(failedAt.plusMillis(1))).isEqualTo(1);
        assertThat(cluster.command(failed)).isEmpty();

        assertThat(cluster.deleteFinishedCommands(Instant.now().plus(Duration.ofDays(1)))).as("nothing answered is left").isZero();
        assertThat(command(fresh).state()).as("NEW and TAKEN ones stay, however old").isEqualTo(State.NEW);
        assertThat(command(taken).state()).isEqualTo(State.TAKEN);
        cluster.finishCommand(taken, true, "{}");
        drainNewCommands();
    }

    @Test
    void aTakeJoinsTheFencedTransactionAndIsRolledBackWithIt() throws Exception {
        long id = cluster.submitCommand("node-2", "startExecution", "{}");
        cluster.acquireOrRenew("commands", "node-1#a", LONG);
        Lease current = cluster.acquireOrRenew("commands", "node-1#b", LONG); // a new incarnation takes it at once
        assertThat(current.epoch()).isEqualTo(2);
        LeaderFence stale = new LeaderFence("commands", "node-1#a", 1);
        LeaderFence fence = new LeaderFence("commands", "node-1#b", 2);

        assertThatThrownBy(() -> scheduler.inTransaction(stale, () -> cluster.takeCommand(id))).isInstanceOf(FencedException.class);
        assertThat(command(id).state()).as("a deposed leader takes nothing").isEqualTo(State.NEW);

        // taken inside a transaction whose nested fence fails: rolled back with it
        assertThatThrownBy(() -> scheduler.inTransaction(fence, () -> {
            assertThat(cluster.takeCommand(id)).isTrue();
            return scheduler.inTransaction(stale, () -> 1);
        })).isInstanceOf(FencedException.class);
        assertThat(command(id).state()).isEqualTo(State.NEW);

        // and when the work fails after the take
        assertThatThrownBy(() -> scheduler.inTransaction(fence, () -> {
            assertThat(cluster.takeCommand(id)).isTrue();
            throw new IllegalStateException("the command failed to run");
        })).hasMessage("the command failed to run");
        assertThat(command(id).state()).isEqualTo(State.NEW);

        // taken and answered in one fenced transaction: others see both only after its commit
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Outboxed<Boolean> committed = scheduler.inTransaction(fence, () -> {
                boolean took = cluster.takeCommand(id);
                assertThat(command(id).state()).as("its own write").isEqualTo(State.TAKEN);
                cluster.finishCommand(id, true, "{\"executionId\":7}");
                try {
                    assertThat(other.submit(() -> command(id).state()).get(10, TimeUnit.SECONDS)).as("not yet committed").isEqualTo(State.NEW);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return took;
            });
            assertThat(committed.value()).isTrue();
        } finally {
            other.shutdownNow();
        }
        ClusterCommand done = command(id);
        assertThat(done.state()).isEqualTo(State.DONE);
        assertThat(done.result()).isEqualTo("{\"executionId\":7}");
    }

    @Test
    void largeArgumentsAndResultsRoundTrip() {
        String big = "{\"blob\":\"" + "abcdefghij-äöü€😀".repeat(200 * 1024 / 16) + "\"}";
        assertThat(big.length()).isGreaterThanOrEqualTo(200 * 1024);
        long id = cluster.submitCommand("node-1", "uploadWorkflow", big);
        assertThat(command(id).arguments()).isEqualTo(big);
        assertThat(cluster.newCommands(10_000)).filteredOn(c -> c.id() == id).singleElement()
                .satisfies(c -> assertThat(c.arguments()).isEqualTo(big));
        assertThat(cluster.takeCommand(id)).isTrue();
        String answer = big.replace("blob", "echo");
        cluster.finishCommand(id, true, answer);
        assertThat(command(id).result()).isEqualTo(answer);
        assertThat(command(id).arguments()).isEqualTo(big);
    }
}

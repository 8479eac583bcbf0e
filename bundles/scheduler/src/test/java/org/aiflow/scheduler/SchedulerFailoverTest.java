package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.Trigger;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.notification.EventLog;
import org.aiflow.runner.process.ProcessJobRunner;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Two scheduler nodes on one MariaDB database, each with its own pool, storage, event log and lease
 * thread: exactly one leads; a leader that is paused past its lease cannot commit a decision once
 * the other has taken over; a failover continues from the stored cursor.
 */
class SchedulerFailoverTest {
    private static final Duration TTL = Duration.ofMillis(1_000);
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path logs;
    private TestDatabase database;
    private final List<Node> nodes = new ArrayList<>();

    /** One platform node: what SchedulerComponent wires in OSGi. */
    private final class Node implements AutoCloseable {
        final String id;
        final HikariDataSource pool;
        final EventLog events;
        final Scheduler scheduler;
        final Leadership leadership;
        final ProcessJobRunner runner = new ProcessJobRunner(2_000);

        Node(String id) throws Exception {
            this.id = id;
            this.pool = database.newPool();
            JdbcStorage storage = JdbcStorage.open(pool);
            this.events = new EventLog(storage.eventStore(), EventLog.Settings.defaults());
            PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
            runners.add(runner, Map.of(JobRunner.TYPE_PROPERTY, "process"));
            PluginRegistry<ConditionType> conditions = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
            BuiltInConditions.register(conditions);
            PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
            BuiltInPolicies.register(policies);
            // one log directory for both, as a cluster's nodes share one: any node finds any job's files
            this.scheduler = new Scheduler(storage.schedulerStore(), events, runners, conditions, policies, logs);
            this.leadership = new Leadership(storage.clusterStore(), id, TTL, Duration.ofMillis(200), () -> "", "localhost",
                    new Leadership.Listener() {
                        @Override
                        public void lead(LeaderFence fence) {
                            scheduler.lead(fence);
                        }

                        @Override
                        public void stepDown(String why) {
                            scheduler.stepDown();
                        }
                    });
            scheduler.onFenced(leadership::fenced);
            scheduler.leaseCheck(leadership::holdsLease);
            scheduler.relayThrough(new CommandRelay(storage.clusterStore(), id, Duration.ofSeconds(15)), 50);
            scheduler.startTicks(50);
            leadership.start();
        }

        boolean leading() {
            return scheduler.leading() && leadership.fence() != null;
        }

        /** Blocks the worker and the lease thread, as a stopped process (SIGSTOP, a long GC pause) would. */
        CountDownLatch pause() throws InterruptedException {
            CountDownLatch resume = new CountDownLatch(1);
            CountDownLatch paused = new CountDownLatch(2);
            Runnable block = () -> {
                paused.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            scheduler.runOnWorker(block);
            leadership.runOnLeaseThread(block);
            assertThat(paused.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            return resume;
        }

        @Override
        public void close() {
            leadership.close();
            scheduler.close();
            events.close();
            runner.deactivate();
            pool.close();
        }
    }

    @BeforeEach
    void open() {
        database = createDatabase();
    }

    /** The shared database of the nodes (PostgreSqlSchedulerFailoverTest: the same cases on PostgreSQL). */
    TestDatabase createDatabase() {
        return TestDatabases.mariadb();
    }

    @AfterEach
    void close() {
        nodes.forEach(n -> {
            try {
                n.close();
            } catch (RuntimeException e) {
                // the next one still closes
            }
        });
        database.close();
    }

    private Node node(String id) throws Exception {
        Node n = new Node(id);
        nodes.add(n);
        return n;
    }

    /** A workflow that starts an execution (one task that exits at once) for each event with key {@code go}. */
    private static WorkflowDefinition onGo() {
        return new WorkflowDefinition(null, "per-event", null,
                List.of(new TaskDefinition("t", TaskKind.BATCH, new JobSpec("process", Map.of("command", "true")), List.of())),
                Map.of(), List.of(new Trigger(new ConditionSpec("event", Map.of("key", "go")), Action.START)), List.of());
    }

    private long executions(Node any) {
        return any.scheduler.listExecutions("default", "per-event", 1000).size();
    }

    @Test
    void aPausedLeaderWhoseLeaseExpiredCannotCommitADecision() throws Exception {
        Node a = node("node-a");
        await().atMost(WAIT).until(a::leading);
        Node b = node("node-b");
        a.scheduler.upload(onGo());
        assertThat(b.leading()).isFalse();

        CountDownLatch resume = a.pause();
        // the event reaches a's inbox; its worker will decide it when it resumes, with its old lease
        a.events.publish(new EventDraft("default", "go", "1", null, null, Map.of(), null));
        long started = System.nanoTime();
        await().atMost(WAIT).until(b::leading);
        System.out.printf("failover after a paused leader: %d ms (lease timeout %d ms)%n",
                (System.nanoTime() - started) / 1_000_000, TTL.toMillis());
        await().atMost(WAIT).until(() -> executions(b) == 1);

        resume.countDown();
        await().atMost(WAIT).until(() -> !a.scheduler.leading());
        // a decided the event too, on a state that did not know b's decision: its commit was refused
        assertThat(executions(b)).isEqualTo(1);
        await().atMost(WAIT).until(() -> b.scheduler.listExecutions("default", "per-event", 10).stream()
                .allMatch(x -> x.status() == ExecutionStatus.SUCCESS));
        assertThat(b.leading()).isTrue();
        assertThat(b.scheduler.listTasks(new TaskQuery(null, null, null, 100))).hasSize(1);
    }

    @Test
    void changesAskedOfAFollowerAreMadeByTheLeaderWithItsErrors() throws Exception {
        Node a = node("node-a");
        await().atMost(WAIT).until(a::leading);
        Node b = node("node-b");
        assertThat(b.leading()).isFalse();

        assertThat(b.scheduler.upload(onGo()).name()).isEqualTo("per-event");
        WorkflowDefinition slow = new WorkflowDefinition(null, "slow", null, List.of(
                new TaskDefinition("t", TaskKind.BATCH, new JobSpec("process", Map.of("command", "sleep 30")), List.of()),
                new TaskDefinition("u", TaskKind.BATCH, new JobSpec("process", Map.of("command", "sleep 30")), List.of())));
        b.scheduler.upload(slow);
        WorkflowExecution x = b.scheduler.startExecution("default", "slow");
        assertThat(x.status()).isEqualTo(ExecutionStatus.RUNNING);
        await().atMost(WAIT).until(() -> b.scheduler.listTasks(new TaskQuery(null, x.id(), null, 10)).stream()
                .filter(t -> t.status() == TaskStatus.RUNNING).count() == 2);
        long taskId = b.scheduler.listTasks(new TaskQuery(null, x.id(), null, 10)).stream().filter(t -> t.taskName().equals("t"))
                .findFirst().orElseThrow().id();
        // the job runs on the leader's side; the follower asks for the stop and gets the task as the leader left it
        assertThat(b.scheduler.stopTask(taskId).status()).isIn(TaskStatus.STOPPING, TaskStatus.STOPPED);
        await().atMost(WAIT).until(() -> b.scheduler.task(taskId).status() == TaskStatus.STOPPED);

        assertThatThrownBy(() -> b.scheduler.restartTask(x.id(), "nope")).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("nope");
        assertThat(b.scheduler.stopExecution(x.id()).status()).isEqualTo(ExecutionStatus.STOPPED);
        assertThatThrownBy(() -> b.scheduler.startTask(x.id(), "t")).isInstanceOf(ConflictException.class)
                .hasMessageContaining("has ended");
        assertThat(b.scheduler.setEnabled("default", "slow", false).enabled()).isFalse();
        b.scheduler.deleteWorkflow("default", "slow");
        assertThat(a.scheduler.listWorkflows()).extracting(w -> w.name()).containsExactly("per-event");
    }

    @Test
    void aFailoverContinuesFromTheStoredCursorDecidingEveryEventOnce() throws Exception {
        Node a = node("node-a");
        await().atMost(WAIT).until(a::leading);
        Node b = node("node-b");
        a.scheduler.upload(onGo());
        int total = 60;
        CountDownLatch resume = null;
        long pausedAt = 0;
        for (int i = 1; i <= total; i++) {
            Node via = i % 2 == 0 ? a : b; // publishing works on every node
            via.events.publish(new EventDraft("default", "go", Integer.toString(i), null, null, Map.of(), null));
            if (i == total / 2) {
                resume = a.pause(); // the leader stops here, as if killed; it never resumes in this test
                pausedAt = System.nanoTime();
            }
        }
        await().atMost(WAIT).until(b::leading);
        System.out.printf("failover: %d ms after the leader stopped (lease timeout %d ms)%n",
                (System.nanoTime() - pausedAt) / 1_000_000, TTL.toMillis());
        await().atMost(WAIT).until(() -> executions(b) >= total);
        List<WorkflowExecution> all = b.scheduler.listExecutions("default", "per-event", 1000);
        assertThat(all).hasSize(total);
        await().atMost(WAIT).until(() -> b.scheduler.listExecutions("default", "per-event", 1000).stream()
                .allMatch(x -> x.status() == ExecutionStatus.SUCCESS));
        assertThat(b.scheduler.listTasks(new TaskQuery(null, null, null, 1000))).hasSize(total);
        resume.countDown();
        await().atMost(WAIT).until(() -> !a.scheduler.leading());
        assertThat(b.scheduler.listExecutions("default", "per-event", 1000)).hasSize(total);
    }
}

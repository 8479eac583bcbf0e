package org.aiflow.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.spi.storage.LeaderFence;
import org.aiflow.api.spi.storage.Lease;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.notification.EventLog;
import org.aiflow.scheduler.Scheduler;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

/**
 * The scheduler in process on a real store: {@value #WORKFLOWS} enabled workflows, each with a
 * running execution whose task has a rule on its own event key. Measures the latency from
 * publishing an event to the runner being invoked for the task it starts (the decision persisted
 * with the cursor in between), at {@value #RATE} events/s, beside the latency of one raw
 * autocommit insert at the same rate; and how many events per second the scheduler decides in a
 * burst, beside raw single-row autocommit inserts by one thread (one decision is one transaction).
 */
final class SchedulerSuite {
    static final int WORKFLOWS = 1000;
    static final int RATE = 100;
    static final int WARM_UP_SECONDS = 5;

    private final TestDatabase db;
    private final int seconds;

    SchedulerSuite(TestDatabase db, int seconds) {
        this.db = db;
        this.seconds = seconds;
    }

    /** A runner whose jobs succeed at once; it records when it was asked to start a task. */
    private static final class RecordingRunner implements JobRunner {
        final Map<String, Long> invoked = new ConcurrentHashMap<>();
        volatile CountDownLatch expected = new CountDownLatch(0);

        @Override
        public JobHandle submit(JobRequest request) {
            invoked.putIfAbsent(request.workflowName() + "#" + request.taskExecutionId(), System.nanoTime());
            expected.countDown();
            return new JobHandle("bench", Long.toString(request.taskExecutionId()), Map.of());
        }

        @Override
        public JobState status(JobHandle handle) {
            return new JobState(JobState.Phase.SUCCEEDED, "done");
        }

        @Override
        public void stop(JobHandle handle, boolean withSavepoint) {
        }
    }

    void run() throws Exception {
        JdbcStorage storage = JdbcStorage.open(db.dataSource());
        RawJdbc raw = new RawJdbc(db.dataSource());
        Path logs = Files.createTempDirectory("aiflow-bench-scheduler");
        RecordingRunner runner = new RecordingRunner();
        try (EventLog events = new EventLog(storage.eventStore(), EventLog.Settings.defaults());
             Scheduler scheduler = Scheduler.standalone(storage.schedulerStore(), events, Map.of("bench", runner), logs, 50,
                     leaderFence(storage))) {
            Results.progress("uploading and starting " + WORKFLOWS + " workflows with one rule each");
            for (int w = 0; w < WORKFLOWS; w++) {
                scheduler.upload(new WorkflowDefinition("bench", "wf-" + w, null, List.of(new TaskDefinition("t", TaskKind.BATCH,
                        new JobSpec("bench", Map.of()), List.of(new Rule(new ConditionSpec(BuiltInConditionTypes.EVENT,
                        Map.of(BuiltInConditionTypes.Event.NAMESPACE, "bench", BuiltInConditionTypes.Event.KEY, "go-" + w)), Action.START))))));
                scheduler.startExecution("bench", "wf-" + w);
            }
            // as any benchmark warms up: the first events meet a cold JIT and load each execution's state
            Results.progress("warm-up: " + WARM_UP_SECONDS + " s at " + RATE + " events/s, not measured");
            decisionLatency(events, storage.schedulerStore(), runner, WARM_UP_SECONDS, 0);
            Results.progress("event -> runner invoked latency at " + RATE + " events/s for " + seconds + " s");
            // events for workflows the warm-up did not touch: each still loads its execution's state once
            long[] latency = decisionLatency(events, storage.schedulerStore(), runner, seconds, WARM_UP_SECONDS * RATE);
            long[] insert = new long[latency.length];
            Results.pace(insert.length, RATE, (i, due) -> {
                raw.insertOne("latency", Integer.toString(i));
                insert[i] = System.nanoTime() - due;
            });
            int n = latency.length;
            Results.print("scheduler.decision_p50_ms", Results.percentileMillis(latency, n, 50), Results.percentileMillis(insert, n, 50));
            Results.print("scheduler.decision_p99_ms", Results.percentileMillis(latency, n, 99), Results.percentileMillis(insert, n, 99));

            Results.progress("events decided per second in a burst");
            double decided = burst(events, storage.schedulerStore());
            double inserts = Results.throughput(1, seconds, t -> {
                raw.insertOne("burst", "x");
                return 1;
            });
            Results.print("scheduler.events_decided_per_s", decided, inserts);
            // for information: the rows each burst event makes the platform write, by raw JDBC alone
            raw.createTaskTables();
            double rows = raw.taskStartRows(seconds, 32);
            Results.progress(String.format(java.util.Locale.ROOT, "raw JDBC writing a started task's rows (the event, the task"
                    + " QUEUED -> RUNNING -> SUCCESS, 3 history rows, 3 status events; 32 events a commit): %.0f events/s,"
                    + " %.3f of the baseline; the scheduler reached %.3f of these rows alone", rows, rows / inserts, decided / rows));
        }
    }

    /** The scheduling lease, taken for the run: every write of the scheduler is fenced by it, as on a platform node. */
    private static LeaderFence leaderFence(JdbcStorage storage) {
        Lease lease = storage.clusterStore().acquireOrRenew("scheduler", "bench#1", Duration.ofHours(1));
        return new LeaderFence(lease.name(), lease.owner(), lease.epoch());
    }

    /** Publishes events at the fixed rate, each starting the task of one workflow; latency until its runner call. */
    private long[] decisionLatency(EventLog events, SchedulerStore store, RecordingRunner runner, int seconds, int firstWorkflow)
            throws Exception {
        int n = seconds * RATE;
        long[] published = new long[n];
        String[] keys = new String[n];
        runner.expected = new CountDownLatch(n);
        runner.invoked.clear();
        Results.pace(n, RATE, (i, due) -> {
            int w = (firstWorkflow + i) % WORKFLOWS; // each workflow's task has finished long before its next event
            published[i] = due;
            keys[i] = "wf-" + w;
            events.publish(new EventDraft("bench", "go-" + w, Integer.toString(i), null, null, null, null));
        });
        if (!runner.expected.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the runner was invoked for " + (n - runner.expected.getCount()) + " of " + n
                    + " events (scheduler cursor " + store.cursor("scheduler") + ", newest event " + events.latestVersion() + ", tasks by status "
                    + store.listTasks(new org.aiflow.api.execution.TaskQuery(null, null, null, 10_000)).stream().collect(
                    java.util.stream.Collectors.groupingBy(t -> t.status() + ": " + t.message(), java.util.stream.Collectors.counting()))
                    + ")");
        }
        // the i-th invocation of a workflow answers its i-th event: order the invocations per workflow
        Map<String, List<Long>> perWorkflow = new ConcurrentHashMap<>();
        runner.invoked.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e ->
                perWorkflow.computeIfAbsent(e.getKey().substring(0, e.getKey().indexOf('#')), k -> new ArrayList<>()).add(e.getValue()));
        if (perWorkflow.size() != Math.min(n, WORKFLOWS)) {
            throw new IllegalStateException("runner invocations " + runner.invoked.keySet().stream().sorted().limit(20).toList()
                    + " for " + perWorkflow.size() + " workflows");
        }
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        long[] latency = new long[n];
        for (int i = 0; i < n; i++) {
            int k = seen.merge(keys[i], 1, Integer::sum) - 1;
            latency[i] = perWorkflow.get(keys[i]).get(k) - published[i];
        }
        return latency;
    }

    /** Publishes a burst of events that match rules and times how fast the scheduler's cursor passes them. */
    private double burst(EventLog events, SchedulerStore store) throws Exception {
        int n = Math.max(2_000, seconds * 1_000);
        List<EventDraft> drafts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            drafts.add(new EventDraft("bench", "go-" + (i % WORKFLOWS), "burst", null, null, null, null));
        }
        long start = System.nanoTime();
        long last = 0;
        for (int from = 0; from < n; from += 500) {
            List<Event> stored = events.publishAll(drafts.subList(from, Math.min(n, from + 500)));
            last = stored.get(stored.size() - 1).version();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (store.cursor("scheduler") < last) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the scheduler did not catch up with the burst in 300 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }
}

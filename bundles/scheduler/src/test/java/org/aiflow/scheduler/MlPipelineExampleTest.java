package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.notification.EventLog;
import org.aiflow.runner.process.ProcessJobRunner;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/workflows/ml-pipeline.yaml uploaded as a file to a scheduler on H2 with the process runner, and run. */
class MlPipelineExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @TempDir
    Path logs;
    private TestDatabase database;
    private SchedulerStore store;
    private EventLog events;
    private final ProcessJobRunner processRunner = new ProcessJobRunner(2_000);
    private Scheduler scheduler;
    private String pipeline;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabases.h2();
        JdbcStorage storage = JdbcStorage.open(database.dataSource());
        store = storage.schedulerStore();
        events = new EventLog(storage.eventStore(), EventLog.Settings.defaults());
        PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
        PluginRegistry<ConditionType> conditions = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
        PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
        BuiltInConditions.register(conditions);
        BuiltInPolicies.register(policies);
        runners.add(processRunner, Map.of(JobRunner.TYPE_PROPERTY, "process"));
        scheduler = new Scheduler(store, events, runners, conditions, policies, logs);
        scheduler.start(50);
        pipeline = Files.readString(SchedulerYamlTest.EXAMPLES.resolve("ml-pipeline.yaml"));
    }

    @AfterEach
    void close() {
        scheduler.close();
        events.close();
        processRunner.deactivate();
        database.close();
    }

    private ExecutionStatus run(String document) {
        scheduler.upload("ml-pipeline.yaml", document);
        WorkflowExecution x = scheduler.startExecution("default", "ml-pipeline");
        await().atMost(WAIT).until(() -> store.findExecution(x.id()).orElseThrow().status().isFinal());
        return store.findExecution(x.id()).orElseThrow().status();
    }

    private List<TaskExecution> tasks() {
        return scheduler.listTasks(new TaskQuery(null, null, null, 100)).stream()
                .sorted(Comparator.comparingLong(TaskExecution::id)).toList();
    }

    @Test
    void theTasksRunOneAfterAnotherAndTheAlertStaysIdle() throws Exception {
        assertThat(run(pipeline)).isEqualTo(ExecutionStatus.SUCCESS);
        assertThat(tasks()).extracting(TaskExecution::taskName, TaskExecution::status).containsExactly(
                tuple("ingest", TaskStatus.SUCCESS),
                tuple("validate", TaskStatus.SUCCESS),
                tuple("train", TaskStatus.SUCCESS),
                tuple("evaluate", TaskStatus.SUCCESS),
                tuple("deploy", TaskStatus.SUCCESS));
        TaskExecution ingest = tasks().get(0);
        assertThat(Files.readString(scheduler.logDirectory(ingest.id()).resolve("stdout.log")))
                .startsWith("ingest: copying new churn events (workflow ml-pipeline, task execution " + ingest.id() + ")");
        assertThat(scheduler.schedules("default", "ml-pipeline")).hasSize(1);
    }

    @Test
    void aTrainingThatFailsForGoodIsRetriedOnceThenAlerts() {
        String failing = pipeline
                .replace("echo \"train: fitting logistic regression on 30 days of events\"", "echo \"train: out of memory\" >&2; exit 3")
                .replace("retryDelaySeconds: 30", "retryDelaySeconds: 0");
        assertThat(failing).isNotEqualTo(pipeline).contains("exit 3");
        assertThat(run(failing)).isEqualTo(ExecutionStatus.FAILED);
        // attempt 1 ends FAILED once attempt 2 is queued; the alert waits for the last attempt
        assertThat(tasks()).extracting(TaskExecution::taskName, TaskExecution::attempt, TaskExecution::status).containsExactlyInAnyOrder(
                tuple("ingest", 1, TaskStatus.SUCCESS),
                tuple("validate", 1, TaskStatus.SUCCESS),
                tuple("train", 1, TaskStatus.FAILED),
                tuple("train", 2, TaskStatus.FAILED),
                tuple("alert", 1, TaskStatus.SUCCESS));
    }
}

package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.IssuedToken;
import org.aiflow.api.security.Role;
import org.aiflow.api.security.TokenDraft;
import org.aiflow.api.security.TokenService;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.json.AiflowJson;
import org.aiflow.notification.EventLog;
import org.aiflow.runner.process.ProcessJobRunner;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each task's own identity and context (issue 13 item 7): the scheduler fills the task environment
 * at each submit, issues a token per submit through the token service and revokes it when the
 * attempt ends or the submit fails, and writes the event that started the task. Real H2 store, real
 * processes printing their environment.
 */
class TaskEnvironmentTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String URL = "http://aiflow.test:8181/aiflow/v1";
    /** Prints the task's variables, one per line, sorted. */
    private static final String PRINT_ENV = "env | grep '^AIFLOW_' | grep -v -e '^AIFLOW_EXIT_FILE=' -e '^AIFLOW_PID_FILE=' | sort";

    @TempDir
    Path logs;
    private TestDatabase database;
    private SchedulerStore store;
    private EventLog events;
    private final PluginRegistry<JobRunner> runners = new PluginRegistry<>(JobRunner.TYPE_PROPERTY);
    private final PluginRegistry<ConditionType> conditions = new PluginRegistry<>(ConditionType.TYPE_PROPERTY);
    private final PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
    private final ProcessJobRunner processRunner = new ProcessJobRunner(2_000);
    private final RecordingTokens tokenService = new RecordingTokens();
    private final TaskTokens tokens = new TaskTokens();
    private Scheduler scheduler;

    @BeforeEach
    void open() throws Exception {
        database = TestDatabases.h2();
        JdbcStorage storage = JdbcStorage.open(database.dataSource());
        store = storage.schedulerStore();
        events = new EventLog(storage.eventStore(), EventLog.Settings.defaults());
        BuiltInConditions.register(conditions);
        BuiltInPolicies.register(policies);
        runners.add(processRunner, Map.of(JobRunner.TYPE_PROPERTY, "process"));
        tokens.bind(tokenService);
        scheduler = startScheduler();
    }

    private Scheduler startScheduler() {
        Scheduler s = new Scheduler(store, events, runners, conditions, policies, logs, tokens, () -> URL);
        s.start(50);
        return s;
    }

    @AfterEach
    void close() {
        scheduler.close();
        events.close();
        processRunner.deactivate();
        database.close();
    }

    private static TaskDefinition task(String name, String command, Rule... rules) {
        return new TaskDefinition(name, TaskKind.BATCH, new JobSpec("process", Map.of("command", command)), List.of(rules));
    }

    private static Rule onEvent(String key) {
        return new Rule(new ConditionSpec("event", Map.of("key", key)), Action.START);
    }

    private WorkflowExecution uploadAndStart(String namespace, String name, TaskDefinition... tasks) {
        scheduler.upload(new WorkflowDefinition(namespace, name, null, List.of(tasks)));
        return scheduler.startExecution(namespace, name);
    }

    private List<TaskExecution> tasks(WorkflowExecution x) {
        return scheduler.listTasks(new TaskQuery(null, x.id(), null, 100));
    }

    private TaskExecution awaitTask(WorkflowExecution x, String task, TaskStatus status) {
        await().atMost(WAIT).until(() -> tasks(x).stream().anyMatch(t -> t.taskName().equals(task) && t.status() == status));
        return tasks(x).stream().filter(t -> t.taskName().equals(task) && t.status() == status).findFirst().orElseThrow();
    }

    /** The AIFLOW_* variables the task's process saw. */
    private Map<String, String> environment(TaskExecution t) throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(scheduler.logDirectory(t.id()).resolve("stdout.log"))) {
            int eq = line.indexOf('=');
            if (line.startsWith("AIFLOW_") && eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void anEventStartedTaskGetsItsContextItsEventAndATokenThatEndsWithIt() throws Exception {
        WorkflowExecution x = uploadAndStart("churn", "identity", task("report", PRINT_ENV,
                new Rule(new ConditionSpec("event", Map.of("namespace", "sales", "key", "model-a")), Action.START)));
        Event trigger = events.publish(new EventDraft("sales", "model-a", "v3", "MODEL_DEPLOYED", "tester",
                Map.of("note", "line\nbreak"), null));

        TaskExecution done = awaitTask(x, "report", TaskStatus.SUCCESS);

        Path dir = scheduler.logDirectory(done.id());
        assertThat(environment(done)).containsOnly(
                Map.entry("AIFLOW_URL", URL),
                Map.entry("AIFLOW_TOKEN", tokenService.secretOf(done.id())),
                Map.entry("AIFLOW_NAMESPACE", "churn"),
                Map.entry("AIFLOW_WORKFLOW", "identity"),
                Map.entry("AIFLOW_WORKFLOW_EXECUTION_ID", Long.toString(x.id())),
                Map.entry("AIFLOW_TASK", "report"),
                Map.entry("AIFLOW_TASK_EXECUTION_ID", Long.toString(done.id())),
                Map.entry("AIFLOW_EVENT_FILE", dir.resolve("event.json").toAbsolutePath().toString()),
                Map.entry("AIFLOW_EVENT_VERSION", Long.toString(trigger.version())),
                Map.entry("AIFLOW_EVENT_NAMESPACE", "sales"),
                Map.entry("AIFLOW_EVENT_KEY", "model-a"),
                Map.entry("AIFLOW_EVENT_TYPE", "MODEL_DEPLOYED"));
        Event written = AiflowJson.newMapper().readValue(dir.resolve("event.json").toFile(), Event.class);
        assertThat(written).isEqualTo(trigger);

        // operator in the task's namespace only; revoked once the attempt has ended
        assertThat(tokenService.issued).containsExactly(new Issue(done.id(), "churn"));
        await().atMost(WAIT).until(() -> tokenService.revoked.contains(done.id()));
        // the token is in no log the REST API serves, and in no status message
        for (String file : scheduler.taskLogFiles(done.id())) {
            if (!file.equals("stdout.log")) {
                assertThat(Files.readString(dir.resolve(file))).doesNotContain(tokenService.secretOf(done.id()));
            }
        }
        assertThat(scheduler.taskHistory(done.id())).noneMatch(c -> c.message().contains(tokenService.secretOf(done.id())));
    }

    @Test
    void aTaskStartedWithoutAnEventHasNoEventVariablesAndNoEventFile() throws Exception {
        WorkflowExecution x = uploadAndStart("default", "by-hand", task("first", PRINT_ENV));

        TaskExecution done = awaitTask(x, "first", TaskStatus.SUCCESS);

        assertThat(environment(done)).containsOnlyKeys("AIFLOW_URL", "AIFLOW_TOKEN", "AIFLOW_NAMESPACE", "AIFLOW_WORKFLOW",
                "AIFLOW_WORKFLOW_EXECUTION_ID", "AIFLOW_TASK", "AIFLOW_TASK_EXECUTION_ID");
        assertThat(scheduler.logDirectory(done.id()).resolve("event.json")).doesNotExist();
        assertThat(tokenService.issued).containsExactly(new Issue(done.id(), "default"));
    }

    @Test
    void withoutATokenServiceTasksRunWithoutAToken() throws Exception {
        tokens.unbind(tokenService);
        WorkflowExecution x = uploadAndStart("default", "open", task("first", PRINT_ENV));

        TaskExecution done = awaitTask(x, "first", TaskStatus.SUCCESS);

        assertThat(environment(done)).doesNotContainKey("AIFLOW_TOKEN").containsEntry("AIFLOW_URL", URL);
        assertThat(tokenService.issued).isEmpty();
    }

    @Test
    void aFailedSubmitRevokesTheTokenItWasIssued() {
        TaskDefinition broken = new TaskDefinition("broken", TaskKind.BATCH, new JobSpec("process", Map.of("command", "true",
                "workingDirectory", logs.resolve("missing").toString())), List.of());
        WorkflowExecution x = uploadAndStart("default", "broken", broken);

        TaskExecution failed = awaitTask(x, "broken", TaskStatus.FAILED);

        assertThat(failed.message()).contains("is not a directory");
        assertThat(tokenService.issued).containsExactly(new Issue(failed.id(), "default"));
        assertThat(tokenService.revoked).contains(failed.id());
    }

    @Test
    void aRetryGetsTheEventOfTheAttemptItRetriesAndATokenOfItsOwn() throws Exception {
        Path marker = logs.resolve("failed-once");
        TaskDefinition flaky = new TaskDefinition("flaky", TaskKind.BATCH, new JobSpec("process", Map.of("command",
                "if [ -f '" + marker + "' ]; then " + PRINT_ENV + "; else touch '" + marker + "'; exit 1; fi")),
                List.of(onEvent("go")), null, Map.of("retries", 1, "retryDelaySeconds", 0));
        WorkflowExecution x = uploadAndStart("default", "flaky", flaky);
        Event go = events.publish(new EventDraft("default", "go", "", "", "", Map.of(), null));

        TaskExecution retry = awaitTask(x, "flaky", TaskStatus.SUCCESS);

        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(environment(retry)).containsEntry("AIFLOW_EVENT_VERSION", Long.toString(go.version()))
                .containsEntry("AIFLOW_EVENT_KEY", "go").containsEntry("AIFLOW_TOKEN", tokenService.secretOf(retry.id()));
        TaskExecution first = tasks(x).stream().filter(t -> t.attempt() == 1).findFirst().orElseThrow();
        assertThat(tokenService.issued).extracting(Issue::taskExecutionId).containsExactly(first.id(), retry.id());
        await().atMost(WAIT).until(() -> tokenService.revoked.containsAll(List.of(first.id(), retry.id())));
    }

    @Test
    void afterARestartARunningTaskKeepsItsTokenAndAQueuedOneStillGetsItsEvent() throws Exception {
        Path gate = logs.resolve("gate");
        WorkflowExecution x = uploadAndStart("default", "restarts",
                task("long", "while [ ! -f '" + gate + "' ]; do sleep 0.05; done; " + PRINT_ENV),
                new TaskDefinition("later", TaskKind.BATCH, new JobSpec("other", Map.of("command", PRINT_ENV)), List.of(onEvent("later"))));
        TaskExecution running = awaitTask(x, "long", TaskStatus.RUNNING);
        Event later = events.publish(new EventDraft("default", "later", "", "", "", Map.of(), null));
        awaitTask(x, "later", TaskStatus.WAITING); // no runner of type 'other' yet

        scheduler.close();
        runners.add(processRunner, Map.of(JobRunner.TYPE_PROPERTY, "other"));
        scheduler = startScheduler();
        Files.writeString(gate, "go");

        TaskExecution longDone = awaitTask(x, "long", TaskStatus.SUCCESS);
        TaskExecution laterDone = awaitTask(x, "later", TaskStatus.SUCCESS);
        // re-attached, not submitted again: the job ran with the token issued at its submit
        assertThat(tokenService.issued.stream().filter(i -> i.taskExecutionId() == running.id())).hasSize(1);
        assertThat(environment(longDone)).containsEntry("AIFLOW_TOKEN", tokenService.secretOf(running.id()));
        await().atMost(WAIT).until(() -> tokenService.revoked.contains(running.id()));
        // queued by the scheduler before the restart: its event is read back from the log
        assertThat(environment(laterDone)).containsEntry("AIFLOW_EVENT_VERSION", Long.toString(later.version()))
                .containsEntry("AIFLOW_EVENT_KEY", "later");
    }

    @Test
    void theEventFileReplacesALinkInsteadOfWritingThroughIt() throws Exception {
        Path dir = Files.createDirectories(logs.resolve("task-x"));
        Path victim = Files.writeString(logs.resolve("victim"), "keep");
        Files.createSymbolicLink(dir.resolve("event.json"), victim);
        Event e = new Event(5, "ns", "k", "v", "T", "s", Map.of(), Instant.parse("2026-01-01T00:00:00Z"));

        TaskEnvironment.writeEvent(dir.resolve("event.json"), e);

        assertThat(Files.readString(victim)).isEqualTo("keep");
        assertThat(Files.isSymbolicLink(dir.resolve("event.json"))).isFalse();
        assertThat(AiflowJson.newMapper().readValue(dir.resolve("event.json").toFile(), Event.class)).isEqualTo(e);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("event.json"));
        }
    }

    record Issue(long taskExecutionId, String namespace) {
    }

    /** A token service that records what the scheduler asks of it. */
    static final class RecordingTokens implements TokenService {
        final List<Issue> issued = new CopyOnWriteArrayList<>();
        final List<Long> revoked = new CopyOnWriteArrayList<>();
        private final Map<Long, String> secrets = new java.util.concurrent.ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        String secretOf(long taskExecutionId) {
            return secrets.get(taskExecutionId);
        }

        @Override
        public IssuedToken issueForTask(long taskExecutionId, String namespace) {
            issued.add(new Issue(taskExecutionId, namespace));
            String secret = "aif_test-" + taskExecutionId + "-" + ids.incrementAndGet();
            secrets.put(taskExecutionId, secret);
            ApiToken token = new ApiToken(ids.get(), "task-" + taskExecutionId, "task:" + taskExecutionId,
                    List.of(new Grant(Role.OPERATOR, namespace)), Instant.now(), "system:scheduler", null, null, null, taskExecutionId,
                    secret.substring(0, 8));
            return new IssuedToken(token, secret);
        }

        @Override
        public void revokeForTask(long taskExecutionId) {
            revoked.add(taskExecutionId);
        }

        @Override
        public IssuedToken create(TokenDraft draft, Caller by) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiToken token(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ApiToken> list(boolean includeRevoked, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ApiToken> list(boolean includeRevoked, long beforeId, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ApiToken revoke(long id, Caller by) {
            throw new UnsupportedOperationException();
        }
    }
}

package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.scheduler.ScheduleEvents;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.storage.StorageBackend;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.client.AiflowClient;
import org.apache.karaf.features.FeaturesService;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The platform inside the real distribution, one container for the whole class (2-core machine):
 * boot, the vertical slice through the console, bad input, hot swap of a runner through deploy/,
 * workflows and tasks operated by hand through the console, REST and the Java client, and finally
 * the switch of the storage backend from H2 to MariaDB by configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class PlatformIT extends AiflowTestSupport {

    private static final String BASE = "http://localhost:8181/aiflow/v1/";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A workflow to operate by hand: a task that starts with the execution, one started by an event, two after it. */
    private static final String OPS = """
            {"namespace": "ops", "name": "ops", "description": "operated by hand in the itest",
             "tasks": [
               {"name": "prepare", "job": {"runnerType": "process", "config": {"command": "echo prepared"}}},
               {"name": "train", "job": {"runnerType": "process", "config": {"command": "echo hello; sleep 30"}},
                "rules": [{"condition": {"type": "event", "config": {"key": "ops_train"}}, "action": "START"}]},
               {"name": "evaluate", "job": {"runnerType": "process", "config": {"command": "echo evaluated"}}, "startAfter": ["train"]},
               {"name": "serve", "kind": "STREAM", "job": {"runnerType": "process", "config": {"command": "sleep 30"}},
                "rules": [{"condition": {"type": "status", "config": {"task": "evaluate"}}, "action": "RESTART"},
                          {"condition": {"type": "event", "config": {"key": "ops_halt"}}, "action": "STOP"}]}]}
            """;

    /** A workflow that a schedule starts every second; its STOP trigger is only listed. */
    private static final String TICKER = """
            {"namespace": "ops", "name": "ticker",
             "tasks": [{"name": "tick", "job": {"runnerType": "process", "config": {"command": "echo tick"}}}],
             "triggers": [{"condition": {"type": "event", "config": {"key": "ticker_halt"}}, "action": "STOP"}],
             "schedules": [{"name": "every-second", "intervalSeconds": 1}]}
            """;

    /** A workflow that an event starts through its trigger. */
    private static final String KICKED = """
            {"namespace": "ops", "name": "kicked",
             "tasks": [{"name": "go", "job": {"runnerType": "process", "config": {"command": "echo kicked"}}}],
             "triggers": [{"condition": {"type": "event", "config": {"key": "kick_off"}}, "action": "START"}]}
            """;

    private static HttpResponse<String> http(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).header("Authorization", Distribution.adminAuthorization()).header("X-Requested-By", "itest").timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> r, int status, String code, String messagePart) {
        assertEquals(r.body(), status, r.statusCode());
        assertTrue(r.body(), r.body().contains("\"code\":\"" + code + "\"") && r.body().contains(messagePart));
    }

    private static long idIn(String json) {
        return Long.parseLong(json.replaceFirst("(?s)^\\{\"id\":(\\d+),.*", "$1"));
    }

    /** The line of workflow-show that draws a task (after its tree prefix). */
    private static String taskLine(String shown, String task) {
        return shown.lines().filter(l -> l.replaceFirst("^[|`\\-> ]*", "").startsWith(task + " ")).findFirst().orElse("");
    }

    private List<TaskExecution> tasks(String workflow) {
        return service(SchedulerService.class).listTasks(new TaskQuery(workflow, null, null, 100));
    }

    private Optional<TaskExecution> newestTask(String workflow) {
        return tasks(workflow).stream().findFirst();
    }

    @Override
    protected Option[] extraOptions() throws SQLException {
        String schema = "aiflow_itest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(MARIADB_SERVER, "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + schema);
        }
        // the MariaDB backend the last test switches to: a fresh schema of the local server
        String datasource = "etc/org.ops4j.datasource-aiflow-mariadb.cfg";
        return new Option[] {
            editConfigurationFilePut(datasource, "osgi.jdbc.driver.name", "mariadb"),
            editConfigurationFilePut(datasource, "dataSourceName", "aiflow-mariadb"),
            editConfigurationFilePut(datasource, "url", MARIADB_SERVER + schema),
            editConfigurationFilePut(datasource, "user", "root"),
            editConfigurationFilePut(datasource, "password", ""),
            editConfigurationFilePut(datasource, "pool", "hikari"),
            editConfigurationFilePut(datasource, "xa", "false"),
            editConfigurationFilePut(datasource, "hikari.autoCommit", "false"),
        };
    }

    // ------------------------------------------------------------------ tests

    @Test
    public void a_bootsWithTheAiflowFeatureAndTheSampleWorkflow() throws Exception {
        for (String feature : List.of("aiflow", "aiflow-core", "aiflow-storage-h2", "aiflow-runner-process")) {
            assertTrue(feature + " installed", features.isInstalled(features.getFeature(feature)));
        }
        StorageBackend storage = service(StorageBackend.class);
        assertEquals("H2", storage.name());
        // one backend hands out every store: they are of one database
        assertEquals("H2", storage.eventStore().backend());
        service(MetadataService.class); // the model registry is up on the same store
        assertTrue(Files.exists(karafData().resolve("aiflow/h2/aiflow.mv.db")));
        String workflows = console("aiflow:workflow-list");
        assertTrue(workflows, workflows.contains("hello-world"));
        String plugins = console("aiflow:plugin-list");
        assertTrue(plugins, plugins.contains("process") && plugins.contains("event"));
    }

    @Test
    public void b_anEventSentFromTheConsoleRunsTheSampleJob() throws Exception {
        String sent = console("aiflow:event-send hello from-itest");
        assertTrue(sent, sent.matches("(?s)Event \\d+ stored: default/hello = from-itest.*"));
        Poll.until(WAIT, "the sample job succeeded", () -> newestTask("hello-world").map(t -> t.status() == TaskStatus.SUCCESS).orElse(false));
        TaskExecution task = newestTask("hello-world").orElseThrow();
        String list = console("aiflow:task-list -w hello-world");
        assertTrue(list, list.contains("greet") && list.contains("SUCCESS") && list.contains("exit code 0"));
        String shown = console("aiflow:task-show " + task.id());
        assertTrue(shown, shown.contains("QUEUED") && shown.contains("RUNNING") && shown.contains("START by event"));
        String stdout = Files.readString(karafData().resolve("aiflow/logs/task-" + task.id() + "/stdout.log"));
        assertTrue(stdout, stdout.startsWith("Hello from AI Flow: workflow hello-world, task greet"));
        String events = console("aiflow:event-list -k hello");
        assertTrue(events, events.contains("from-itest"));
        long sentVersion = Long.parseLong(sent.replaceAll("(?s)Event (\\d+) stored.*", "$1"));
        String followed = console("aiflow:event-listen -k hello -a " + (sentVersion - 1) + " -c 1");
        assertTrue(followed, followed.contains(sentVersion + "  ") && followed.contains("default/hello = from-itest"));
        String counted = console("aiflow:event-count -k hello --json");
        assertTrue(counted, counted.contains("\"count\" : 1"));
        String json = console("aiflow:task-list -w hello-world -l 1 --json");
        assertTrue(json, json.contains("\"status\" : \"SUCCESS\""));
    }

    @Test
    public void c_badInputGetsAClearMessageAndChangesNothing() {
        NotificationService notifications = service(NotificationService.class);
        // the executions started at boot (ml-pipeline) publish status events until their tasks are done
        Poll.until(WAIT, "the scheduler is idle", () -> notifications.subscription("aiflow-scheduler").cursor() >= notifications.latestVersion()
                && service(SchedulerService.class).listTasks(new TaskQuery(null, null, null, 1000)).stream().allMatch(t -> t.status().isFinal()));
        long head = notifications.latestVersion();
        int workflows = service(SchedulerService.class).listWorkflows().size();
        assertTrue(console("aiflow:event-send").contains("Argument key is required"));
        assertTrue(console("aiflow:event-send -n 'bad ns' k").contains("Error [invalid_argument]: namespace 'bad ns' is invalid"));
        assertTrue(console("aiflow:event-send -c novalue k").contains("context entry 'novalue' must look like name=value"));
        assertTrue(console("aiflow:event-send -t 'no spaces' k").contains("Error [invalid_argument]: type 'no spaces' is invalid"));
        assertTrue(console("aiflow:execution-start nosuch").contains("Error [not_found]: workflow 'default/nosuch' does not exist"));
        assertTrue(console("aiflow:task-show 987654").contains("Error [not_found]: task execution '987654' does not exist"));
        assertTrue(console("aiflow:workflow-upload /no/such/file.json").contains("cannot read workflow file"));
        assertTrue(console("aiflow:task-list -s DONE").contains("DONE"));
        assertEquals(head, notifications.latestVersion());
        assertEquals(workflows, service(SchedulerService.class).listWorkflows().size());
    }

    @Test
    public void d_aRunnerDroppedIntoDeployIsUsedAndItsRemovalLeavesTasksWaiting() throws Exception {
        Path log = karafData().resolve("log/karaf.log");
        long logStart = Files.size(log);
        SchedulerService scheduler = service(SchedulerService.class);
        long schedulerServiceId = serviceId(SchedulerService.class);
        assertFalse(scheduler.runnerTypes().contains("sample"));

        Path jar = karafHome().resolve("samples").resolve("org.aiflow.sample.runner.jar");
        Path deployed = karafHome().resolve("deploy").resolve("org.aiflow.sample.runner.jar");
        Files.copy(jar, deployed);
        Poll.until(WAIT, "the sample runner is bound", () -> scheduler.runnerTypes().contains("sample"));

        scheduler.upload("nap.json", """
                {"name": "nap", "tasks": [{"name": "doze", "job": {"runnerType": "sample", "config": {"durationMillis": 300}},
                  "rules": [{"condition": {"type": "event", "config": {"key": "nap"}}, "action": "START"}]}]}
                """);
        WorkflowExecution x = scheduler.startExecution("default", "nap");
        NotificationService notifications = service(NotificationService.class);
        notifications.publish(EventDraft.of("nap", "1"));
        Poll.until(WAIT, "the nap task succeeded", () -> newestTask("nap").map(t -> t.status() == TaskStatus.SUCCESS).orElse(false));

        Files.delete(deployed);
        Poll.until(WAIT, "the sample runner is unbound", () -> !scheduler.runnerTypes().contains("sample"));
        notifications.publish(EventDraft.of("nap", "2"));
        Poll.until(WAIT, "the second nap task waits for its runner", () -> tasks("nap").size() == 2 && newestTask("nap").orElseThrow().status() == TaskStatus.WAITING);
        TaskExecution waiting = newestTask("nap").orElseThrow();
        assertTrue(waiting.message(), waiting.message().contains("no job runner of type 'sample' is installed"));
        String list = console("aiflow:task-list -w nap");
        assertTrue(list, list.contains("WAITING"));

        Files.copy(jar, deployed);
        Poll.until(WAIT, "the waiting task ran when the runner came back", () -> service(SchedulerService.class).task(waiting.id()).status() == TaskStatus.SUCCESS);
        assertEquals("the scheduler was not restarted", schedulerServiceId, serviceId(SchedulerService.class));
        assertEquals(x.id(), service(SchedulerService.class).task(waiting.id()).workflowExecutionId());

        String logged = Files.readString(log).substring((int) logStart);
        assertFalse(logged, logged.contains("Exception"));
        assertFalse(logged, logged.contains("| ERROR |"));
    }

    @Test
    public void dd_workflowsAndTasksAreOperatedByHandThroughConsoleRestAndClient() throws Exception {
        features.installFeature("aiflow-client");
        Poll.until(WAIT, "the platform is ready", () -> http("GET", "health/ready", null).statusCode() == 200);
        SchedulerService local = service(SchedulerService.class);
        SchedulerService remote = AiflowClient.connect(URI.create(BASE), Distribution.ADMIN, Distribution.ADMIN_PASSWORD).scheduler();

        // the plugins bound, three ways
        String plugins = http("GET", "plugins", null).body();
        assertTrue(plugins, plugins.contains("\"runners\":[") && plugins.contains("\"process\"") && plugins.contains("\"status\""));
        assertEquals(local.runnerTypes(), remote.runnerTypes());
        assertEquals(local.conditionTypes(), remote.conditionTypes());
        assertEquals(local.policies(), remote.policies());
        assertTrue(console("aiflow:runner-list").contains("process"));
        String conditions = console("aiflow:condition-list --json");
        assertTrue(conditions, conditions.contains("\"event\"") && conditions.contains("\"all-of\"") && !conditions.contains("\"process\""));
        assertFalse(console("aiflow:policy-list").contains("Error"));

        // upload over REST; documents in error change nothing
        int workflows = local.listWorkflows().size();
        assertProblem(http("POST", "workflows?source=empty.json", "{\"name\": \"ops\", \"tasks\": []}"), 400, "invalid_argument",
                "empty.json: workflow 'ops' has no tasks");
        assertProblem(http("POST", "workflows", OPS.replace("\"event\"", "\"nosuch\"")), 400, "invalid_argument",
                "condition type 'nosuch' is not installed");
        assertProblem(http("POST", "workflows", "{\"name\": "), 400, "invalid_argument", "not valid JSON");
        assertEquals(workflows, local.listWorkflows().size());
        HttpResponse<String> uploaded = http("POST", "workflows?source=ops.json", OPS);
        assertEquals(uploaded.body(), 201, uploaded.statusCode());
        assertTrue(uploaded.body(), uploaded.body().contains("\"namespace\":\"ops\"") && uploaded.body().contains("\"enabled\":true"));

        // disable and enable, three ways; a disabled workflow does not start
        assertFalse(remote.setEnabled("ops", "ops", false).enabled());
        assertTrue(console("aiflow:execution-start -n ops ops").contains("Error [conflict]: workflow 'ops/ops' is disabled"));
        assertTrue(console("aiflow:workflow-enable -n ops ops").contains("Workflow ops/ops enabled."));
        assertTrue(http("POST", "workflows/ops/disable?namespace=ops", null).body().contains("\"enabled\":false"));
        assertTrue(console("aiflow:workflow-disable -n ops ops").contains("Workflow ops/ops disabled."));
        assertEquals(200, http("POST", "workflows/ops/enable?namespace=ops", null).statusCode());
        assertTrue(local.workflow("ops", "ops").enabled());

        // an execution started over REST; a task started by hand from the console runs and logs
        HttpResponse<String> started = http("POST", "workflows/ops/executions?namespace=ops", null);
        assertEquals(started.body(), 201, started.statusCode());
        long x = idIn(started.body());
        assertEquals(ExecutionStatus.RUNNING, remote.execution(x).status());
        Poll.until(WAIT, "prepare succeeded", () -> remote.listTasks(new TaskQuery(null, x, null, 10)).stream()
                .anyMatch(t -> t.taskName().equals("prepare") && t.status() == TaskStatus.SUCCESS));
        String startedTrain = console("aiflow:task-start " + x + " train");
        assertTrue(startedTrain, startedTrain.matches("(?s)Task train of execution " + x + " started as task execution \\d+ \\(attempt 1\\).*"));
        long train = Long.parseLong(startedTrain.replaceFirst("(?s).*task execution (\\d+).*", "$1"));
        Poll.until(WAIT, "train runs", () -> remote.task(train).status() == TaskStatus.RUNNING);
        assertTrue(console("aiflow:task-start " + x + " train").contains("Error [conflict]: task 'train' is already RUNNING"));
        assertProblem(http("POST", "executions/" + x + "/tasks/train/start", null), 409, "conflict", "already RUNNING");

        Poll.until(WAIT, "train wrote hello", () -> http("GET", "tasks/" + train + "/logs/stdout.log", null).body().contains("hello"));
        String files = http("GET", "tasks/" + train + "/logs", null).body();
        assertTrue(files, files.contains("\"stdout.log\"") && files.contains("\"stderr.log\""));
        String slice = http("GET", "tasks/" + train + "/logs/stdout.log?offset=0&maxBytes=3", null).body();
        assertTrue(slice, slice.contains("\"text\":\"hel\"") && slice.contains("\"nextOffset\":3"));
        assertEquals("hello\n", remote.taskLog(train, "stdout.log", -4096, 4096).text());
        assertTrue(remote.taskLogFiles(train).contains("stdout.log"));
        assertEquals("hello\n", console("aiflow:task-log " + train));
        assertProblem(http("GET", "tasks/" + train + "/logs/nosuch.log", null), 404, "not_found", "no log file 'nosuch.log'");
        assertProblem(http("GET", "tasks/" + train + "/logs/stdout.log?maxBytes=0", null), 400, "invalid_argument", "maxBytes");

        // the task graph with the statuses of the running execution
        String shown = console("aiflow:workflow-show --ascii -n ops ops");
        assertTrue(shown, shown.contains("Workflow ops/ops: enabled") && shown.contains("operated by hand in the itest")
                && shown.contains("Execution " + x + ": RUNNING"));
        assertTrue(shown, taskLine(shown, "prepare").matches("prepare +BATCH +process +SUCCESS +\\d+ +starts with the execution"));
        assertTrue(shown, taskLine(shown, "train").matches("train +BATCH +process +RUNNING +" + train + " +START on event key=ops_train"));
        assertTrue(shown, taskLine(shown, "evaluate").matches("`-> evaluate +BATCH +process +- +- +START after train"));
        assertTrue(shown, taskLine(shown, "serve").matches(" +`-> serve +STREAM +process +- +- +RESTART after evaluate; STOP on event key=ops_halt"));
        assertTrue(shown, shown.indexOf(taskLine(shown, "prepare")) < shown.indexOf(taskLine(shown, "train")));
        assertTrue(shown, shown.lines().allMatch(l -> l.length() <= 100));
        assertTrue(console("aiflow:workflow-show -n ops ops").contains("\u2514\u2500> evaluate"));
        String json = console("aiflow:workflow-show --json -n ops ops");
        assertTrue(json, json.contains("\"after\" : [ \"train\" ]") && json.contains("\"status\" : \"RUNNING\""));

        // a workflow with a running execution is not deleted, whichever way
        assertTrue(console("aiflow:workflow-delete -n ops ops").contains("Error [conflict]: workflow 'ops/ops' has a running execution"));
        assertProblem(http("DELETE", "workflows/ops?namespace=ops", null), 409, "conflict", "running execution");
        try {
            remote.deleteWorkflow("ops", "ops");
            fail("deleted while running");
        } catch (ConflictException expected) {
            // as inside the platform
        }

        // stopped over REST; its whole log is still readable, and --follow ends with the task
        assertEquals(200, http("POST", "tasks/" + train + "/stop", null).statusCode());
        Poll.until(WAIT, "train stopped", () -> remote.task(train).status() == TaskStatus.STOPPED);
        String ended = console("aiflow:task-log --follow " + train);
        assertTrue(ended, ended.startsWith("hello\n") && ended.contains("-- task execution " + train + " ended: STOPPED"));

        // restarted through the client, followed while it runs, stopped from the console
        TaskExecution second = remote.restartTask(x, "train");
        assertEquals(2, second.attempt());
        CompletableFuture<String> following = CompletableFuture.supplyAsync(() -> console("aiflow:task-log --follow " + second.id()));
        Poll.until(WAIT, "the second attempt runs and logs", () -> remote.task(second.id()).status() == TaskStatus.RUNNING
                && remote.taskLog(second.id(), "stdout.log", 0, 100).text().equals("hello\n"));
        String stopping = console("aiflow:task-stop " + second.id());
        assertTrue(stopping, stopping.contains("Task execution " + second.id() + " (ops/train) is STOP"));
        String followed = following.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(followed, followed.contains("hello\n") && followed.contains("ended: STOPPED"));
        String restarted = console("aiflow:task-restart " + x + " train");
        assertTrue(restarted, restarted.contains("Task train of execution " + x + " restarted as task execution")
                && restarted.contains("(attempt 3)"));

        // unknown names and missing arguments: a clear message, nothing changed
        int taskCount = local.listTasks(new TaskQuery(null, x, null, 100)).size();
        assertTrue(console("aiflow:workflow-show nosuch").contains("Error [not_found]: workflow 'default/nosuch' does not exist"));
        assertTrue(console("aiflow:workflow-enable -n ops nosuch").contains("Error [not_found]: workflow 'ops/nosuch' does not exist"));
        assertTrue(console("aiflow:workflow-delete -n ops nosuch").contains("Error [not_found]"));
        assertTrue(console("aiflow:task-start " + x + " nosuch").contains("Error [not_found]: task 'nosuch' is not part of workflow execution " + x));
        assertTrue(console("aiflow:task-restart 987654 train").contains("Error [not_found]: workflow execution '987654' does not exist"));
        assertTrue(console("aiflow:task-start " + x).contains("Argument task is required"));
        assertTrue(console("aiflow:task-stop 987654").contains("Error [not_found]: task execution '987654' does not exist"));
        assertTrue(console("aiflow:task-log 987654").contains("Error [not_found]: task execution '987654' does not exist"));
        assertTrue(console("aiflow:task-log -f nosuch.log " + train).contains("Error [not_found]"));
        assertTrue(console("aiflow:execution-show 987654").contains("Error [not_found]"));
        assertProblem(http("POST", "executions/" + x + "/tasks/nosuch/restart", null), 404, "not_found", "nosuch");
        assertProblem(http("POST", "workflows/nosuch/executions?namespace=ops", null), 404, "not_found", "ops/nosuch");
        assertProblem(http("POST", "tasks/abc/stop", null), 400, "invalid_argument", "path segment '{id}'");
        try {
            remote.startTask(x, "nosuch");
            fail("started an unknown task");
        } catch (NotFoundException expected) {
            // as inside the platform
        }
        assertEquals(taskCount, local.listTasks(new TaskQuery(null, x, null, 100)).size());
        assertEquals(workflows + 1, local.listWorkflows().size());

        // the execution stopped through the client; then the workflow is deleted, its execution stays readable
        assertEquals(ExecutionStatus.STOPPED, remote.stopExecution(x).status());
        Poll.until(WAIT, "every task of the execution ended", () -> local.listTasks(new TaskQuery(null, x, null, 100)).stream()
                .allMatch(t -> t.status().isFinal()));
        String execution = console("aiflow:execution-show " + x);
        assertTrue(execution, execution.contains("Execution " + x + " of ops (snapshot ") && execution.contains("STOPPED")
                && execution.contains("prepare") && execution.contains("SUCCESS") && execution.contains("train"));
        assertTrue(console("aiflow:workflow-delete -n ops ops").contains("Workflow ops/ops deleted."));
        try {
            remote.workflow("ops", "ops");
            fail("still there");
        } catch (NotFoundException expected) {
            // deleted
        }
        assertEquals(ExecutionStatus.STOPPED, remote.execution(x).status());

        // a definition uploaded through the client arrives as written
        WorkflowDefinition definition = new WorkflowDefinition("ops", "ops2", "from the client", List.of(
                new TaskDefinition("first", TaskKind.BATCH, new JobSpec("process", Map.of("command", "true")), List.of()),
                new TaskDefinition("second", TaskKind.STREAM, new JobSpec("process", Map.of("args", List.of("sleep", "1"))), List.of(),
                        List.of("first"), Map.of())));
        Workflow viaClient = remote.upload(definition);
        assertEquals(definition, local.snapshot(viaClient.snapshotId()).definition());
        assertEquals(definition, remote.snapshot(viaClient.snapshotId()).definition());
        try {
            remote.upload("broken.json", "{\"name\": ");
            fail("uploaded a broken document");
        } catch (ValidationException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().startsWith("broken.json: "));
        }
        assertEquals(204, http("DELETE", "workflows/ops2?namespace=ops", null).statusCode());
        assertEquals(workflows, local.listWorkflows().size());
    }

    @Test
    public void de_schedulesAndTriggersStartExecutionsAndAreOperatedFromTheConsole() throws Exception {
        SchedulerService scheduler = service(SchedulerService.class);
        NotificationService notifications = service(NotificationService.class);
        int workflows = scheduler.listWorkflows().size();
        Path ticker = karafData().resolve("ticker.json");
        Path kicked = karafData().resolve("kicked.json");
        Path badCron = karafData().resolve("bad-cron.json");
        Files.writeString(ticker, TICKER);
        Files.writeString(kicked, KICKED);
        Files.writeString(badCron, TICKER.replace("\"intervalSeconds\": 1", "\"cron\": \"61 * * * *\""));

        // a bad schedule is refused at upload
        String refused = console("aiflow:workflow-upload " + badCron);
        assertTrue(refused, refused.contains("Error [invalid_argument]: bad-cron.json: schedule 'every-second': cron '61 * * * *': minute 61 is out of range"));
        assertEquals(workflows, scheduler.listWorkflows().size());

        // an interval schedule starts executions
        assertTrue(console("aiflow:workflow-upload " + ticker).contains("Workflow ops/ticker uploaded as snapshot"));
        Poll.until(WAIT, "the schedule started two executions", () -> scheduler.listExecutions("ops", "ticker", 100).size() >= 2);
        Poll.until(WAIT, "a scheduled execution succeeded", () -> scheduler.listExecutions("ops", "ticker", 100).stream()
                .anyMatch(x -> x.status() == ExecutionStatus.SUCCESS));
        TaskExecution tick = tasks("ticker").get(0);
        assertTrue(tick.toString(), service(SchedulerService.class).taskHistory(tick.id()).get(0).message()
                .startsWith("schedule 'every-second' fired for "));
        String listed = console("aiflow:schedule-list -n ops ticker");
        assertTrue(listed, listed.matches("(?s).*every-second +[│|] every 1 s +[│|] \\(new execution\\) +[│|] LATEST +[│|] \\d{4}-\\d\\d-\\d\\d [\\d:]{8} +[│|] false.*"));
        String shown = console("aiflow:workflow-show -n ops ticker");
        assertTrue(shown, shown.contains("Triggers:") && shown.matches("(?s).*\n  1 +STOP +event key=ticker_halt\n.*")
                && shown.contains("Schedules:") && shown.matches("(?s).*\n  every-second +every 1 s +\\(new execution\\) +LATEST +\\d{4}-.*"));

        // paused: no more fire times, no more executions
        String paused = console("aiflow:schedule-pause -n ops ticker every-second");
        assertTrue(paused, paused.contains("Schedule every-second of ops/ticker paused."));
        Instant pausedAt = Instant.now();
        long pausedVersion = notifications.latestVersion();
        String whilePaused = console("aiflow:schedule-list -n ops ticker");
        assertTrue(whilePaused, whilePaused.contains("(paused)") && whilePaused.contains("true"));
        String json = console("aiflow:schedule-list --json -n ops ticker");
        assertTrue(json, json.contains("\"paused\" : true") && json.contains("\"nextFireTime\" : null") && json.contains("\"task\" : null"));
        assertTrue(console("aiflow:workflow-show -n ops ticker").contains("(paused)"));
        Poll.until(WAIT, "the scheduler decided on every event before the pause", () -> notifications.subscription("aiflow-scheduler").cursor() >= pausedVersion);
        Poll.until(WAIT, "the scheduled executions ended", () -> scheduler.listExecutions("ops", "ticker", 100).stream()
                .allMatch(x -> x.status().isFinal()));
        int scheduled = scheduler.listExecutions("ops", "ticker", 100).size();

        // triggers listed; a START trigger starts an execution on its event
        assertTrue(console("aiflow:workflow-upload " + kicked).contains("Workflow ops/kicked uploaded as snapshot"));
        String triggers = console("aiflow:trigger-list -n ops kicked");
        assertTrue(triggers, triggers.matches("(?s).*1 [│|] START +[│|] event key=kick_off.*"));
        String triggersJson = console("aiflow:trigger-list --json -n ops kicked");
        assertTrue(triggersJson, triggersJson.contains("\"index\" : 1") && triggersJson.contains("\"summary\" : \"event key=kick_off\"")
                && triggersJson.contains("\"type\" : \"event\""));
        assertTrue(console("aiflow:trigger-list hello-world").contains("Workflow default/hello-world has no triggers."));
        assertTrue(console("aiflow:schedule-list hello-world").contains("Workflow default/hello-world has no schedules."));
        assertTrue(scheduler.listExecutions("ops", "kicked", 10).isEmpty());
        assertTrue(console("aiflow:event-send kick_off go").contains("stored: default/kick_off = go"));
        Poll.until(WAIT, "the triggered execution succeeded and two fire times of the paused schedule passed", () ->
                scheduler.listExecutions("ops", "kicked", 10).stream().anyMatch(x -> x.status() == ExecutionStatus.SUCCESS)
                        && Instant.now().isAfter(pausedAt.plusSeconds(2)));
        assertEquals(1, scheduler.listExecutions("ops", "kicked", 10).size());
        TaskExecution go = tasks("kicked").get(0);
        assertTrue(go.toString(), scheduler.taskHistory(go.id()).get(0).message().startsWith("trigger: START by event "));
        EventQuery fired = new EventQuery(List.of(ScheduleEvents.NAMESPACE), List.of(ScheduleEvents.key("ticker", "every-second")),
                List.of(ScheduleEvents.TYPE), null, pausedVersion, null, null, null, 100);
        assertEquals("fire events while paused", 0, notifications.count(fired));
        assertEquals(scheduled, scheduler.listExecutions("ops", "ticker", 100).size());

        // resumed: it fires again
        String resumed = console("aiflow:schedule-resume -n ops ticker every-second");
        assertTrue(resumed, resumed.matches("(?s)Schedule every-second of ops/ticker resumed; it fires next at \\d{4}-.*"));
        Poll.until(WAIT, "the resumed schedule started an execution", () -> scheduler.listExecutions("ops", "ticker", 100).size() > scheduled);
        assertTrue(notifications.count(fired) > 0);
        assertTrue(console("aiflow:schedule-list -n ops ticker").contains("false"));

        // unknown names and missing arguments: a clear message
        assertTrue(console("aiflow:schedule-pause -n ops ticker nosuch").contains("Error [not_found]: workflow 'ops/ticker' has no schedule 'nosuch'"));
        assertTrue(console("aiflow:schedule-resume -n ops nosuch every-second").contains("Error [not_found]: workflow 'ops/nosuch' does not exist"));
        assertTrue(console("aiflow:schedule-pause -n ops ticker").contains("Argument schedule is required"));
        assertTrue(console("aiflow:schedule-list -n ops nosuch").contains("Error [not_found]: workflow 'ops/nosuch' does not exist"));
        assertTrue(console("aiflow:trigger-list nosuch").contains("Error [not_found]: workflow 'default/nosuch' does not exist"));

        // paused again and cleaned up
        assertTrue(console("aiflow:schedule-pause -n ops ticker every-second").contains("paused"));
        long lastVersion = notifications.latestVersion();
        Poll.until(WAIT, "the scheduler decided on every event before the second pause",
                () -> notifications.subscription("aiflow-scheduler").cursor() >= lastVersion);
        Poll.until(WAIT, "the scheduled executions ended", () -> scheduler.listExecutions("ops", "ticker", 100).stream()
                .allMatch(x -> x.status().isFinal()));
        assertTrue(console("aiflow:workflow-delete -n ops ticker").contains("Workflow ops/ticker deleted."));
        assertTrue(console("aiflow:workflow-delete -n ops kicked").contains("Workflow ops/kicked deleted."));
        assertEquals(workflows, scheduler.listWorkflows().size());
    }

    /**
     * The built-in condition types and policies are services of the scheduler bundle, ranked lowest:
     * a condition type registered as {@code event} with a higher ranking decides instead of the
     * built-in (also on an event the built-in's rule would not be routed), until it goes.
     */
    @Test
    public void df_aConditionTypeRegisteredUnderABuiltInsNameReplacesItUntilItGoes() throws Exception {
        Collection<ServiceReference<ConditionType>> builtIn = context.getServiceReferences(ConditionType.class,
                "(&(" + ConditionType.TYPE_PROPERTY + "=event)(aiflow.builtin=true))");
        assertEquals(1, builtIn.size());
        ServiceReference<ConditionType> event = builtIn.iterator().next();
        assertEquals(Integer.MIN_VALUE, event.getProperty(Constants.SERVICE_RANKING));
        assertEquals("org.aiflow.scheduler", event.getBundle().getSymbolicName());
        assertEquals(3, context.getServiceReferences(SchedulingPolicy.class, "(aiflow.builtin=true)").size());

        SchedulerService scheduler = service(SchedulerService.class);
        NotificationService notifications = service(NotificationService.class);
        ConditionType prefix = new ConditionType() { // the rule's key is a prefix, and only the value "yes" fires
            @Override
            public void validate(Map<String, Object> config) {
                if (!(config.get("key") instanceof String)) {
                    throw new ValidationException("key missing");
                }
            }

            @Override
            public ConditionResult evaluate(Map<String, Object> config, Event e, Map<String, String> state) {
                return new ConditionResult(e.key().startsWith((String) config.get("key")) && "yes".equals(e.value()), state);
            }
        };
        ServiceRegistration<ConditionType> plugin = context.registerService(ConditionType.class, prefix,
                new Hashtable<>(Map.of(ConditionType.TYPE_PROPERTY, "event", Constants.SERVICE_RANKING, 100)));
        try {
            WorkflowExecution replaced = uploadAndStartOnEvent(scheduler, "replaced", "replace_me");
            notifications.publish(EventDraft.of("replace_me", "no")); // the built-in would start the task on this one
            Event yes = notifications.publish(EventDraft.of("replace_me_now", "yes"));
            assertEquals("START by event " + yes.version() + " (default/replace_me_now)", whyQueued(scheduler, replaced));
        } finally {
            plugin.unregister();
        }
        WorkflowExecution restored = uploadAndStartOnEvent(scheduler, "restored", "replace_me");
        Event no = notifications.publish(EventDraft.of("replace_me", "no"));
        assertEquals("START by event " + no.version() + " (default/replace_me)", whyQueued(scheduler, restored));
    }

    private static WorkflowExecution uploadAndStartOnEvent(SchedulerService scheduler, String name, String key) {
        scheduler.upload(new WorkflowDefinition(null, name, null, List.of(new TaskDefinition("t", TaskKind.BATCH,
                new JobSpec("process", Map.of("command", "echo " + name)),
                List.of(new Rule(new ConditionSpec("event", Map.of("key", key)), Action.START))))));
        return scheduler.startExecution("default", name);
    }

    /** Why the first task of the execution was queued, once it was. */
    private static String whyQueued(SchedulerService scheduler, WorkflowExecution x) {
        Poll.until(WAIT, "a task of " + x.workflowName() + " was queued",
                () -> !scheduler.listTasks(new TaskQuery(null, x.id(), null, 10)).isEmpty());
        TaskExecution t = scheduler.listTasks(new TaskQuery(null, x.id(), null, 10)).get(0);
        return scheduler.taskHistory(t.id()).get(0).message();
    }

    /**
     * Issue 16: every sample plugin is in the distribution's system/ repository, installable and not
     * installed; the features of the policy, the condition type and the exporter install (the runner is
     * in use from deploy/ since test d) and each service is used: the condition type starts a task on
     * the second matching event, the exporter writes an event to its file. Uninstalled again after.
     */
    @Test
    public void dg_theSamplePluginFeaturesInstallFromTheDistributionsSystemRepository() throws Exception {
        for (String sample : List.of("runner", "policy", "condition", "exporter")) {
            assertTrue(sample, Files.isDirectory(karafHome().resolve("system/org/aiflow/org.aiflow.sample." + sample)));
            assertFalse(sample, features.isInstalled(features.getFeature("aiflow-sample-" + sample)));
        }
        Set<String> samples = Set.of("aiflow-sample-policy", "aiflow-sample-condition", "aiflow-sample-exporter");
        features.installFeatures(samples, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        try {
            SchedulerService scheduler = service(SchedulerService.class);
            service(SchedulingPolicy.class, "(" + SchedulingPolicy.NAME_PROPERTY + "=business-hours)");
            service(ConditionType.class, "(" + ConditionType.TYPE_PROPERTY + "=event-count-window)");
            Poll.until(WAIT, "the scheduler has the sample policy and condition type",
                    () -> scheduler.policies().contains("business-hours") && scheduler.conditionTypes().contains("event-count-window"));

            scheduler.upload(new WorkflowDefinition(null, "bursty", null, List.of(new TaskDefinition("t", TaskKind.BATCH,
                    new JobSpec("process", Map.of("command", "echo burst")),
                    List.of(new Rule(new ConditionSpec("event-count-window", Map.of("key", "burst", "count", 2, "windowSeconds", 60)),
                            Action.START))))));
            WorkflowExecution bursty = scheduler.startExecution("default", "bursty");
            NotificationService notifications = service(NotificationService.class);
            notifications.publish(EventDraft.of("burst", "1"));
            notifications.publish(EventDraft.of("burst", "2"));
            Poll.until(WAIT, "the bursty task succeeded", () -> newestTask("bursty").map(t -> t.status() == TaskStatus.SUCCESS).orElse(false));
            assertEquals("one start for two events", 1, tasks("bursty").size());
            scheduler.stopExecution(bursty.id());

            // the feature's configuration: namespace default to data/aiflow/export/events.jsonl
            Path exported = karafData().resolve("aiflow/export/events.jsonl");
            Event e = notifications.publish(EventDraft.of("exported", "yes"));
            Poll.until(WAIT, "the exporter wrote event " + e.version(),
                    () -> Files.exists(exported) && Files.readString(exported).contains("{\"version\":" + e.version() + ","));
            String subscriptions = console("aiflow:subscription-list");
            assertTrue(subscriptions, subscriptions.contains("sample-exporter"));
        } finally {
            features.uninstallFeatures(samples, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        }
        Poll.until(WAIT, "the samples are gone", () -> !service(SchedulerService.class).conditionTypes().contains("event-count-window"));
    }

    @Test
    public void e_switchingTheStorageBackendByConfigurationRebindsTheServices() throws Exception {
        long notificationId = serviceId(NotificationService.class);
        features.installFeature("aiflow-storage-mariadb");
        DataSource mariadb = service(DataSource.class, "(dataSourceName=aiflow-mariadb)");

        org.osgi.service.cm.Configuration storage = configurations.getConfiguration("org.aiflow.storage.jdbc", null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("dataSource.target", "(dataSourceName=aiflow-mariadb)");
        storage.update(props);

        // the backend is re-registered on the new DataSource (the old one, on H2, may still be there a moment)
        Poll.until(WAIT, "the storage backend is MariaDB", () -> service(StorageBackend.class).name().equals("MariaDB"));
        assertEquals("MariaDB", service(StorageBackend.class).eventStore().backend());
        Poll.until(WAIT, "the notification service was re-registered", () -> context.getServiceReference(NotificationService.class) != null
                && serviceId(NotificationService.class) != notificationId);
        assertNotEquals(notificationId, serviceId(NotificationService.class));

        // the scheduler restarted on the new store: it installed the sample workflow there, and the slice works
        Poll.until(WAIT, "the sample workflow was installed in MariaDB", () -> service(SchedulerService.class).listWorkflows().stream().anyMatch(w -> w.name().equals("hello-world")));
        Event sent = service(NotificationService.class).publish(EventDraft.of("hello", "on-mariadb"));
        Poll.until(WAIT, "the sample job succeeded on MariaDB", () -> newestTask("hello-world").map(t -> t.status() == TaskStatus.SUCCESS).orElse(false));
        try (Connection c = mariadb.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT event_value FROM aiflow_events WHERE version = ?")) {
            p.setLong(1, sent.version());
            try (ResultSet rs = p.executeQuery()) {
                assertTrue("the event is in MariaDB", rs.next());
                assertEquals("on-mariadb", rs.getString(1));
            }
        }
        String list = console("aiflow:task-list -w hello-world");
        assertTrue(list, list.contains("SUCCESS"));
    }
}

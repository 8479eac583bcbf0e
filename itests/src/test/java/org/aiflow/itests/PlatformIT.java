package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.spi.storage.EventStore;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The platform inside the real distribution, one container for the whole class (2-core machine):
 * boot, the vertical slice through the console, bad input, hot swap of a runner through deploy/,
 * and finally the switch of the storage backend from H2 to MariaDB by configuration.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class PlatformIT extends AiflowTestSupport {

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
        assertEquals("H2", service(EventStore.class).backend());
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
    public void e_switchingTheStorageBackendByConfigurationRebindsTheServices() throws Exception {
        long notificationId = serviceId(NotificationService.class);
        features.installFeature("aiflow-storage-mariadb");
        DataSource mariadb = service(DataSource.class, "(dataSourceName=aiflow-mariadb)");

        org.osgi.service.cm.Configuration storage = configurations.getConfiguration("org.aiflow.storage.jdbc", null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("dataSource.target", "(dataSourceName=aiflow-mariadb)");
        storage.update(props);

        EventStore store = service(EventStore.class, "(aiflow.storage.backend=MariaDB)");
        assertEquals("MariaDB", store.backend());
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

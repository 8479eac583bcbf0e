package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.metadata.Model;
import org.aiflow.api.scheduler.SchedulerService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.ExamFactory;
import org.ops4j.pax.exam.ExamSystem;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.TestContainer;
import org.ops4j.pax.exam.TestContainerException;
import org.ops4j.pax.exam.TestContainerFactory;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.nat.internal.NativeTestContainer;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The platform's core in a plain OSGi framework (Apache Felix 7, no Karaf): the bundle list and
 * configuration docs/embedding.md gives, nothing else. Our bundles are installed but not started, so
 * that the test does what an embedding host does: configure through ConfigurationAdmin, then start
 * them. Then an event goes through NotificationService, a process task runs to SUCCESS through
 * SchedulerService, and the model registry answers through MetadataService.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@ExamFactory(FelixEmbeddingIT.Felix.class)
public class FelixEmbeddingIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Our bundles in start order (the order does not matter to DS; it keeps the log readable). */
    static final List<String> AIFLOW_BUNDLES = List.of("org.aiflow.api", "org.aiflow.json", "org.aiflow.storage.h2",
            "org.aiflow.storage.jdbc", "org.aiflow.notification", "org.aiflow.metadata", "org.aiflow.scheduler",
            "org.aiflow.runner.process");

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() {
        // the mvn: URLs below resolve in this JVM through pax-url-aether: the build's own local repository
        String repo = System.getProperty("maven.repo.local");
        if (repo != null) {
            System.setProperty("org.ops4j.pax.url.mvn.localRepository", repo);
        }
        Path home = Paths.get("target", "felix-embedding").toAbsolutePath();
        deleteRecursively(home.resolve("data")); // a new database each run
        List<Option> options = new ArrayList<>(Arrays.asList(
                workingDirectory(home.resolve("framework").toString()),
                // the root of the platform's files (H2 database, task logs) outside Karaf, instead of karaf.data
                systemProperty("aiflow.data").value(home.resolve("data").toString()),
                frameworkProperty("org.osgi.framework.storage.clean").value("onFirstInit"),
                junitBundles(),
                // logging: what our bundles and HikariCP log through
                mavenBundle("org.slf4j", "slf4j-api").versionAsInProject(),
                mavenBundle("org.slf4j", "slf4j-simple").versionAsInProject().noStart(),
                // Declarative Services (SCR 2.2 takes the DS 1.5 API from a bundle of its own) and ConfigurationAdmin
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                // libraries
                mavenBundle("com.fasterxml.jackson.core", "jackson-annotations").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-core").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.core", "jackson-databind").versionAsInProject(),
                mavenBundle("org.yaml", "snakeyaml").versionAsInProject(),
                mavenBundle("com.fasterxml.jackson.dataformat", "jackson-dataformat-yaml").versionAsInProject(),
                mavenBundle("org.mybatis", "mybatis").versionAsInProject(),
                // the embedded database: the driver and the pool org.aiflow.storage.h2 builds its DataSource with
                // H2's activator registers a DataSourceFactory (we do not use it): it needs the JDBC service API
                mavenBundle("org.osgi", "org.osgi.service.jdbc").versionAsInProject(),
                mavenBundle("com.h2database", "h2").versionAsInProject(),
                mavenBundle("com.zaxxer", "HikariCP").versionAsInProject()));
        for (String bundle : AIFLOW_BUNDLES) {
            options.add(mavenBundle("org.aiflow", bundle).versionAsInProject().noStart());
        }
        // optional, started only after the core's checks: EventAdmin and our bridge to it
        options.add(mavenBundle("org.apache.felix", "org.apache.felix.eventadmin").versionAsInProject().noStart());
        options.add(mavenBundle("org.aiflow", "org.aiflow.eventadmin").versionAsInProject().noStart());
        return options(options.toArray(new Option[0]));
    }

    @Test
    public void theCoreRunsInPlainFelix() throws Exception {
        long began = System.nanoTime();
        Path data = Paths.get(System.getProperty("aiflow.data"));
        assertEquals("no Karaf here", null, System.getProperty("karaf.data"));
        assertFalse(Arrays.stream(context.getBundles()).anyMatch(b -> b.getSymbolicName().startsWith("org.apache.karaf")));

        // the bundles resolve with this set and nothing more (Pax Exam logs the not yet started ones as "not resolved")
        List<Bundle> ours = AIFLOW_BUNDLES.stream().map(this::bundle).toList();
        assertTrue("our bundles resolve", context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(ours));

        // configure as a host would, before the bundles start (location "?": any bundle may bind it)
        configure("org.aiflow.scheduler", Map.of("tickMillis", 200L));
        configure("org.aiflow.runner.process", Map.of("stopGraceMillis", 2000L));
        for (String name : AIFLOW_BUNDLES) {
            bundle(name).start();
        }

        NotificationService notifications = service(NotificationService.class);
        SchedulerService scheduler = service(SchedulerService.class);
        MetadataService metadata = service(MetadataService.class);

        // the default locations under aiflow.data (no karaf.data, no relative data/ folder)
        Poll.until(WAIT, "the H2 file is under aiflow.data", () -> Files.exists(data.resolve("aiflow/h2/aiflow.mv.db")));
        assertFalse("nothing under the working directory's data/", new File("data/aiflow").exists());

        // events
        Event sent = notifications.publish(EventDraft.of("felix", "hello"));
        assertTrue(sent.version() > 0);
        List<Event> listed = notifications.list(EventQuery.after(sent.version() - 1, 10));
        assertTrue(listed.toString(), listed.stream().anyMatch(e -> e.version() == sent.version() && e.value().equals("hello")));

        // a process task to SUCCESS, its log in the task-log folder under aiflow.data
        Poll.until(WAIT, "the process runner is bound", () -> scheduler.runnerTypes().contains("process"));
        scheduler.upload("felix.json", """
                {"name": "felix", "tasks": [{"name": "hi", "job": {"runnerType": "process", "config": {"command": "echo hi"}}}]}
                """);
        WorkflowExecution x = scheduler.startExecution("default", "felix");
        Poll.until(WAIT, "the process task succeeded", () -> tasks(scheduler, x).stream().anyMatch(t -> t.status() == TaskStatus.SUCCESS));
        TaskExecution task = tasks(scheduler, x).get(0);
        List<String> logs = scheduler.taskLogFiles(task.id());
        assertTrue(logs.toString(), logs.contains("stdout.log"));
        String out = scheduler.taskLog(task.id(), "stdout.log", 0, 4096).text();
        assertTrue(out, out.contains("hi"));
        assertTrue("task logs under aiflow.data", Files.isDirectory(data.resolve("aiflow/logs")));

        // the model registry
        Model created = metadata.createModel("default", "felix-model", "embedded in Felix", Map.of("engine", "felix"));
        assertEquals(created.name(), metadata.model("default", "felix-model").name());
        assertTrue(metadata.listModels("default", ListQuery.first(100)).stream().anyMatch(m -> m.name().equals("felix-model")));

        System.out.printf("FelixEmbeddingIT: bundles started to all checks done in %d ms%n", (System.nanoTime() - began) / 1_000_000);

        eventAdminBridge(notifications);
    }

    /** The optional EventAdmin bridge on Felix EventAdmin: platform events out as topics, topics in as events. */
    private void eventAdminBridge(NotificationService notifications) throws Exception {
        List<Bundle> bridge = List.of(bundle("org.apache.felix.eventadmin"), bundle("org.aiflow.eventadmin"));
        assertTrue("EventAdmin and the bridge resolve", context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(bridge));
        configure("org.aiflow.eventadmin", Map.of("outbound", new String[] {"default/bridge-*"},
                "inbound", new String[] {"test/in/*"}, "inboundNamespace", "osgi"));
        for (Bundle b : bridge) {
            b.start();
        }
        java.util.concurrent.BlockingQueue<org.osgi.service.event.Event> received = new java.util.concurrent.LinkedBlockingQueue<>();
        Hashtable<String, Object> topics = new Hashtable<>(Map.of(org.osgi.service.event.EventConstants.EVENT_TOPIC, "org/aiflow/event/default/*"));
        org.osgi.framework.ServiceRegistration<org.osgi.service.event.EventHandler> handler =
                context.registerService(org.osgi.service.event.EventHandler.class, received::add, topics);
        try {
            // out: the bridge subscribes from "now" once it is active, so publish until one arrives
            Poll.until(WAIT, "a platform event arrives as an EventAdmin event", () -> {
                notifications.publish(EventDraft.of("bridge-out", "42"));
                return received.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS) != null;
            });
            notifications.publish(EventDraft.of("not-bridged", "x"));
            notifications.publish(EventDraft.of("bridge-out", "43"));
            org.osgi.service.event.Event out = received.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            while (out != null && "42".equals(out.getProperty("aiflow.value"))) {
                out = received.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
            assertTrue("the second bridged event", out != null);
            assertEquals("org/aiflow/event/default/bridge-out", out.getTopic());
            assertEquals("43", out.getProperty("aiflow.value"));

            // in: an EventAdmin event on a configured topic lands in the event log
            org.osgi.service.event.EventAdmin admin = service(org.osgi.service.event.EventAdmin.class);
            long before = notifications.latestVersion();
            admin.sendEvent(new org.osgi.service.event.Event("test/in/ping", Map.of("value", "pong", "source", "felix")));
            Poll.until(WAIT, "the EventAdmin event is in the event log", () -> notifications.list(EventQuery.after(before, 100)).stream()
                    .anyMatch(e -> e.namespace().equals("osgi") && e.key().equals("test/in/ping") && e.value().equals("pong")
                            && "felix".equals(e.context().get("source"))));
        } finally {
            handler.unregister();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private List<TaskExecution> tasks(SchedulerService scheduler, WorkflowExecution x) {
        return scheduler.listTasks(new TaskQuery("default", "felix", x.id(), null, 10));
    }

    private void configure(String pid, Map<String, Object> values) throws Exception {
        org.osgi.service.cm.Configuration c = configurations.getConfiguration(pid, "?");
        Dictionary<String, Object> properties = new Hashtable<>(values);
        c.update(properties);
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> b.getSymbolicName().equals(symbolicName)).findFirst()
                .orElseThrow(() -> new AssertionError("bundle " + symbolicName + " is not installed"));
    }

    /**
     * Pax Exam's native container on Apache Felix by name: its own factory starts one container per
     * FrameworkFactory on the class path, and the distribution's dependencies bring Equinox there too.
     */
    public static class Felix implements TestContainerFactory {
        @Override
        public TestContainer[] create(ExamSystem system) {
            try {
                return new TestContainer[] {new NativeTestContainer(system, new org.apache.felix.framework.FrameworkFactory())};
            } catch (java.io.IOException e) {
                throw new TestContainerException("Problem initializing container.", e);
            }
        }
    }

    private <T> T service(Class<T> type) {
        Poll.until(WAIT, type.getSimpleName() + " is registered", () -> context.getServiceReference(type) != null);
        ServiceReference<T> ref = context.getServiceReference(type);
        return context.getService(ref);
    }
}

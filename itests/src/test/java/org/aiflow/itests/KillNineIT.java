package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.metadata.ListQuery;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.client.AiflowClient;
import org.junit.After;
import org.junit.Test;

/**
 * Promise 1: an acknowledged write survives kill -9. The distribution runs as its own process; 8
 * clients publish through the REST API; the platform is killed with SIGKILL under load and
 * restarted. Every acknowledged event must be there exactly once with the version it was
 * acknowledged with, and re-sending the requests whose outcome was unknown (in flight at the kill)
 * with their idempotency keys must store each of them exactly once too. A client listener that
 * was following the log resumes after the restart and ends up with exactly the stored events.
 */
public class KillNineIT {
    private static final URI API = Distribution.API;
    private static final int CLIENTS = 8;

    private Process karaf;

    @After
    public void stop() {
        if (karaf != null) {
            kill(karaf);
        }
    }

    @Test
    public void acknowledgedEventsSurviveKillNineExactlyOnce() throws Exception {
        Path home = unpack();
        AiflowClient client = AiflowClient.connect(API, 1, Duration.ofSeconds(10));
        karaf = start(home, client);

        // a remote listener that follows the log across the kill: it must resume, not restart or skip
        Map<Long, String> heard = new ConcurrentHashMap<>();
        AiflowClient.Listening listening = client.listen(0,
                new EventQuery(List.of("kill9"), null, null, null, 0, null, null, null, 1000), e -> heard.put(e.version(), e.value()));

        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Map<String, EventDraft> inFlight = new ConcurrentHashMap<>();
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(1500);
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            int thread = t;
            Thread publisher = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = "t" + thread + "-" + i;
                    EventDraft draft = new EventDraft("kill9", "load", id, null, "client-" + thread, null, "kill9-" + id);
                    inFlight.put(id, draft);
                    try {
                        Event stored = client.publish(draft);
                        acknowledged.put(id, stored.version());
                        inFlight.remove(id);
                        enough.countDown();
                    } catch (RuntimeException e) {
                        if (!killed.get()) {
                            throw e;
                        }
                        return; // outcome unknown: stays in inFlight
                    }
                }
            });
            publisher.start();
            publishers.add(publisher);
        }
        assertTrue("1500 events acknowledged before the kill", enough.await(120, TimeUnit.SECONDS));
        killed.set(true);
        kill(karaf);
        for (Thread p : publishers) {
            p.join(60_000);
        }
        System.out.printf("killed under load: %d acknowledged, %d in flight%n", acknowledged.size(), inFlight.size());

        AiflowClient patient = AiflowClient.connect(API, 5, Duration.ofSeconds(30));
        karaf = start(home, patient);
        Map<String, Long> resent = new HashMap<>();
        for (Map.Entry<String, EventDraft> e : inFlight.entrySet()) {
            resent.put(e.getKey(), patient.publish(e.getValue()).version());
        }

        Map<String, List<Long>> stored = new HashMap<>();
        EventQuery page = new EventQuery(List.of("kill9"), null, null, null, 0, null, null, null, EventQuery.MAX_LIMIT);
        long previous = 0;
        for (List<Event> events = patient.list(page); !events.isEmpty(); events = patient.list(page)) {
            for (Event e : events) {
                assertTrue("versions strictly increase", e.version() > previous);
                previous = e.version();
                stored.computeIfAbsent(e.value(), k -> new ArrayList<>()).add(e.version());
            }
            page = page.withAfterVersion(previous);
        }
        for (Map.Entry<String, Long> a : acknowledged.entrySet()) {
            assertEquals("acknowledged " + a.getKey() + " stored once with its version", List.of(a.getValue()), stored.get(a.getKey()));
        }
        for (Map.Entry<String, Long> r : resent.entrySet()) {
            assertEquals("in-flight " + r.getKey() + " stored exactly once after the re-send", List.of(r.getValue()), stored.get(r.getKey()));
        }
        assertEquals(acknowledged.size() + resent.size(), stored.size());

        long last = previous;
        Poll.until(Duration.ofSeconds(60), "the listener caught up after the restart", () -> listening.lastVersion() >= last);
        listening.close();
        Map<String, Long> storedVersions = new HashMap<>();
        stored.forEach((value, versions) -> storedVersions.put(value, versions.get(0)));
        Map<String, Long> heardVersions = new HashMap<>();
        heard.forEach((version, value) -> heardVersions.put(value, version));
        assertEquals("the listener heard every stored event with its version", storedVersions, heardVersions);
    }

    private static Path unpack() throws Exception {
        return Distribution.unpack("kill9");
    }

    private static Path unpack(String name) throws Exception {
        return Distribution.unpack(name);
    }

    private static Process start(Path home, AiflowClient client) throws Exception {
        return Distribution.start(home, client);
    }

    private static void kill(Process launcher) {
        Distribution.kill(launcher);
    }

    /**
     * Promise 2: a decision happens exactly once across kill -9. A workflow runs a job that outlives
     * the platform; the JVM alone is killed (as a real crash leaves job processes running), the
     * platform restarts, re-attaches to the job instead of starting it again, and the rest of the
     * workflow runs exactly once.
     */
    @Test
    public void aWorkflowKilledMidwayResumesWithoutRepeatingOrMissingDecisions() throws Exception {
        Path home = unpack("kill9-workflow");
        Path runs = home.resolve("runs.txt");
        AiflowClient client = AiflowClient.connect(API, 5, Duration.ofSeconds(30));
        karaf = start(home, client);
        SchedulerService scheduler = client.scheduler();
        String log = " >> '" + runs + "'";
        scheduler.upload(new WorkflowDefinition("crash", "midway", null, List.of(
                new TaskDefinition("a", TaskKind.BATCH, new JobSpec("process", Map.of("command", "echo a" + log + "; sleep 6")), List.of()),
                new TaskDefinition("b", TaskKind.BATCH, new JobSpec("process", Map.of("command", "echo b" + log)), List.of(),
                        List.of("a"), null),
                new TaskDefinition("c", TaskKind.BATCH, new JobSpec("process", Map.of("command", "echo c" + log)),
                        List.of(new Rule(new ConditionSpec("event", Map.of("namespace", "crash", "key", "go-c")), Action.START))))));
        long execution = scheduler.startExecution("crash", "midway").id();
        Poll.until(Duration.ofSeconds(30), "task a runs", () -> scheduler.listTasks(new TaskQuery("midway", execution, null, 10))
                .stream().anyMatch(t -> t.taskName().equals("a") && t.status() == TaskStatus.RUNNING));
        client.publish(new EventDraft("crash", "go-c", "", null, null, null, null));
        Distribution.killPlatformOnly(karaf);

        karaf = start(home, client);
        Poll.until(Duration.ofSeconds(60), "a, b and c succeeded", () -> {
            List<TaskExecution> tasks = scheduler.listTasks(new TaskQuery("midway", execution, null, 100));
            return tasks.stream().filter(t -> t.status() == TaskStatus.SUCCESS).map(TaskExecution::taskName).distinct().count() == 3;
        });
        List<TaskExecution> tasks = scheduler.listTasks(new TaskQuery("midway", execution, null, 100));
        assertEquals("one attempt per task: " + tasks, 3, tasks.size());
        List<String> lines = Files.readAllLines(runs);
        assertEquals("each job ran once: " + lines, List.of("a", "b", "c"), lines.stream().sorted().toList());
        assertTrue("b ran after a: " + lines, lines.indexOf("b") > lines.indexOf("a"));
    }
}

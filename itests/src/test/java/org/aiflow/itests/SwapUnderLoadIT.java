package org.aiflow.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;

/**
 * Plugins swapped while events arrive at 50/s and tasks run (issue 16, item 6): the process runner's
 * bundle updated (its running jobs are re-attached, queued tasks start after), the sample policy's
 * bundle updated, and the sample condition plugin uninstalled and installed again (scheduling waits
 * for it, then decides the events that arrived meanwhile). Every acknowledged event is in the log;
 * every task execution ran its job exactly once, checked from the jobs' own output (each appends the
 * version of the event that started it to its workflow's file), and ended SUCCESS. A START rule
 * ignores events while its task is active, so not every event starts a task.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SwapUnderLoadIT extends AiflowTestSupport {
    private static final int WORKFLOWS = 25;
    private static final int RATE = 50;
    private static final int SECONDS = 30;
    private static final String NAMESPACE = "swap";

    @Test
    public void pluginsSwappedUnderLoadLoseNothing() throws Exception {
        SchedulerService scheduler = service(SchedulerService.class);
        NotificationService notifications = service(NotificationService.class);
        // the policy holds back tasks with businessHoursOnly=true outside its hours: open around the clock here,
        // written as a user would before installing (the feature then keeps the file; a ConfigAdmin update made
        // right after the install was overwritten by the feature's defaults once fileinstall read its new file)
        Files.writeString(karafHome().resolve("etc/org.aiflow.sample.policy.businesshours.cfg"),
                "opens = 00:00\ncloses = 23:59\ndays = MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY,SUNDAY\n");
        Poll.until(WAIT, "the hours are configured", () -> {
            Configuration c = configurations.getConfiguration("org.aiflow.sample.policy.businesshours", null);
            return c.getProperties() != null && "00:00".equals(c.getProperties().get("opens"));
        });
        features.installFeature("aiflow-sample-policy");
        features.installFeature("aiflow-sample-condition");
        Poll.until(WAIT, "condition type event-count-window is installed", () -> scheduler.conditionTypes().contains("event-count-window"));
        service(SchedulingPolicy.class, "(" + SchedulingPolicy.NAME_PROPERTY + "=business-hours)");

        Path out = Files.createDirectories(karafHome().resolve("data/swap-out"));
        for (int w = 0; w < WORKFLOWS; w++) {
            // each job appends the version of the event that started it: the jobs' own record of how often they ran
            String script = "echo \"$AIFLOW_EVENT_VERSION\" >> " + out.resolve("wf-" + w);
            // even workflows: the built-in event condition and the sample policy's option; odd ones: the sample condition
            Map<String, Object> options = w % 2 == 0 ? Map.of("businessHoursOnly", true) : Map.of();
            ConditionSpec condition = w % 2 == 0 ? new ConditionSpec("event", Map.of("namespace", NAMESPACE, "key", "go-" + w))
                    : new ConditionSpec("event-count-window", Map.of("namespace", NAMESPACE, "key", "go-" + w, "count", 1, "windowSeconds", 60));
            scheduler.upload(new WorkflowDefinition(NAMESPACE, "wf-" + w, null, List.of(new TaskDefinition("t", TaskKind.BATCH,
                    new JobSpec("process", Map.of("args", List.of("sh", "-c", script))), List.of(new Rule(condition, Action.START)),
                    null, options))));
            scheduler.startExecution(NAMESPACE, "wf-" + w);
        }

        Map<String, List<Long>> published = new ConcurrentHashMap<>();
        List<String> swaps = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> publisherFailed = new AtomicReference<>();
        Thread publisher = new Thread(() -> {
            try {
                long start = System.nanoTime();
                for (int i = 0; i < RATE * SECONDS; i++) {
                    long due = start + TimeUnit.SECONDS.toNanos(1) * i / RATE;
                    while (System.nanoTime() < due) {
                        java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                    }
                    String key = "go-" + (i % WORKFLOWS);
                    Event e = notifications.publish(new EventDraft(NAMESPACE, key, Integer.toString(i), null, null, null, null));
                    published.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(e.version());
                }
            } catch (Throwable t) {
                publisherFailed.set(t);
            }
        }, "swap-publisher");
        publisher.start();

        awaitPublished(published, RATE * SECONDS / 4);
        Bundle runner = bundle("org.aiflow.runner.process");
        long before = serviceId(JobRunner.class, "(" + JobRunner.TYPE_PROPERTY + "=process)");
        runner.update();
        long after = serviceId(JobRunner.class, "(" + JobRunner.TYPE_PROPERTY + "=process)");
        assertTrue("the process runner was registered anew", after != before);
        swaps.add("process runner updated after " + count(published) + " events");

        awaitPublished(published, RATE * SECONDS / 2);
        bundle("org.aiflow.sample.policy").update();
        service(SchedulingPolicy.class, "(" + SchedulingPolicy.NAME_PROPERTY + "=business-hours)");
        swaps.add("sample policy updated after " + count(published) + " events");

        awaitPublished(published, RATE * SECONDS * 3 / 4);
        features.uninstallFeature("aiflow-sample-condition");
        int gapFrom = count(published);
        Poll.until(WAIT, "condition type event-count-window is gone", () -> !scheduler.conditionTypes().contains("event-count-window"));
        awaitPublished(published, gapFrom + RATE); // a second of events for rules whose condition type is missing
        features.installFeature("aiflow-sample-condition");
        swaps.add("sample condition uninstalled after " + gapFrom + " events, installed again after " + count(published));

        publisher.join(TimeUnit.SECONDS.toMillis(SECONDS * 3L));
        assertEquals("publisher failed: " + publisherFailed.get(), null, publisherFailed.get());
        int events = count(published);
        assertEquals(RATE * SECONDS, events);

        // every acknowledged event is in the log
        List<Long> logged = new ArrayList<>();
        for (long from = 0; ; ) {
            List<Event> page = notifications.list(new EventQuery(List.of(NAMESPACE), null, null, null, from, null, null, null, 1000, false));
            if (page.isEmpty()) {
                break;
            }
            page.forEach(e -> logged.add(e.version()));
            from = page.get(page.size() - 1).version();
        }
        List<Long> acknowledged = published.values().stream().flatMap(List::stream).sorted().toList();
        assertEquals("acknowledged events in the log", acknowledged, logged);

        // the scheduler has decided every event (the last ones too) and every task has ended
        long newest = acknowledged.get(acknowledged.size() - 1);
        try {
            // the scheduler acknowledges what it has decided (at most once a second) on its named subscription
            Poll.until(Duration.ofSeconds(120), "the scheduler decided every event and every task execution of namespace "
                    + NAMESPACE + " has ended", () -> notifications.subscription("aiflow-scheduler").cursor() >= newest
                    && tasks(scheduler).stream().allMatch(t -> t.status().isFinal()));
        } catch (AssertionError notYet) {
            List<TaskExecution> tasks = tasks(scheduler);
            throw new AssertionError(notYet.getMessage() + "; newest event " + newest + ", scheduler at "
                    + notifications.subscription("aiflow-scheduler").cursor() + ", tasks by status "
                    + tasks.stream().collect(Collectors.groupingBy(t -> t.status() + " " + t.message(), TreeMap::new, Collectors.counting()))
                    + ", newest task started by event " + tasks.stream().mapToLong(t -> startedBy(scheduler, t)).max().orElse(-1), notYet);
        }
        List<TaskExecution> tasks = tasks(scheduler);
        Map<TaskStatus, Long> byStatus = tasks.stream().collect(Collectors.groupingBy(TaskExecution::status, TreeMap::new,
                Collectors.counting()));
        int twice = 0;
        int never = 0;
        for (int w = 0; w < WORKFLOWS; w++) {
            String name = "wf-" + w;
            Map<Long, Long> runs = Files.readAllLines(out.resolve(name)).stream()
                    .collect(Collectors.groupingBy(Long::parseLong, HashMap::new, Collectors.counting()));
            twice += (int) runs.values().stream().filter(n -> n > 1).count();
            List<Long> started = tasks.stream().filter(t -> t.workflowName().equals(name)).map(t -> startedBy(scheduler, t)).toList();
            never += (int) started.stream().filter(v -> !runs.containsKey(v)).count();
            assertEquals(name + ": jobs that ran for no task execution", Set.copyOf(started), runs.keySet());
            assertTrue(name + " started tasks after the swaps", started.stream().anyMatch(v -> v > acknowledged.get(gapFrom + RATE)));
        }
        // printed into the container's log (data/log/karaf.log), where Pax Exam leaves the test's output
        System.out.println("# swap under load: " + events + " events at " + RATE + "/s over " + WORKFLOWS + " workflows; " + swaps
                + "; task executions " + byStatus + "; jobs that ran twice " + twice + ", never " + never);
        assertEquals(Map.of(TaskStatus.SUCCESS, (long) tasks.size()), byStatus);
        assertEquals("task executions whose job ran twice", 0, twice);
        assertEquals("task executions whose job never ran", 0, never);
    }

    /** The version of the event that queued a task execution, from its first history entry ("START by event 42 (...)"). */
    private static long startedBy(SchedulerService scheduler, TaskExecution t) {
        String why = scheduler.taskHistory(t.id()).get(0).message();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("by event (\\d+) ").matcher(why);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private List<TaskExecution> tasks(SchedulerService scheduler) {
        List<TaskExecution> all = new ArrayList<>();
        for (int w = 0; w < WORKFLOWS; w++) {
            all.addAll(scheduler.listTasks(new TaskQuery(NAMESPACE, "wf-" + w, null, null, 10_000)));
        }
        return all;
    }

    private static int count(Map<String, List<Long>> published) {
        return published.values().stream().mapToInt(List::size).sum();
    }

    private static void awaitPublished(Map<String, List<Long>> published, int n) {
        Poll.until(Duration.ofSeconds(SECONDS * 2L), n + " events published", () -> count(published) >= n);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    private long serviceId(Class<?> type, String filter) {
        service(type, filter);
        try {
            return (Long) context.getServiceReferences(type, filter).iterator().next().getProperty(org.osgi.framework.Constants.SERVICE_ID);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

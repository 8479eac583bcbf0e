package org.aiflow.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.BuiltInConditionTypes.Composite;
import org.aiflow.api.workflow.BuiltInConditionTypes.Event;
import org.aiflow.api.workflow.BuiltInConditionTypes.Status;

/**
 * The web UI (issue 14) in headless Chromium ({@link Browser}) against the real distribution
 * ({@link Platform}), signed in through the sign-in form as the platform's admin:
 * <ol>
 * <li>the workflow page of a {@value #TASKS}-task workflow with one execution: {@value #LOADS}
 * real navigations (after {@value #WARMUPS} unmeasured) from navigation start to the page's mark
 * {@code aiflow:rendered:workflow}, to {@value #TASKS} task nodes in the graph, and to the end of
 * the last long task of the load (interactive); beside the same API reads the page waits for, made
 * by the Java HTTP client;</li>
 * <li>the events page over {@value #EVENTS} events, without filter and with a namespace and key
 * filter in the URL, the same way, beside the API reads of its first page;</li>
 * <li>{@value #RATE} task status events per second (the scheduler's shape, published one by one
 * as admin into {@code aiflow.tasks}) for the measure's seconds at the open workflow page: long
 * tasks, the longest gap between animation frames, event to graph latency (a MutationObserver's
 * {@code Date.now()} against the publisher's clock; baseline: a Java SSE client on the same
 * stream) and the nodes whose status differs from the last one published after at most 1 s; beside
 * the same page idle for as long.</li>
 * </ol>
 */
final class WebSuite {
    static final String NAMESPACE = "bench";
    static final String WORKFLOW = "web-200";
    private static final int STAGES = 10;
    private static final int LANES = 20;
    static final int TASKS = STAGES * LANES;
    private static final int WARMUPS = 2;
    private static final int LOADS = 10;
    static final int EVENTS = 100_000;
    private static final int BATCH = 1_000;
    private static final int EVENT_NAMESPACES = 4;
    private static final int EVENT_KEYS = 50;
    private static final String FILTER_NAMESPACE = "bench.web.1";
    private static final String FILTER_KEY = "key-07";
    static final int RATE = 100;
    /** Task execution ids of the synthetic status events: far above the real ones, so the page takes each as the newest. */
    private static final long SYNTHETIC_IDS = 1_000_000;
    /** Threads that publish the paced status events, so that a slow answer does not hold the next event back. */
    private static final int PUBLISHERS = 4;
    private static final String[] STATUSES = {"QUEUED", "RUNNING", "SUCCESS", "FAILED"};
    /** After the page's mark, how long its trailing long tasks (the graph's fit, the first paint) still count to the load. */
    private static final long SETTLE_MS = 1_000;
    /** A main-thread task or frame gap longer than this is a freeze (web.dev's bound for a good Interaction to Next Paint). */
    private static final double FREEZE_MS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String backend;
    private final int seconds;
    private final Path distribution = Path.of(System.getProperty("aiflow.bench.distribution",
            "karaf-assembly/target/org.aiflow.assembly-0.1.0-SNAPSHOT.tar.gz"));
    private Platform platform;
    private RestClient rest;
    private Browser browser;
    private String ui;
    private long execution;
    private final List<String> verdicts = new ArrayList<>();
    /** AIFLOW_BENCH_WEB_PROFILE=1: V8's sampling profiler over one extra workflow load and over the status events (which it slows). */
    private final boolean profile = "1".equals(System.getenv("AIFLOW_BENCH_WEB_PROFILE"));

    WebSuite(String backend, int seconds) {
        this.backend = backend;
        this.seconds = seconds;
    }

    void run() throws Exception {
        long begin = System.nanoTime();
        Results.progress("distribution " + distribution + "; " + loadAverage());
        try (Platform platform = Platform.unpack(distribution, backend)) {
            this.platform = platform;
            rest = new RestClient(platform.api());
            platform.start(rest);
            ui = platform.api().resolve("../").toString();
            uploadAndRun();
            try (Browser b = Browser.start(TASKS)) {
                browser = b;
                try {
                    b.signIn(ui, RestClient.ADMIN, RestClient.ADMIN_PASSWORD);
                    blankNavigation();
                    workflowPage();
                    publishEvents();
                    eventsPage();
                    statusEvents();
                } catch (Exception | Error e) {
                    b.keep();
                    throw e;
                }
            }
            platform.succeeded();
        }
        verdicts.forEach(Results::progress);
        Results.progress(String.format(Locale.ROOT, "web suite done in %.0f s; %s", (System.nanoTime() - begin) / 1e9, loadAverage()));
    }

    // ------------------------------------------------------------------ set-up

    private static String task(int stage, int lane) {
        return String.format(Locale.ROOT, "s%d-l%02d", stage, lane);
    }

    /**
     * {@value #LANES} lanes of {@value #STAGES} tasks: each task starts after the one before it in its
     * lane, every fourth also after its neighbour lane's (fan-in); lanes 9 and 19 start on an event
     * (so they and lane 8, which waits for 9, stay unrun), eight tasks stop on an event, and the last
     * stage's every fifth restarts when its lane's first task fails.
     */
    static Map<String, Object> workflowDefinition() {
        List<Map<String, Object>> tasks = new ArrayList<>();
        for (int s = 0; s < STAGES; s++) {
            for (int l = 0; l < LANES; l++) {
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("name", task(s, l));
                t.put("job", Map.of("runnerType", "process", "config", Map.of("command", "true")));
                List<Object> rules = new ArrayList<>();
                if (s == 0 && l % 10 == 9) {
                    rules.add(rule(condition(BuiltInConditionTypes.EVENT, Map.of(Event.NAMESPACE, NAMESPACE, Event.KEY, "go-" + l)), "START"));
                }
                if ((s * LANES + l) % 25 == 12) {
                    rules.add(rule(condition(BuiltInConditionTypes.EVENT, Map.of(Event.NAMESPACE, NAMESPACE, Event.KEY, "bench.stop")), "STOP"));
                }
                if (s == STAGES - 1 && l % 5 == 0) {
                    rules.add(rule(condition(BuiltInConditionTypes.STATUS, Map.of(Status.TASK, task(0, l), Status.STATUS, "FAILED")), "RESTART"));
                }
                if (s > 0) {
                    List<String> after = new ArrayList<>(List.of(task(s - 1, l)));
                    if (l % 4 == 0) {
                        after.add(task(s - 1, l + 1));
                    }
                    t.put("startAfter", after);
                }
                if (!rules.isEmpty()) {
                    t.put("rules", rules);
                }
                tasks.add(t);
            }
        }
        Map<String, Object> wf = new LinkedHashMap<>();
        wf.put("namespace", NAMESPACE);
        wf.put("name", WORKFLOW);
        wf.put("description", TASKS + " process tasks for the web benchmark");
        wf.put("tasks", tasks);
        return wf;
    }

    private static Map<String, Object> rule(Map<String, Object> condition, String action) {
        return Map.of("condition", condition, "action", action);
    }

    /** A condition as a workflow file holds it: its type and its configuration. */
    private static Map<String, Object> condition(String type, Map<String, Object> config) {
        return Map.of(Composite.TYPE, type, Composite.CONFIG, config);
    }

    /** Uploads the workflow, starts one execution and waits until none of its tasks is active any more. */
    private void uploadAndRun() throws Exception {
        rest.send(rest.post("workflows?source=" + WORKFLOW + ".json", JSON.writeValueAsString(workflowDefinition())), 201);
        execution = JSON.readTree(rest.send(rest.post("workflows/" + WORKFLOW + "/executions?namespace=" + NAMESPACE, ""), 201))
                .get("id").asLong();
        long begin = System.nanoTime();
        long deadline = begin + Duration.ofMinutes(5).toNanos();
        String last = "";
        int stable = 0;
        HttpRequest list = rest.get("tasks?executionId=" + execution + "&limit=1000");
        while (true) {
            Map<String, Integer> counts = new TreeMap<>();
            int active = 0;
            for (JsonNode t : JSON.readTree(rest.send(list, 200)).get("tasks")) {
                String s = t.get("status").asText();
                counts.merge(s, 1, Integer::sum);
                active += List.of("SUCCESS", "FAILED", "STOPPED").contains(s) ? 0 : 1;
            }
            String summary = counts.toString();
            stable = active == 0 && summary.equals(last) ? stable + 1 : 0;
            last = summary;
            if (stable >= 3) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("execution " + execution + " still has active tasks after 5 min: " + summary);
            }
            Thread.sleep(1000);
        }
        Results.progress(String.format(Locale.ROOT, "workflow %s/%s (%d tasks) uploaded; execution %d settled in %.0f s: task executions %s",
                NAMESPACE, WORKFLOW, TASKS, execution, (System.nanoTime() - begin) / 1e9, last));
    }

    private void publishEvents() throws Exception {
        Results.progress("publishing " + EVENTS + " events in batches of " + BATCH + " into " + EVENT_NAMESPACES
                + " namespaces bench.web.* x " + EVENT_KEYS + " keys");
        long begin = System.nanoTime();
        for (int b = 0; b < EVENTS / BATCH; b++) {
            List<Map<String, Object>> drafts = new ArrayList<>(BATCH);
            for (int i = b * BATCH; i < (b + 1) * BATCH; i++) {
                drafts.add(Map.of("namespace", "bench.web." + (i % EVENT_NAMESPACES), "key", eventKey(i / EVENT_NAMESPACES % EVENT_KEYS),
                        "value", "value-" + i, "type", "BENCH", "sender", "bench-web", "context", Map.of("i", Integer.toString(i))));
            }
            rest.send(rest.post("events/batch", JSON.writeValueAsString(Map.of("events", drafts))), 201);
        }
        Results.progress(String.format(Locale.ROOT, "published %d events in %.1f s", EVENTS, (System.nanoTime() - begin) / 1e9));
        Thread.sleep(3000); // the platform's subscribers (the scheduler) catch up before the pages load
    }

    private static String eventKey(int k) {
        return String.format(Locale.ROOT, "key-%02d", k);
    }

    // ------------------------------------------------------------------ page loads

    private String workflowUrl() {
        return ui + "workflows/" + NAMESPACE + "/" + WORKFLOW;
    }

    /** What one real navigation to a page cost, in ms since navigation start. */
    private record Load(double rendered, double nodes, double interactive, double longTotal, double longest, int longCount) {
    }

    /**
     * A real navigation (from about:blank, so the previous page is gone) to {@code url}, until the
     * page's mark; then {@value #SETTLE_MS} ms for the load's trailing long tasks.
     */
    @SuppressWarnings("unchecked")
    private Load load(String url, String page, int expectRows) throws Exception {
        browser.get("about:blank");
        browser.get(url);
        double mark = browser.awaitMark("aiflow:rendered:" + page);
        Thread.sleep(SETTLE_MS);
        Map<String, Object> r = (Map<String, Object>) browser.script("""
                const b = window.__bench;
                return { nodesAt: b.nodesAt, longtasks: b.longtasks, error: b.error || null,
                  nodes: document.querySelectorAll('g.node.task').length, rows: document.querySelectorAll('tbody tr[data-version]').length };
                """);
        if (r.get("error") != null) {
            throw new IllegalStateException("no long task observer in this browser: " + r.get("error"));
        }
        if (page.equals("workflow") && ((Number) r.get("nodes")).intValue() != TASKS) {
            throw new IllegalStateException(url + " drew " + r.get("nodes") + " task nodes, not " + TASKS);
        }
        if (expectRows > 0 && ((Number) r.get("rows")).intValue() != expectRows) {
            throw new IllegalStateException(url + " shows " + r.get("rows") + " events, not " + expectRows);
        }
        double total = 0;
        double longest = 0;
        double end = mark;
        int count = 0;
        for (List<Number> lt : (List<List<Number>>) r.get("longtasks")) {
            double start = lt.get(0).doubleValue();
            double duration = lt.get(1).doubleValue();
            if (start < mark + SETTLE_MS) {
                total += duration;
                longest = Math.max(longest, duration);
                end = Math.max(end, start + duration);
                count++;
            }
        }
        double nodes = r.get("nodesAt") instanceof Number n ? n.doubleValue() : Double.NaN;
        return new Load(mark, nodes, end, total, longest, count);
    }

    private List<Load> loads(String what, String url, String page, int expectRows) throws Exception {
        for (int i = 0; i < WARMUPS; i++) {
            load(url, page, expectRows);
        }
        List<Load> loads = new ArrayList<>();
        for (int i = 0; i < LOADS; i++) {
            loads.add(load(url, page, expectRows));
        }
        Results.progress(what + ": rendered (ms) " + list(loads.stream().mapToDouble(Load::rendered).toArray()));
        if (page.equals("workflow")) {
            Results.progress(what + ": " + TASKS + " task nodes (ms) " + list(loads.stream().mapToDouble(Load::nodes).toArray()));
        }
        Results.progress(what + ": interactive, the end of the load's last long task (ms) " + list(loads.stream().mapToDouble(Load::interactive).toArray()));
        Results.progress(what + ": long tasks of the load: total (ms) " + list(loads.stream().mapToDouble(Load::longTotal).toArray())
                + ", longest (ms) " + list(loads.stream().mapToDouble(Load::longest).toArray())
                + ", count " + loads.stream().map(l -> Integer.toString(l.longCount())).collect(Collectors.joining(" ")));
        return loads;
    }

    /** Navigation of the same browser to a static file of the UI (favicon.svg): what any page pays before its scripts run. */
    private void blankNavigation() throws Exception {
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            browser.get("about:blank");
            browser.get(ui + "favicon.svg");
            ms[i] = ((Number) browser.script("const n = performance.getEntriesByType('navigation')[0]; return n ? n.loadEventEnd : -1;")).doubleValue();
        }
        Results.progress("blank navigation (favicon.svg, navigation start to load end, ms): " + list(ms));
    }

    /** Times the API reads the workflow page waits for before its mark, in the order (and side by side where) the page makes them. */
    private double[] workflowApi() throws Exception {
        String q = "?namespace=" + NAMESPACE;
        HttpRequest who = rest.get("whoami");
        HttpRequest wf = rest.get("workflows/" + WORKFLOW + q);
        HttpRequest snapshot = rest.get("workflows/" + WORKFLOW + "/snapshot" + q);
        HttpRequest executions = rest.get("executions?workflow=" + WORKFLOW + "&namespace=" + NAMESPACE + "&limit=20");
        HttpRequest latest = rest.get("events/latest");
        HttpRequest tasks = rest.get("tasks?executionId=" + execution + "&limit=1000");
        return timeApi(() -> {
            rest.send(who, 200);
            CompletableFuture.allOf(rest.sendAsync(wf, 200), rest.sendAsync(snapshot, 200), rest.sendAsync(executions, 200)).join();
            rest.send(latest, 200);
            rest.send(tasks, 200);
        });
    }

    private double[] eventsApi(String filter) throws Exception {
        HttpRequest who = rest.get("whoami");
        HttpRequest page = rest.get("events?order=desc&limit=100" + filter);
        return timeApi(() -> {
            rest.send(who, 200);
            rest.send(page, 200);
        });
    }

    private interface Calls {
        void run() throws Exception;
    }

    private static double[] timeApi(Calls calls) throws Exception {
        for (int i = 0; i < WARMUPS; i++) {
            calls.run();
        }
        double[] ms = new double[LOADS];
        for (int i = 0; i < LOADS; i++) {
            long start = System.nanoTime();
            calls.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        return ms;
    }

    private void workflowPage() throws Exception {
        List<Load> loads = loads("workflow page, " + TASKS + " tasks", workflowUrl(), "workflow", 0);
        double[] api = workflowApi();
        Results.progress("workflow page: the same API reads with the Java HTTP client (ms) " + list(api));
        if (profile) {
            browser.startProfile();
            Load profiled = load(workflowUrl(), "workflow", 0);
            Results.progress("profile of one more workflow page load (rendered after " + Math.round(profiled.rendered()) + " ms, profiler on):");
            browser.stopProfile(25).forEach(Results::progress);
        }
        double[] rendered = loads.stream().mapToDouble(Load::rendered).toArray();
        double[] nodes = loads.stream().mapToDouble(Load::nodes).toArray();
        double[] interactive = loads.stream().mapToDouble(Load::interactive).toArray();
        double[] longTotal = loads.stream().mapToDouble(Load::longTotal).toArray();
        Results.print("web.workflow.rendered_p50_ms", pct(rendered, 50), pct(api, 50));
        Results.print("web.workflow.rendered_p95_ms", pct(rendered, 95), pct(api, 95));
        Results.print("web.workflow.nodes_p50_ms", pct(nodes, 50), pct(api, 50));
        Results.print("web.workflow.interactive_p50_ms", pct(interactive, 50), pct(api, 50));
        Results.print("web.workflow.interactive_p95_ms", pct(interactive, 95), pct(api, 95));
        Results.print("web.workflow.interactive_max_ms", pct(interactive, 100), pct(api, 100));
        // baseline: the load itself, so the ratio is the share of the load the main thread was blocked in long tasks
        Results.print("web.workflow.longtask_total_p50_ms", pct(longTotal, 50), pct(interactive, 50));
        double worst = Math.max(pct(interactive, 95), pct(rendered, 95));
        verdicts.add(String.format(Locale.ROOT, "target 1, workflow page of %d tasks interactive in <= 1000 ms: %s (p50 %.0f ms, p95 %.0f ms, max %.0f ms; rendered p95 %.0f ms)",
                TASKS, worst <= 1000 ? "MET" : "MISSED", pct(interactive, 50), pct(interactive, 95), pct(interactive, 100), pct(rendered, 95)));
    }

    private void eventsPage() throws Exception {
        String filter = "&namespace=" + FILTER_NAMESPACE + "&key=" + FILTER_KEY;
        List<Load> all = loads("events page, " + EVENTS + " events, no filter", ui + "events", "events", 100);
        double[] allApi = eventsApi("");
        Results.progress("events page: the same API reads with the Java HTTP client (ms) " + list(allApi));
        List<Load> filtered = loads("events page, filter namespace=" + FILTER_NAMESPACE + " key=" + FILTER_KEY,
                ui + "events?namespace=" + FILTER_NAMESPACE + "&key=" + FILTER_KEY, "events", 100);
        double[] filteredApi = eventsApi(filter);
        Results.progress("events page, filtered: the same API reads with the Java HTTP client (ms) " + list(filteredApi));
        double[] a = all.stream().mapToDouble(Load::interactive).toArray();
        double[] f = filtered.stream().mapToDouble(Load::interactive).toArray();
        double[] ar = all.stream().mapToDouble(Load::rendered).toArray();
        double[] fr = filtered.stream().mapToDouble(Load::rendered).toArray();
        Results.print("web.events.rendered_p50_ms", pct(ar, 50), pct(allApi, 50));
        Results.print("web.events.rendered_p95_ms", pct(ar, 95), pct(allApi, 95));
        Results.print("web.events.interactive_p95_ms", pct(a, 95), pct(allApi, 95));
        Results.print("web.events.filtered.rendered_p50_ms", pct(fr, 50), pct(filteredApi, 50));
        Results.print("web.events.filtered.rendered_p95_ms", pct(fr, 95), pct(filteredApi, 95));
        Results.print("web.events.filtered.interactive_p95_ms", pct(f, 95), pct(filteredApi, 95));
        double worst = Math.max(Math.max(pct(a, 95), pct(f, 95)), Math.max(pct(ar, 95), pct(fr, 95)));
        verdicts.add(String.format(Locale.ROOT, "target 2, events page over %d events opens in <= 1000 ms (first page of 100): %s "
                + "(no filter: rendered p50 %.0f / p95 %.0f ms, interactive p95 %.0f ms; filtered: rendered p50 %.0f / p95 %.0f ms, interactive p95 %.0f ms)",
                EVENTS, worst <= 1000 ? "MET" : "MISSED", pct(ar, 50), pct(ar, 95), pct(a, 95), pct(fr, 50), pct(fr, 95), pct(f, 95)));
    }

    // ------------------------------------------------------------------ status events

    /** Main-thread figures of the open page over a window of time. */
    private record Window(double millis, int frames, double frameGapMax, int gapsOver50, int gapsOver100, int longCount,
            double longTotal, double longest, List<List<Object>> changes, String work) {
    }

    private Map<String, Double> metricsAtOpen;

    private void openWindow() {
        metricsAtOpen = browser.metrics();
        browser.script("""
                const b = window.__bench;
                b.changes = [];
                if (b.mo2) b.mo2.disconnect();
                b.mo2 = new MutationObserver(list => {
                  const now = Date.now();
                  for (const m of list) b.changes.push([m.target.getAttribute('data-id'), m.target.getAttribute('data-status'), now]);
                });
                b.mo2.observe(document.querySelector('svg.graph'), { attributes: true, subtree: true, attributeFilter: ['data-status'] });
                const f = b.frames = { max: 0, count: 0, over50: 0, over100: 0, last: null, on: true };
                const loop = t => {
                  if (!f.on) return;
                  if (f.last !== null) {
                    const g = t - f.last;
                    if (g > f.max) f.max = g;
                    if (g > 50) f.over50++;
                    if (g > 100) f.over100++;
                  }
                  f.last = t;
                  f.count++;
                  requestAnimationFrame(loop);
                };
                requestAnimationFrame(loop);
                b.t0 = performance.now();
                """);
    }

    @SuppressWarnings("unchecked")
    private Window closeWindow() {
        Map<String, Object> r = (Map<String, Object>) browser.script("""
                const b = window.__bench, f = b.frames;
                f.on = false;
                b.mo2.disconnect();
                const t1 = performance.now();
                const lts = b.longtasks.filter(e => e[0] >= b.t0 && e[0] < t1);
                return { millis: t1 - b.t0, frames: f.count, max: Math.max(f.max, t1 - (f.last === null ? b.t0 : f.last)),
                  over50: f.over50, over100: f.over100, longCount: lts.length, longTotal: lts.reduce((s, e) => s + e[1], 0),
                  longest: lts.reduce((m, e) => Math.max(m, e[1]), 0), changes: b.changes };
                """);
        Map<String, Double> m = browser.metrics();
        java.util.function.ToDoubleFunction<String> d = k -> 1000 * (m.getOrDefault(k, 0.0) - metricsAtOpen.getOrDefault(k, 0.0));
        double task = d.applyAsDouble("TaskDuration");
        double script = d.applyAsDouble("ScriptDuration");
        double style = d.applyAsDouble("RecalcStyleDuration");
        double layout = d.applyAsDouble("LayoutDuration");
        String work = String.format(Locale.ROOT, "main thread busy %.0f ms: script %.0f, style %.0f (%.0f recalcs), layout %.0f (%.0f layouts), "
                + "the rest (paint, compositing, parsing, ...) %.0f", task, script, style, d.applyAsDouble("RecalcStyleCount") / 1000, layout,
                d.applyAsDouble("LayoutCount") / 1000, task - script - style - layout);
        return new Window(num(r, "millis"), (int) num(r, "frames"), num(r, "max"), (int) num(r, "over50"), (int) num(r, "over100"),
                (int) num(r, "longCount"), num(r, "longTotal"), num(r, "longest"), (List<List<Object>>) r.get("changes"), work);
    }

    private static double num(Map<String, Object> r, String key) {
        return ((Number) r.get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> nodeStatuses() {
        return (Map<String, String>) browser.script("""
                return Object.fromEntries([...document.querySelectorAll('g.node.task')].map(g => [g.getAttribute('data-id'), g.getAttribute('data-status')]));
                """);
    }

    private void statusEvents() throws Exception {
        browser.get("about:blank");
        browser.get(workflowUrl());
        browser.awaitMark("aiflow:rendered:workflow");
        Thread.sleep(2000);
        Results.progress("the workflow page, open on execution " + execution + ", idle for " + seconds + " s (baseline)");
        openWindow();
        Thread.sleep(seconds * 1000L);
        Window idle = closeWindow();

        // the events: round robin over the tasks in a shuffled order, so a task gets one every TASKS / RATE s,
        // each a status other than its previous one (a change on the graph for every event)
        List<String> order = new ArrayList<>();
        for (int s = 0; s < STAGES; s++) {
            for (int l = 0; l < LANES; l++) {
                order.add(task(s, l));
            }
        }
        Collections.shuffle(order, new Random(14));
        int n = RATE * seconds;
        String[] taskOf = new String[n];
        String[] statusOf = new String[n];
        String[] bodies = new String[n];
        for (int i = 0; i < n; i++) {
            int slot = i % TASKS;
            taskOf[i] = order.get(slot);
            statusOf[i] = STATUSES[(i / TASKS + slot) % STATUSES.length];
            Map<String, String> context = new LinkedHashMap<>();
            context.put(TaskStatusEvents.CONTEXT_EXECUTION_ID, Long.toString(execution));
            context.put(TaskStatusEvents.CONTEXT_WORKFLOW_NAMESPACE, NAMESPACE);
            context.put(TaskStatusEvents.CONTEXT_WORKFLOW_NAME, WORKFLOW);
            context.put(TaskStatusEvents.CONTEXT_TASK_NAME, taskOf[i]);
            context.put(TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID, Long.toString(SYNTHETIC_IDS + i));
            context.put(TaskStatusEvents.CONTEXT_ATTEMPT, "1");
            bodies[i] = JSON.writeValueAsString(Map.of("namespace", TaskStatusEvents.NAMESPACE, "key", TaskStatusEvents.key(WORKFLOW, taskOf[i]),
                    "value", statusOf[i], "type", TaskStatusEvents.TYPE, "sender", "bench-web", "context", context));
        }

        long latest = JSON.readTree(rest.send(rest.get("events/latest"), 200)).get("version").asLong();
        Map<Long, Long> sseAt = new ConcurrentHashMap<>();
        HttpResponse<Stream<String>> stream = sseBaseline(latest, sseAt);
        Map<String, String> before = nodeStatuses();
        Results.progress("publishing " + n + " status events at " + RATE + "/s into " + TaskStatusEvents.NAMESPACE + " (" + TaskStatusEvents.TYPE
                + ", execution " + execution
                + ", synthetic task execution ids from " + SYNTHETIC_IDS + ")");
        long[] published = new long[n];
        long[] ack = new long[n];
        if (profile) {
            Results.progress("the profiler runs during the status events: their figures are slower than without it");
            browser.startProfile();
        }
        openWindow();
        long begin = System.nanoTime();
        // open loop: a slow answer does not delay the next event (the scheduler's publishes do not wait for a page either)
        ExecutorService publishers = Executors.newFixedThreadPool(PUBLISHERS);
        List<Future<?>> sent = new ArrayList<>(n);
        try {
            Results.pace(n, RATE, (i, due) -> sent.add(publishers.submit(() -> {
                published[i] = System.currentTimeMillis();
                long start = System.nanoTime();
                rest.send(rest.post("events", bodies[i]), 201);
                ack[i] = System.nanoTime() - start;
                return null;
            })));
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            publishers.shutdownNow();
        }
        long publishedNanos = System.nanoTime() - begin;
        // bounded wait: is the graph current within 1 s of the last publish?
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < n; i++) {
            expected.put("t:" + taskOf[i], statusOf[i]);
        }
        long end = System.nanoTime();
        int staleAtEnd = -1;
        int stale;
        double currentAfter = Double.NaN;
        while (true) {
            Map<String, String> now = nodeStatuses();
            stale = (int) expected.entrySet().stream().filter(e -> !e.getValue().equals(now.get(e.getKey()))).count();
            double waited = (System.nanoTime() - end) / 1e6;
            if (staleAtEnd < 0) {
                staleAtEnd = stale;
            }
            if (stale == 0) {
                currentAfter = waited;
                break;
            }
            if (waited >= 1000) {
                break;
            }
            Thread.sleep(50);
        }
        Window active = closeWindow();
        if (profile) {
            Results.progress("profile of the page during the status events:");
            browser.stopProfile(25).forEach(Results::progress);
        }
        try {
            stream.body().close();
        } catch (RuntimeException e) {
            // the platform ends it when it stops
        }

        // event -> graph: the first change of the task's node to the event's status at or after its publish,
        // before the same status comes round again for that task
        Map<String, List<long[]>> changes = new HashMap<>();
        Map<String, Integer> statusIndex = new HashMap<>();
        for (int s = 0; s < STATUSES.length; s++) {
            statusIndex.put(STATUSES[s], s);
        }
        for (List<Object> c : active.changes()) {
            Integer s = statusIndex.get(String.valueOf(c.get(1)));
            changes.computeIfAbsent(String.valueOf(c.get(0)), k -> new ArrayList<>())
                    .add(new long[] {s == null ? -1 : s, ((Number) c.get(2)).longValue()});
        }
        List<Double> page = new ArrayList<>();
        List<Double> sse = new ArrayList<>();
        int missed = 0;
        int sseMissed = 0;
        int samples = 0;
        for (int i = 0; i < n; i++) {
            String previous = i >= TASKS ? statusOf[i - TASKS] : before.get("t:" + taskOf[i]);
            Long received = sseAt.get(SYNTHETIC_IDS + i);
            if (received == null) {
                sseMissed++;
            } else {
                sse.add((double) (received - published[i]));
            }
            if (statusOf[i].equals(previous)) {
                continue; // no change on the graph to time
            }
            samples++;
            long until = i + STATUSES.length * TASKS < n ? published[i + STATUSES.length * TASKS] : Long.MAX_VALUE;
            int s = statusIndex.get(statusOf[i]);
            Long at = null;
            for (long[] c : changes.getOrDefault("t:" + taskOf[i], List.of())) {
                if (c[0] == s && c[1] >= published[i] - 1 && c[1] < until) {
                    at = c[1];
                    break;
                }
            }
            if (at == null) {
                missed++;
            } else {
                page.add((double) (at - published[i]));
            }
        }
        double[] pageMs = page.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sseMs = sse.stream().mapToDouble(Double::doubleValue).toArray();
        double[] ackMs = Arrays.stream(ack).mapToDouble(x -> x / 1e6).toArray();
        double rate = n / (publishedNanos / 1e9);
        Results.progress(String.format(Locale.ROOT, "published %d status events in %.1f s (%.1f/s); POST /events p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                n, publishedNanos / 1e9, rate, pct(ackMs, 50), pct(ackMs, 99), pct(ackMs, 100)));
        Results.progress(String.format(Locale.ROOT, "event -> graph (page, MutationObserver): %d timed of %d changes, %d never shown; p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                pageMs.length, samples, missed, pct(pageMs, 50), pct(pageMs, 99), pct(pageMs, 100)));
        Results.progress(String.format(Locale.ROOT, "event -> Java SSE client (baseline): %d of %d received; p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                sseMs.length, n, pct(sseMs, 50), pct(sseMs, 99), pct(sseMs, 100)));
        Results.progress(String.format(Locale.ROOT, "stale nodes right after the last publish %d, after the bounded wait %d of %d (current after %s)",
                staleAtEnd, stale, TASKS, Double.isNaN(currentAfter) ? "more than 1000 ms" : String.format(Locale.ROOT, "%.0f ms", currentAfter)));
        for (Map.Entry<String, Window> w : Map.of("idle", idle, RATE + "/s", active).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            Window x = w.getValue();
            Results.progress(String.format(Locale.ROOT, "%s, %.1f s: %d frames, longest frame gap %.0f ms, gaps > 50 ms %d, > 100 ms %d; "
                    + "long tasks %d, total %.0f ms (%.1f%% of the time), longest %.0f ms; %s", w.getKey(), x.millis() / 1000, x.frames(), x.frameGapMax(),
                    x.gapsOver50(), x.gapsOver100(), x.longCount(), x.longTotal(), 100 * x.longTotal() / x.millis(), x.longest(), x.work()));
        }
        Results.print("web.status100.latency_p50_ms", pct(pageMs, 50), pct(sseMs, 50));
        Results.print("web.status100.latency_p99_ms", pct(pageMs, 99), pct(sseMs, 99));
        Results.print("web.status100.stale_nodes", stale, TASKS);
        Results.print("web.status100.longtask_total_ms", active.longTotal(), idle.longTotal());
        Results.print("web.status100.longest_task_ms", active.longest(), idle.longest());
        Results.print("web.status100.frame_gap_max_ms", active.frameGapMax(), idle.frameGapMax());
        boolean current = stale == 0 && missed == 0 && pct(pageMs, 99) <= 1000;
        boolean frozen = active.longest() > FREEZE_MS || active.frameGapMax() > FREEZE_MS;
        verdicts.add(String.format(Locale.ROOT, "target 3, %d status events/s for %d s: graph current %s (%d of %d nodes stale after <= 1 s, %d changes never shown, "
                + "event -> graph p99 %.0f ms <= 1000 ms); no freeze %s (longest task %.0f ms, longest frame gap %.0f ms; a freeze: either over %.0f ms)",
                RATE, seconds, current ? "MET" : "MISSED", stale, TASKS, missed, pct(pageMs, 99), frozen ? "MISSED" : "MET",
                active.longest(), active.frameGapMax(), FREEZE_MS));
    }

    /** Follows the status events with the Java HTTP client, recording when each synthetic one arrives. */
    private HttpResponse<Stream<String>> sseBaseline(long after, Map<Long, Long> receivedAt) throws IOException, InterruptedException {
        URI uri = platform.api().resolve("events/stream?namespace=" + TaskStatusEvents.NAMESPACE + "&type=" + TaskStatusEvents.TYPE);
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").header("Authorization", RestClient.AUTHORIZATION)
                .header("Last-Event-ID", Long.toString(after)).GET().build();
        HttpResponse<Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " answered " + response.statusCode());
        }
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(line -> {
                    if (!line.startsWith("data:")) {
                        return;
                    }
                    long now = System.currentTimeMillis();
                    try {
                        JsonNode id = JSON.readTree(line.substring(5)).path("context").path(TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID);
                        if (id.isTextual()) {
                            receivedAt.putIfAbsent(Long.parseLong(id.asText()), now);
                        }
                    } catch (IOException | NumberFormatException e) {
                        // not one of ours
                    }
                });
            } catch (RuntimeException e) {
                // closed at the end of the run
            }
        }, "sse-baseline");
        reader.setDaemon(true);
        reader.start();
        return response;
    }

    // ------------------------------------------------------------------ helpers

    /** Nearest-rank percentile (100: the maximum). */
    static double pct(double[] values, double percentile) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    private static String list(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v)).collect(Collectors.joining(" "));
    }

    private static String loadAverage() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "load average unknown";
        }
    }
}

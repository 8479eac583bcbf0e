package org.aiflow.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.scheduler.TaskStatusEvents;
import org.aiflow.api.stats.EventLogStatistics;
import org.aiflow.api.stats.FixedHistogram;
import org.aiflow.api.stats.HistogramSnapshot;
import org.aiflow.api.stats.SchedulerStatistics;
import org.aiflow.metrics.AiflowMetrics.Scrape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exposition's names, labels and values after known increments, in both text formats. */
class ExpositionTest {
    static final String PROMETHEUS_ACCEPT = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private MetricsComponent metrics;

    @BeforeEach
    void setUp() {
        metrics = new MetricsComponent();
        metrics.activate();
    }

    private String scrape(String accept) throws Exception {
        Scrape s = metrics.scrape(accept);
        return new String(s.body(), StandardCharsets.UTF_8);
    }

    @Test
    void eventsAreCountedByNamespace() throws Exception {
        for (int i = 1; i <= 3; i++) {
            metrics.platform().events.onEvent(event(i, "sales", "k", "v"));
        }
        metrics.platform().events.onEvent(event(4, "default", "k", "v"));

        String text = scrape("text/plain");
        assertThat(text).contains("# TYPE aiflow_events_published_total counter")
                .contains("aiflow_events_published_total{namespace=\"sales\"} 3.0")
                .contains("aiflow_events_published_total{namespace=\"default\"} 1.0");
    }

    @Test
    void prometheusAcceptGetsOpenMetricsAndTextGetsFormat004() throws Exception {
        assertThat(metrics.scrape(PROMETHEUS_ACCEPT).contentType()).startsWith("application/openmetrics-text");
        assertThat(scrape(PROMETHEUS_ACCEPT)).endsWith("# EOF\n");
        assertThat(metrics.scrape("text/plain").contentType()).startsWith("text/plain; version=0.0.4");
    }

    @Test
    void restRequestsByResourceStatusAndLatency() throws Exception {
        metrics.requestServed("events", "POST", 201, 3_000_000);
        metrics.requestServed("events", "POST", 201, 20_000_000);
        metrics.requestServed("metrics/{name}", "GET", 404, 1_000_000);
        metrics.requestServed(null, "GET", 401, 1_000);

        String text = scrape("text/plain");
        assertThat(text).contains("aiflow_rest_requests_total{method=\"POST\",resource=\"events\",status=\"201\"} 2.0")
                .contains("aiflow_rest_requests_total{method=\"GET\",resource=\"metrics/{name}\",status=\"404\"} 1.0")
                .contains("aiflow_rest_requests_total{method=\"GET\",resource=\"unmatched\",status=\"401\"} 1.0")
                .contains("aiflow_rest_request_duration_seconds_bucket{method=\"POST\",resource=\"events\",le=\"0.005\"} 1")
                .contains("aiflow_rest_request_duration_seconds_bucket{method=\"POST\",resource=\"events\",le=\"0.025\"} 2")
                .contains("aiflow_rest_request_duration_seconds_count{method=\"POST\",resource=\"events\"} 2")
                .contains("aiflow_rest_request_duration_seconds_sum{method=\"POST\",resource=\"events\"} 0.023");
    }

    @Test
    void taskTransitionsAndDurationsFromStatusEvents() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        metrics.platform().events.onEvent(taskEvent(1, 7, "RUNNING", start));
        metrics.platform().events.onEvent(taskEvent(2, 7, "SUCCESS", start.plusSeconds(42)));
        metrics.platform().events.onEvent(taskEvent(3, 8, "RUNNING", start, "flink"));
        metrics.platform().events.onEvent(taskEvent(4, 8, "FAILED", start.plusSeconds(2), "flink"));
        metrics.platform().events.onEvent(taskEvent(5, 9, "RUNNING", start, null)); // from before runner types were in the events
        metrics.platform().events.onEvent(taskEvent(6, 9, "SUCCESS", start.plusSeconds(1), null));

        String text = scrape("text/plain");
        assertThat(text).contains("aiflow_task_transitions_total{status=\"RUNNING\"} 3.0")
                .contains("aiflow_task_transitions_total{status=\"SUCCESS\"} 2.0")
                .contains("aiflow_task_transitions_total{status=\"FAILED\"} 1.0")
                .contains("aiflow_task_duration_seconds_count{runner=\"process\",status=\"SUCCESS\"} 1")
                .contains("aiflow_task_duration_seconds_sum{runner=\"process\",status=\"SUCCESS\"} 42.0")
                .contains("aiflow_task_duration_seconds_bucket{runner=\"process\",status=\"SUCCESS\",le=\"30.0\"} 0")
                .contains("aiflow_task_duration_seconds_bucket{runner=\"process\",status=\"SUCCESS\",le=\"60.0\"} 1")
                .contains("aiflow_task_duration_seconds_sum{runner=\"flink\",status=\"FAILED\"} 2.0")
                .contains("aiflow_task_duration_seconds_sum{runner=\"\",status=\"SUCCESS\"} 1.0")
                .contains("aiflow_events_published_total{namespace=\"aiflow.tasks\"} 6.0");
    }

    @Test
    void subscriptionsAndActiveTasksAreReadAtScrapeTime() throws Exception {
        Instant now = Instant.now();
        NotificationService notification = stub(NotificationService.class, Map.of(
                "subscriptions", List.of(new SubscriptionInfo("exporter", 90, 100, now.minusSeconds(600), now.minusSeconds(120))),
                "latestVersion", 100L));
        metrics.bindNotification(notification);
        SchedulerService scheduler = stub(SchedulerService.class, Map.of());
        metrics.bindScheduler((SchedulerService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{SchedulerService.class},
                (p, m, args) -> {
                    if (m.getName().equals("listTasks")) {
                        TaskStatus s = ((TaskQuery) args[0]).status();
                        return s == TaskStatus.RUNNING ? List.of(task(1, "process", s), task(2, "process", s), task(3, "flink", s))
                                : s == TaskStatus.QUEUED ? List.of(task(4, "process", s)) : List.of();
                    }
                    return m.invoke(scheduler, args);
                }));

        String text = scrape("text/plain");
        assertThat(text).contains("aiflow_subscription_lag_events{subscription=\"exporter\"} 10.0")
                .contains("aiflow_tasks{runner=\"process\",status=\"RUNNING\"} 2.0")
                .contains("aiflow_tasks{runner=\"flink\",status=\"RUNNING\"} 1.0")
                .contains("aiflow_tasks{runner=\"process\",status=\"QUEUED\"} 1.0");
        String age = text.lines().filter(l -> l.startsWith("aiflow_subscription_last_ack_age_seconds{subscription=\"exporter\"}"))
                .findFirst().orElseThrow();
        assertThat(Double.parseDouble(age.substring(age.lastIndexOf(' ') + 1))).isBetween(119.0, 180.0);

        metrics.unbindNotification(notification);
        assertThat(scrape("text/plain")).doesNotContain("aiflow_subscription_lag_events{");
    }

    @Test
    void publishCommitAndSchedulerFiguresOfTheCoreServices() throws Exception {
        FixedHistogram publish = new FixedHistogram(1_000_000, 10_000_000); // 1 ms, 10 ms
        publish.record(500_000);
        publish.record(2_000_000);
        publish.record(3_000_000_000L);
        FixedHistogram batches = new FixedHistogram(1, 10);
        batches.record(1);
        batches.record(7);
        FixedHistogram decisions = new FixedHistogram(5_000_000);
        decisions.record(4_000_000);
        EventLogStatistics events = new EventLogStatistics() {
            @Override
            public HistogramSnapshot publishNanos() {
                return publish.snapshot();
            }

            @Override
            public HistogramSnapshot commitBatchEvents() {
                return batches.snapshot();
            }
        };
        SchedulerStatistics scheduler = new SchedulerStatistics() {
            @Override
            public HistogramSnapshot decisionNanos() {
                return decisions.snapshot();
            }

            @Override
            public int queuedEvents() {
                return 12;
            }

            @Override
            public Map<String, Long> submitFailures() {
                return Map.of("flink", 3L);
            }
        };
        String before = scrape("text/plain");
        assertThat(before).as("no series while the services are absent").doesNotContain("aiflow_event_publish_duration_seconds")
                .doesNotContain("aiflow_scheduler_queued_events ").doesNotContain("aiflow_runner_submit_failures_total{");

        metrics.bindEventLogStatistics(events);
        metrics.bindSchedulerStatistics(scheduler);
        String text = scrape("text/plain");
        assertThat(text).contains("aiflow_event_publish_duration_seconds_bucket{le=\"0.001\"} 1")
                .contains("aiflow_event_publish_duration_seconds_bucket{le=\"0.01\"} 2")
                .contains("aiflow_event_publish_duration_seconds_bucket{le=\"+Inf\"} 3")
                .contains("aiflow_event_publish_duration_seconds_count 3")
                .contains("aiflow_event_publish_duration_seconds_sum 3.0025")
                .contains("aiflow_event_commit_batch_size_bucket{le=\"1.0\"} 1")
                .contains("aiflow_event_commit_batch_size_bucket{le=\"10.0\"} 2")
                .contains("aiflow_event_commit_batch_size_sum 8.0")
                .contains("aiflow_scheduler_decision_duration_seconds_bucket{le=\"0.005\"} 1")
                .contains("aiflow_scheduler_decision_duration_seconds_sum 0.004")
                .contains("aiflow_scheduler_queued_events 12.0")
                .contains("# TYPE aiflow_runner_submit_failures_total counter")
                .contains("aiflow_runner_submit_failures_total{runner=\"flink\"} 3.0")
                .contains("# TYPE aiflow_event_publish_duration_seconds histogram");
        assertThat(scrape(PROMETHEUS_ACCEPT)).contains("aiflow_event_publish_duration_seconds_count 3")
                .contains("aiflow_runner_submit_failures_total{runner=\"flink\"} 3");

        metrics.unbindSchedulerStatistics(scheduler);
        assertThat(scrape("text/plain")).doesNotContain("aiflow_scheduler_queued_events ").contains("aiflow_event_commit_batch_size_count 2");
    }

    @Test
    void jvmMetricsAreExposed() throws Exception {
        assertThat(scrape("text/plain")).contains("jvm_memory_used_bytes{area=\"heap\"}").contains("jvm_threads_current ")
                .contains("process_cpu_seconds_total");
    }

    private static Event event(long version, String namespace, String key, String value) {
        return new Event(version, namespace, key, value, "t", "s", Map.of(), Instant.now());
    }

    private static Event taskEvent(long version, long taskId, String status, Instant time) {
        return taskEvent(version, taskId, status, time, "process");
    }

    private static Event taskEvent(long version, long taskId, String status, Instant time, String runner) {
        Map<String, String> context = runner == null ? Map.of(TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID, Long.toString(taskId))
                : Map.of(TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID, Long.toString(taskId), TaskStatusEvents.CONTEXT_RUNNER_TYPE, runner);
        return new Event(version, TaskStatusEvents.NAMESPACE, "wf/t", status, TaskStatusEvents.TYPE, TaskStatusEvents.SENDER, context, time);
    }

    private static TaskExecution task(long id, String runner, TaskStatus status) {
        return new TaskExecution(id, 1, "default", "wf", "t" + id, 1, runner, status, null, null, Instant.now(), Instant.now());
    }

    /** A service whose methods answer from {@code answers} by name; subscribe answers a no-op subscription. */
    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(ExpositionTest.class.getClassLoader(), new Class<?>[]{type}, (p, m, args) -> {
            if (answers.containsKey(m.getName())) {
                return answers.get(m.getName());
            }
            if (m.getName().equals("subscribe")) {
                return (NotificationService.Subscription) () -> { };
            }
            if (m.getName().equals("hashCode")) {
                return System.identityHashCode(p);
            }
            if (m.getName().equals("equals")) {
                return p == args[0];
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }
}

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

        String text = scrape("text/plain");
        assertThat(text).contains("aiflow_task_transitions_total{status=\"RUNNING\"} 1.0")
                .contains("aiflow_task_transitions_total{status=\"SUCCESS\"} 1.0")
                .contains("aiflow_task_duration_seconds_count{status=\"SUCCESS\"} 1")
                .contains("aiflow_task_duration_seconds_sum{status=\"SUCCESS\"} 42.0")
                .contains("aiflow_task_duration_seconds_bucket{status=\"SUCCESS\",le=\"30.0\"} 0")
                .contains("aiflow_task_duration_seconds_bucket{status=\"SUCCESS\",le=\"60.0\"} 1")
                .contains("aiflow_events_published_total{namespace=\"aiflow.tasks\"} 2.0");
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
    void jvmMetricsAreExposed() throws Exception {
        assertThat(scrape("text/plain")).contains("jvm_memory_used_bytes{area=\"heap\"}").contains("jvm_threads_current ")
                .contains("process_cpu_seconds_total");
    }

    private static Event event(long version, String namespace, String key, String value) {
        return new Event(version, namespace, key, value, "t", "s", Map.of(), Instant.now());
    }

    private static Event taskEvent(long version, long taskId, String status, Instant time) {
        return new Event(version, TaskStatusEvents.NAMESPACE, "wf/t", status, TaskStatusEvents.TYPE, TaskStatusEvents.SENDER,
                Map.of(TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID, Long.toString(taskId)), time);
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

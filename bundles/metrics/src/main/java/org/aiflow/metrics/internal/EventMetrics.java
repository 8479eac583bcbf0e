package org.aiflow.metrics.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.TaskStatusEvents;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Counts the events of the log as they are committed (every node's, as this node's subscribers
 * see them), and reads the task status events among them: transitions by status, and the time a
 * task spent from RUNNING to its end (the job's duration as the scheduler saw it), by runner type.
 */
final class EventMetrics {
    /** Running tasks remembered for their duration; beyond this the oldest are forgotten (bounded memory). */
    static final int MAX_RUNNING = 100_000;

    private final Counter published;
    private final Counter transitions;
    private final Histogram durations;
    private final Map<String, Event> running = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
            return size() > MAX_RUNNING;
        }
    };

    EventMetrics(PrometheusRegistry registry) {
        published = Counter.builder().name("aiflow_events_published_total")
                .help("Events committed to the event log, by namespace").labelNames("namespace").register(registry);
        transitions = Counter.builder().name("aiflow_task_transitions_total")
                .help("Task status changes, by the status entered").labelNames("status").register(registry);
        durations = Histogram.builder().name("aiflow_task_duration_seconds")
                .help("Time from a task entering RUNNING to its end, by final status and runner type (tasks started while metrics ran)")
                .labelNames("status", "runner").classicOnly()
                .classicUpperBounds(1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 12 * 3600, 24 * 3600)
                .withoutExemplars().register(registry);
    }

    void onEvent(Event e) {
        published.labelValues(e.namespace()).inc();
        if (TaskStatusEvents.isTaskStatusEvent(e)) {
            task(e);
        }
    }

    /** The runner type the scheduler names in its status events (since plugin API scheduler 1.5; "" in older events). */
    private static String runner(Event end, Event start) {
        String r = end.context().get(TaskStatusEvents.CONTEXT_RUNNER_TYPE);
        if (r == null) {
            r = start.context().get(TaskStatusEvents.CONTEXT_RUNNER_TYPE);
        }
        return r == null ? "" : r;
    }

    private void task(Event e) {
        transitions.labelValues(e.value()).inc();
        String id = e.context().get(TaskStatusEvents.CONTEXT_TASK_EXECUTION_ID);
        if (id == null) {
            return;
        }
        TaskStatus status;
        try {
            status = TaskStatus.valueOf(e.value());
        } catch (IllegalArgumentException unknown) {
            return;
        }
        synchronized (running) {
            if (status == TaskStatus.RUNNING) {
                running.putIfAbsent(id, e);
            } else if (status == TaskStatus.SUCCESS || status == TaskStatus.FAILED || status == TaskStatus.STOPPED) {
                Event start = running.remove(id);
                if (start != null && start.createTime() != null && e.createTime() != null) {
                    durations.labelValues(status.name(), runner(e, start)).observe(Math.max(0, Duration.between(start.createTime(), e.createTime()).toMillis() / 1000.0));
                }
            }
        }
    }
}

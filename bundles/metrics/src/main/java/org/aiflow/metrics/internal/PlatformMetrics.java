package org.aiflow.metrics.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.aiflow.api.event.NotificationService;
import org.aiflow.api.event.SubscriptionInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.scheduler.ClusterService;
import org.aiflow.api.scheduler.ClusterStatus;
import org.aiflow.api.scheduler.SchedulerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the platform's services tell through their public API, read at scrape time (subscriptions,
 * tasks not finished yet, the scheduling lease) or followed as events ({@link EventMetrics}). No
 * hook in notification or the scheduler is needed for these.
 */
final class PlatformMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformMetrics.class);
    /** Statuses of tasks still in the scheduler's hands: few rows, so counting them at every scrape stays cheap. */
    static final Set<TaskStatus> ACTIVE = EnumSet.of(TaskStatus.QUEUED, TaskStatus.WAITING, TaskStatus.RUNNING,
            TaskStatus.RETRYING, TaskStatus.STOPPING);
    /** The most rows read per status and scrape (TaskQuery's own ceiling). */
    private static final int TASK_LIMIT = 10_000;

    final EventMetrics events;
    final BoundService<SchedulerService> scheduler = new BoundService<>();
    final BoundService<ClusterService> cluster = new BoundService<>();
    private volatile NotificationService notification;
    private NotificationService.Subscription subscription;

    PlatformMetrics(PrometheusRegistry registry) {
        events = new EventMetrics(registry);
        GaugeWithCallback.builder().name("aiflow_subscription_lag_events")
                .help("Events committed after a named subscription's acknowledged cursor").labelNames("subscription")
                .callback(cb -> subscriptions().forEach(s -> cb.call(s.lag(), s.name()))).register(registry);
        GaugeWithCallback.builder().name("aiflow_subscription_last_ack_age_seconds")
                .help("Seconds since a named subscription last moved (acknowledged or was created)").labelNames("subscription")
                .callback(cb -> {
                    Instant now = Instant.now();
                    subscriptions().forEach(s -> cb.call(ageSeconds(s, now), s.name()));
                }).register(registry);
        GaugeWithCallback.builder().name("aiflow_tasks")
                .help("Task executions not finished yet, by status and runner type (QUEUED is the admission queue)")
                .labelNames("status", "runner")
                .callback(cb -> activeTasks().forEach((k, n) -> cb.call(n, k.split("\u0000")))).register(registry);
        GaugeWithCallback.builder().name("aiflow_scheduler_leader")
                .help("1 while this node holds the scheduling lease, else 0").labelNames("node")
                .callback(cb -> {
                    ClusterStatus s = clusterStatus();
                    if (s != null) {
                        cb.call(s.self() != null && s.self().equals(s.leader()) ? 1 : 0, s.self() == null ? "" : s.self());
                    }
                }).register(registry);
    }

    synchronized void bindNotification(NotificationService service) {
        closeSubscription();
        notification = service;
        try {
            // from the head: counters count what happens while this bundle runs, as Prometheus expects
            subscription = service.subscribe(service.latestVersion(), events::onEvent);
        } catch (RuntimeException e) {
            LOG.warn("Metrics cannot follow the event log ({}); event counters stay still", e.toString());
        }
    }

    /** Unbinds {@code service}, or whatever is bound when {@code service} is null. */
    synchronized void unbindNotification(NotificationService service) {
        if (service == null || notification == service) {
            closeSubscription();
            notification = null;
        }
    }

    private void closeSubscription() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the metrics subscription failed: {}", e.toString());
            }
            subscription = null;
        }
    }

    private List<SubscriptionInfo> subscriptions() {
        NotificationService n = notification;
        if (n == null) {
            return List.of();
        }
        try {
            return n.subscriptions();
        } catch (RuntimeException e) {
            // a store being switched: leave the series out of this scrape rather than fail it
            LOG.debug("Subscriptions unreadable for metrics: {}", e.toString());
            return List.of();
        }
    }

    static double ageSeconds(SubscriptionInfo s, Instant now) {
        Instant moved = s.updateTime() != null ? s.updateTime() : s.createTime();
        return moved == null ? 0 : Math.max(0, Duration.between(moved, now).toMillis() / 1000.0);
    }

    /** Counts by "status\0runner" of the tasks in {@link #ACTIVE} statuses. */
    Map<String, Integer> activeTasks() {
        SchedulerService s = scheduler.get();
        Map<String, Integer> counts = new TreeMap<>();
        if (s == null) {
            return counts;
        }
        try {
            for (TaskStatus status : ACTIVE) {
                for (TaskExecution t : s.listTasks(new TaskQuery(null, null, status, TASK_LIMIT))) {
                    counts.merge(status.name() + "\u0000" + (t.runnerType() == null ? "" : t.runnerType()), 1, Integer::sum);
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Tasks unreadable for metrics: {}", e.toString());
        }
        return counts;
    }

    private ClusterStatus clusterStatus() {
        ClusterService c = cluster.get();
        try {
            return c == null ? null : c.status();
        } catch (RuntimeException e) {
            return null;
        }
    }
}

package org.aiflow.metrics.internal;

import java.util.Map;
import java.util.function.Supplier;

import org.aiflow.api.stats.EventLogStatistics;
import org.aiflow.api.stats.HistogramSnapshot;
import org.aiflow.api.stats.SchedulerStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/**
 * What notification and the scheduler measure inside themselves (publish latency, group-commit sizes,
 * decision latency, the scheduler's queue, failed submits), read at scrape time from their
 * statistics services ({@link EventLogStatistics}, {@link SchedulerStatistics}). The core keeps the
 * counts (fixed buckets, adders) and knows nothing of Prometheus; this class only converts them.
 * A series is left out while its service is absent.
 */
final class CoreMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(CoreMetrics.class);
    private static final double SECONDS_PER_NANO = 1e-9;

    final BoundService<EventLogStatistics> events = new BoundService<>();
    final BoundService<SchedulerStatistics> scheduler = new BoundService<>();

    CoreMetrics(PrometheusRegistry registry) {
        registry.register(histogram("aiflow_event_publish_duration_seconds",
                "Time from a publish call (one event or a batch) to the commit that made it durable, on this node",
                SECONDS_PER_NANO, () -> events.get() == null ? null : events.get().publishNanos()));
        registry.register(histogram("aiflow_event_commit_batch_size",
                "Events per commit of this node's group committer (one commit carries the events of many publishers)",
                1, () -> events.get() == null ? null : events.get().commitBatchEvents()));
        registry.register(histogram("aiflow_scheduler_decision_duration_seconds",
                "Time from an event's arrival in the scheduler's queue to the commit of the decision it caused "
                        + "(events that changed something), on this node",
                SECONDS_PER_NANO, () -> scheduler.get() == null ? null : scheduler.get().decisionNanos()));
        GaugeWithCallback.builder().name("aiflow_scheduler_queued_events")
                .help("Events waiting in this node's scheduler to be decided (0 on a node that does not lead)")
                .callback(cb -> {
                    SchedulerStatistics s = scheduler.get();
                    if (s != null) {
                        cb.call(read(s::queuedEvents, 0));
                    }
                }).register(registry);
        CounterWithCallback.builder().name("aiflow_runner_submit_failures")
                .help("Job submits that failed on this node (the runner refused or threw, or the job's files or token could not be made), "
                        + "by runner type")
                .labelNames("runner")
                .callback(cb -> {
                    SchedulerStatistics s = scheduler.get();
                    if (s != null) {
                        read(s::submitFailures, Map.<String, Long>of()).forEach((runner, n) -> cb.call(n, runner));
                    }
                }).register(registry);
    }

    /** A classic histogram of {@code source}'s buckets, their bounds multiplied by {@code scale} (nanoseconds to seconds). */
    static Collector histogram(String name, String help, double scale, Supplier<HistogramSnapshot> source) {
        return () -> {
            io.prometheus.metrics.model.snapshots.HistogramSnapshot.Builder family =
                    io.prometheus.metrics.model.snapshots.HistogramSnapshot.builder().name(name).help(help);
            HistogramSnapshot h = read(source, null);
            if (h != null) {
                family.dataPoint(dataPoint(h, scale));
            }
            return family.build();
        };
    }

    static HistogramDataPointSnapshot dataPoint(HistogramSnapshot h, double scale) {
        long[] bounds = h.upperBounds();
        double[] upper = new double[bounds.length + 1];
        for (int i = 0; i < bounds.length; i++) {
            upper[i] = bounds[i] * scale;
        }
        upper[bounds.length] = Double.POSITIVE_INFINITY;
        return HistogramDataPointSnapshot.builder().classicHistogramBuckets(ClassicHistogramBuckets.of(upper, h.bucketCounts()))
                .sum(h.sum() * scale).build();
    }

    /** Asks a service that may be going away (a storage switch re-creates notification): a failed read leaves the series out. */
    private static <T> T read(Supplier<T> source, T otherwise) {
        try {
            return source.get();
        } catch (RuntimeException e) {
            LOG.debug("Statistics unreadable for metrics: {}", e.toString());
            return otherwise;
        }
    }
}

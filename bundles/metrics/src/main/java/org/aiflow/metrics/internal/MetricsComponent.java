package org.aiflow.metrics.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.aiflow.api.event.NotificationService;
import org.aiflow.api.scheduler.ClusterService;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.stats.EventLogStatistics;
import org.aiflow.api.stats.SchedulerStatistics;
import org.aiflow.metrics.AiflowMetrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The registry and its exposition. Every service it reads is optional and dynamic: metrics never
 * keep the platform from starting, and a storage switch (which rebinds notification and the
 * scheduler) does not restart this component or reset its counters.
 */
@Component(service = AiflowMetrics.class, immediate = true)
public class MetricsComponent implements AiflowMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final PlatformMetrics platform = new PlatformMetrics(registry);
    private final RestMetrics rest = new RestMetrics(registry);
    private final CoreMetrics core = new CoreMetrics(registry);

    @Activate
    void activate() {
        JvmMetrics.builder().register(registry);
        PoolMetrics.register(registry);
    }

    @Deactivate
    void deactivate() {
        platform.unbindNotification(null);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindNotification")
    void bindNotification(NotificationService service) {
        platform.bindNotification(service);
    }

    void unbindNotification(NotificationService service) {
        platform.unbindNotification(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindScheduler")
    void bindScheduler(SchedulerService service) {
        platform.scheduler.bind(service);
    }

    void unbindScheduler(SchedulerService service) {
        platform.scheduler.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindCluster")
    void bindCluster(ClusterService service) {
        platform.cluster.bind(service);
    }

    void unbindCluster(ClusterService service) {
        platform.cluster.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindEventLogStatistics")
    void bindEventLogStatistics(EventLogStatistics service) {
        core.events.bind(service);
    }

    void unbindEventLogStatistics(EventLogStatistics service) {
        core.events.unbind(service);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, unbind = "unbindSchedulerStatistics")
    void bindSchedulerStatistics(SchedulerStatistics service) {
        core.scheduler.bind(service);
    }

    void unbindSchedulerStatistics(SchedulerStatistics service) {
        core.scheduler.unbind(service);
    }

    @Override
    public void requestServed(String resource, String method, int status, long nanos) {
        rest.served(resource, method, status, nanos);
    }

    @Override
    public Scrape scrape(String accept) throws IOException {
        return scrape(registry, formats, accept);
    }

    static Scrape scrape(PrometheusRegistry registry, ExpositionFormats formats, String accept) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) {
            // the protobuf format is not shipped: a client asking for it gets text
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        return new Scrape(writer.getContentType(), out.toByteArray());
    }

    PrometheusRegistry registry() {
        return registry;
    }

    PlatformMetrics platform() {
        return platform;
    }
}

package org.aiflow.sample.exporter;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.aiflow.api.event.NotificationService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A sample event exporter, the template for bundles that consume the event log: copy this module and
 * replace the sinks with yours.
 *
 * <p>It exports the events of chosen namespaces to a file as JSON lines or to a webhook (HTTP POST),
 * resuming from a named durable subscription of the {@link NotificationService}: after a restart it
 * goes on after the last version it acknowledged, so no event is missed. The guarantee is
 * at-least-once (see {@link Exporter}); the file sink writes every event exactly once.
 *
 * <p>Configuration PID {@value #PID} ({@code etc/org.aiflow.sample.exporter.cfg}); the component
 * starts only with a configuration, which the {@code aiflow-sample-exporter} feature brings. A
 * changed configuration restarts the export (DS deactivates and activates the component again),
 * which goes on from the same subscription's cursor if its name stayed. An invalid configuration is
 * refused with its reason in the log and the exporter does not start.
 */
@Component(service = EventExporter.class, immediate = true, configurationPid = EventExporter.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EventExporter.Config.class)
public class EventExporter {
    static final String PID = "org.aiflow.sample.exporter";

    @ObjectClassDefinition(name = "AI Flow sample: event exporter",
            description = "Exports events to a JSON-lines file or a webhook, resuming from a named subscription")
    public @interface Config {
        @AttributeDefinition(name = "Subscription", description = "Name of the durable subscription that keeps the exporter's place")
        String subscription() default "sample-exporter";

        @AttributeDefinition(name = "Namespaces", description = "Namespaces to export (a list, or one comma-separated string); empty: all")
        String[] namespaces() default {};

        @AttributeDefinition(name = "File", description = "JSON-lines file to append to; set this or the webhook URL")
        String file() default "";

        @AttributeDefinition(name = "Webhook URL", description = "http(s) URL to POST pages of events to (application/x-ndjson); set this or the file")
        String webhookUrl() default "";

        @AttributeDefinition(name = "Webhook Authorization", description = "Value of the Authorization header of webhook calls, e.g. Bearer <token>",
                type = AttributeType.PASSWORD)
        String webhookAuthorization() default "";

        @AttributeDefinition(name = "Start at", description = "Where a new subscription starts: LATEST (new events only) or EARLIEST (every stored event)")
        String startAt() default "LATEST";

        @AttributeDefinition(name = "Batch size", description = "Events per write or POST, 1 to 10000")
        int batchSize() default 500;

        @AttributeDefinition(name = "Poll interval (ms)", description = "Longest wait for new events (other nodes' events are seen at the latest then)")
        long pollMillis() default 1000;

        @AttributeDefinition(name = "Retry interval (ms)", description = "Wait after a failed export before trying again")
        long retryMillis() default 5000;

        @AttributeDefinition(name = "Webhook timeout (s)", description = "Connect and response timeout of a webhook call")
        int webhookTimeoutSeconds() default 10;
    }

    private final Exporter exporter;

    @Activate
    public EventExporter(@Reference NotificationService notifications, Config config) {
        this.exporter = new Exporter(notifications, settings(config), sink(config));
        exporter.start();
    }

    @Deactivate
    void deactivate() {
        exporter.close();
    }

    /** Events exported since the activation. */
    public long exported() {
        return exporter.exported();
    }

    /** The subscription's acknowledged version as last seen; -1 before the first read. */
    public long cursor() {
        return exporter.cursor();
    }

    static Exporter.Settings settings(Config config) {
        String name = config.subscription().trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(PID + ": 'subscription' must not be empty");
        }
        List<String> namespaces = new ArrayList<>();
        for (String entry : config.namespaces()) {
            for (String ns : entry.split("[,\\s]+")) { // a .cfg file may give one comma-separated string
                if (!ns.isEmpty()) {
                    namespaces.add(ns);
                }
            }
        }
        Exporter.StartAt startAt;
        try {
            startAt = Exporter.StartAt.valueOf(config.startAt().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": 'startAt' must be LATEST or EARLIEST, got '" + config.startAt() + "'");
        }
        try {
            return new Exporter.Settings(name, namespaces, startAt, config.batchSize(), config.pollMillis(), config.retryMillis());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + ": " + e.getMessage());
        }
    }

    static Sink sink(Config config) {
        String file = config.file().trim();
        String url = config.webhookUrl().trim();
        if (file.isEmpty() == url.isEmpty()) {
            throw new IllegalArgumentException(PID + ": set either 'file' or 'webhookUrl'");
        }
        if (!file.isEmpty()) {
            return new FileSink(Path.of(file));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(PID + ": 'webhookUrl' is not a URL: " + e.getMessage());
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(PID + ": 'webhookUrl' must be an http or https URL, got '" + url + "'");
        }
        if (config.webhookTimeoutSeconds() < 1) {
            throw new IllegalArgumentException(PID + ": 'webhookTimeoutSeconds' must be positive");
        }
        return new WebhookSink(uri, config.webhookAuthorization().trim(), Duration.ofSeconds(config.webhookTimeoutSeconds()));
    }
}

package org.aiflow.sample.exporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EventExporterConfigTest {

    /** The configuration as DS would pass it: the given values, the annotation's defaults for the rest. */
    private static EventExporter.Config config(Map<String, Object> values) {
        return (EventExporter.Config) Proxy.newProxyInstance(EventExporter.Config.class.getClassLoader(),
                new Class<?>[] {EventExporter.Config.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName()) : method.getDefaultValue());
    }

    @Test
    void theDefaultsWithAFile() {
        EventExporter.Config config = config(Map.of("file", "/tmp/x/events.jsonl", "namespaces", new String[] {"ml, default", "audit"}));
        Exporter.Settings settings = EventExporter.settings(config);
        assertThat(settings).isEqualTo(new Exporter.Settings("sample-exporter", List.of("ml", "default", "audit"), Exporter.StartAt.LATEST,
                500, 1000, 5000));
        assertThat(EventExporter.sink(config)).isInstanceOfSatisfying(FileSink.class,
                s -> assertThat(s.file()).isEqualTo(Path.of("/tmp/x/events.jsonl")));
        assertThat(EventExporter.settings(config(Map.of("startAt", "earliest"))).startAt()).isEqualTo(Exporter.StartAt.EARLIEST);
        assertThat(EventExporter.sink(config(Map.of("webhookUrl", "https://hooks.example.com/aiflow", "webhookAuthorization", "Bearer x"))))
                .isInstanceOf(WebhookSink.class).hasToString("webhook https://hooks.example.com/aiflow");
    }

    @Test
    void anInvalidConfigurationIsRefusedWithItsReason() {
        assertThatThrownBy(() -> EventExporter.sink(config(Map.of()))).hasMessage("org.aiflow.sample.exporter: set either 'file' or 'webhookUrl'");
        assertThatThrownBy(() -> EventExporter.sink(config(Map.of("file", "a", "webhookUrl", "http://h/")))).hasMessageContaining("either");
        assertThatThrownBy(() -> EventExporter.sink(config(Map.of("webhookUrl", "ftp://h/x")))).hasMessageContaining("must be an http or https URL");
        assertThatThrownBy(() -> EventExporter.sink(config(Map.of("webhookUrl", "http://h/x", "webhookTimeoutSeconds", 0))))
                .hasMessageContaining("'webhookTimeoutSeconds' must be positive");
        assertThatThrownBy(() -> EventExporter.settings(config(Map.of("startAt", "now")))).hasMessageContaining("'startAt' must be LATEST or EARLIEST");
        assertThatThrownBy(() -> EventExporter.settings(config(Map.of("batchSize", 0)))).hasMessageContaining("batchSize must be 1 to 10000");
        assertThatThrownBy(() -> EventExporter.settings(config(Map.of("subscription", " ")))).hasMessageContaining("'subscription' must not be empty");
    }
}

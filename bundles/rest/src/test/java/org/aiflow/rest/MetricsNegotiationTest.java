package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.ws.rs.core.MediaType;

import org.junit.jupiter.api.Test;

/** GET /metrics: which Accept headers get the Prometheus exposition and which keep the JSON list. */
class MetricsNegotiationTest {

    /** The header's types by quality, as JAX-RS' getAcceptableMediaTypes hands them over. */
    private static List<MediaType> accept(String header) {
        return Stream.of(header.split(",")).map(String::trim).map(MediaType::valueOf)
                .sorted(Comparator.comparingDouble(t -> -Double.parseDouble(t.getParameters().getOrDefault("q", "1"))))
                .toList();
    }

    @Test
    void prometheusAndPlainTextGetTheExposition() {
        assertThat(MetricsBridge.wantsExposition(accept("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))).isTrue();
        assertThat(MetricsBridge.wantsExposition(accept("text/plain"))).isTrue();
        assertThat(MetricsBridge.wantsExposition(accept("application/json;q=0.2, text/plain"))).isTrue();
    }

    @Test
    void jsonWildcardsAndNoPreferenceKeepTheJsonList() {
        assertThat(MetricsBridge.wantsExposition(List.of())).isFalse();
        assertThat(MetricsBridge.wantsExposition(accept("*/*"))).isFalse();
        assertThat(MetricsBridge.wantsExposition(accept("application/json"))).isFalse();
        assertThat(MetricsBridge.wantsExposition(accept("text/*"))).isFalse();
        assertThat(MetricsBridge.wantsExposition(accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))).isFalse();
    }
}

package org.aiflow.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.SubscriptionInfo;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class AiflowJsonTest {
    private final ObjectMapper json = AiflowJson.newMapper();

    @Test
    void eventsRoundTripWithIsoInstants() throws Exception {
        Event e = new Event(7, "ns", "k", "v", "T", "s", Map.of("a", "b"), Instant.parse("2026-01-31T12:00:00.123Z"));
        String text = json.writeValueAsString(e);
        assertThat(text).contains("\"createTime\":\"2026-01-31T12:00:00.123Z\"").contains("\"version\":7");
        assertThat(json.readValue(text, Event.class)).isEqualTo(e);
    }

    @Test
    void subscriptionsShowTheirLag() throws Exception {
        SubscriptionInfo info = new SubscriptionInfo("s", 3, 10, Instant.EPOCH, Instant.EPOCH);
        String text = json.writeValueAsString(info);
        assertThat(text).contains("\"lag\":7");
        assertThat(json.readValue(text, SubscriptionInfo.class)).isEqualTo(info);
    }

    @Test
    void draftsAreValidatedAndStrict() {
        assertThatThrownBy(() -> json.readValue("{\"key\":\"k\",\"colour\":\"red\"}", EventDraft.class)).hasMessageContaining("colour");
        assertThatThrownBy(() -> json.readValue("{\"key\":\"\"}", EventDraft.class)).hasMessageContaining("key is required");
        assertThatThrownBy(() -> json.readValue("{\"key\":[1]}", EventDraft.class)).hasMessageContaining("key");
        assertThatThrownBy(() -> json.readValue("{\"key\":5}", EventDraft.class)).hasMessageContaining("String");
        assertThatThrownBy(() -> json.readValue("{\"key\":true}", EventDraft.class)).hasMessageContaining("String");
        assertThatThrownBy(() -> json.readValue("{\"key\":\"k\",\"createTime\":\"yesterday\"}", Event.class)).hasMessageContaining("ISO-8601");
    }
}

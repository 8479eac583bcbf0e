package org.aiflow.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.metadata.MetricPoint;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class StrictTextTest {
    private final ObjectMapper json = AiflowJson.newMapper();

    record Ints(int i, Long l, boolean b, Double d) {
    }

    @Test
    void utf8IsDecodedStrictly() {
        assertThat(StrictText.decodeUtf8("body", "{\"k\":\"ü 模型 🚀\"}".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("{\"k\":\"ü 模型 🚀\"}");
        for (byte[] bad : List.of(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}, // overlong '/'
                new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong, 3 bytes
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate (CESU)
                new byte[] {(byte) 0xFF}, new byte[] {'a', (byte) 0xE2, (byte) 0x82}, // garbage, truncated
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})) { // above U+10FFFF
            assertThatThrownBy(() -> StrictText.decodeUtf8("body", bad)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("body is not valid UTF-8");
        }
    }

    @Test
    void unpairedSurrogateEscapesAreFound() {
        assertThatCode(() -> StrictText.checkJsonEscapes("b", "{\"k\":\"\\ud83d\\ude80 \\\\ud800 \\n\\u0041\"}")).doesNotThrowAnyException();
        for (String bad : List.of("\"\\ud800x\"", "\"\\udc00\"", "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"\\ud800\\ud800\\udc00\"",
                "{\"\\uDFFF\":1}", "\"\\\\\\ud800\"")) {
            assertThatThrownBy(() -> StrictText.checkJsonEscapes("b", bad)).as(bad).hasMessageContaining("unpaired surrogate");
        }
    }

    @Test
    void instantsStayWithinTheStoresRange() {
        assertThat(StrictText.instant("t", "2026-01-31T12:00:00Z")).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(StrictText.instant("t", "9999-12-31T23:59:59Z")).isNotNull();
        for (String bad : List.of("+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z", "yesterday", "")) {
            assertThatThrownBy(() -> StrictText.instant("query parameter 'fromTime'", bad)).as(bad)
                    .hasMessageContaining("query parameter 'fromTime' must be an ISO-8601 instant").hasMessageContaining("9999-12-31");
        }
        assertThatThrownBy(() -> json.readValue("{\"key\":\"k\",\"value\":1,\"timestamp\":\"+1000000000-01-01T00:00:00Z\"}",
                MetricPoint.class)).hasMessageContaining("from 0000-01-01T00:00:00Z");
    }

    @Test
    void scalarsOfTheWrongKindAreRejected() throws Exception {
        assertThat(json.readValue("{\"i\":1,\"l\":2,\"b\":true,\"d\":1}", Ints.class)).isEqualTo(new Ints(1, 2L, true, 1.0));
        for (String bad : List.of("{\"i\":1.5}", "{\"l\":1.5}", "{\"l\":1e3}", "{\"i\":\"1\"}", "{\"l\":\"2\"}", "{\"i\":true}",
                "{\"b\":1}", "{\"b\":\"true\"}", "{\"d\":\"1.0\"}", "{\"d\":false}", "{\"i\":null}", "{\"b\":null}",
                "{\"l\":99999999999999999999}", "{\"i\":4294967296}", "{\"i\":1} {\"i\":2}", "{\"i\":1} x", "{\"i\":1}]")) {
            assertThatThrownBy(() -> json.readValue(bad, Ints.class)).as(bad).isInstanceOf(java.io.IOException.class);
        }
    }
}

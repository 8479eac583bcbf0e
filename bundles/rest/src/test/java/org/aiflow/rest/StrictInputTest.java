package org.aiflow.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.aiflow.api.error.TooLargeException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.metadata.DatasetDraft;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JavaType;

/** The REST layer's input rules, without OSGi or a JAX-RS runtime. */
class StrictInputTest {
    private static final JavaType DRAFT = JsonProvider.MAPPER.constructType(EventDraft.class);

    private static Object read(String body, JavaType type) {
        return JsonProvider.read(body.getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void aBodyIsOneJsonObjectInStrictUtf8() {
        assertThat(read("{\"key\":\"k ü\",\"value\":\"v\"}", DRAFT)).isEqualTo(EventDraft.of("k ü", "v"));
        for (String bad : List.of("null", "[]", "\"x\"", "1", "true", "", "  ", "{\"key\":\"k\"} {\"key\":\"k\"}",
                "{\"key\":\"k\"} trailing", "{\"key\":\"\\ud800x\"}", "{\"key\":\"k\",", "{\"key\":\"k\",\"extra\":1}",
                "{\"key\":1}", "{\"key\":\"a\",\"key\":\"b\"}", "{\"key\":\"k\",\"context\":{\"a\":\"1\",\"a\":\"2\"}}")) {
            assertThatThrownBy(() -> read(bad, DRAFT)).as(bad).isInstanceOf(ValidationException.class);
        }
        byte[] overlong = {'{', '"', 'k', 'e', 'y', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
        assertThatThrownBy(() -> JsonProvider.read(overlong, DRAFT)).hasMessageContaining("not valid UTF-8");
        // UTF-16 is not guessed: JSON is UTF-8
        assertThatThrownBy(() -> JsonProvider.read("{\"key\":\"k\"}".getBytes(StandardCharsets.UTF_16LE), DRAFT))
                .isInstanceOf(ValidationException.class);
        assertThat(read("[{\"key\":\"k\"}]", JsonProvider.MAPPER.getTypeFactory().constructCollectionType(List.class, EventDraft.class)))
                .asList().hasSize(1);
    }

    @Test
    void aLineageDatasetOrArtifactNeedsNoVersion() {
        JavaType record = JsonProvider.MAPPER.constructType(LineageResource.RecordRequest.class);
        LineageResource.RecordRequest r = (LineageResource.RecordRequest) read("{\"namespace\":\"ns\",\"taskExecutionId\":1,\"direction\":\"READ\","
                + "\"entities\":[{\"kind\":\"DATASET\",\"name\":\"ds\"},{\"kind\":\"ARTIFACT\",\"name\":\"a\",\"version\":0},"
                + "{\"kind\":\"MODEL_VERSION\",\"name\":\"m\",\"version\":2}]}", record);
        assertThat(r.lineageEntities()).containsExactly(org.aiflow.api.metadata.LineageEntity.dataset("ds"),
                org.aiflow.api.metadata.LineageEntity.artifact("a"), org.aiflow.api.metadata.LineageEntity.modelVersion("m", 2));
        // a model version still needs its version; a dataset has none
        LineageResource.RecordRequest noVersion = (LineageResource.RecordRequest) read("{\"taskExecutionId\":1,\"direction\":\"WROTE\","
                + "\"entities\":[{\"kind\":\"MODEL_VERSION\",\"name\":\"m\"}]}", record);
        assertThatThrownBy(noVersion::lineageEntities).isInstanceOf(ValidationException.class).hasMessageContaining("version of 1 or more");
        LineageResource.RecordRequest datasetVersion = (LineageResource.RecordRequest) read("{\"taskExecutionId\":1,\"direction\":\"READ\","
                + "\"entities\":[{\"kind\":\"DATASET\",\"name\":\"ds\",\"version\":3}]}", record);
        assertThatThrownBy(datasetVersion::lineageEntities).hasMessageContaining("only a MODEL_VERSION lineage entity has a version");
        LineageResource.RecordRequest nullEntry = (LineageResource.RecordRequest) read("{\"taskExecutionId\":1,\"direction\":\"READ\","
                + "\"entities\":[null]}", record);
        assertThatThrownBy(nullEntry::lineageEntities).isInstanceOf(ValidationException.class).hasMessageContaining("'entities[0]' must be an object");
        assertThatThrownBy(() -> read("{\"taskExecutionId\":1,\"direction\":\"READ\",\"entities\":[{\"kind\":\"MODEL_VERSION\",\"name\":\"m\",\"version\":1.5}]}",
                record)).hasMessageContaining("'entities[0].version' must be an integer");
    }

    @Test
    void messagesNameTheField() {
        JavaType update = JsonProvider.MAPPER.constructType(DatasetsResource.Update.class);
        assertThatThrownBy(() -> read("{\"revision\":1.5,\"dataset\":{}}", update)).hasMessageContaining("'revision' must be an integer");
        assertThatThrownBy(() -> read("{\"revision\":\"1\",\"dataset\":{}}", update)).hasMessageContaining("'revision' must be an integer");
        assertThatThrownBy(() -> read("{\"revision\":99999999999999999999999,\"dataset\":{}}", update))
                .isInstanceOf(ValidationException.class).hasMessageContaining("out of range");
        JavaType log = JsonProvider.MAPPER.constructType(MetricsResource.LogRequest.class);
        assertThatThrownBy(() -> read("{\"values\":[{\"key\":\"k\",\"value\":1,\"step\":1.5}]}", log))
                .hasMessageContaining("'values[0].step' must be an integer");
        assertThatThrownBy(() -> read("{\"values\":[{\"key\":\"k\",\"value\":1,\"timestamp\":\"+1000000000-01-01T00:00:00Z\"}]}", log))
                .hasMessageContaining("'values[0].timestamp' must be an ISO-8601 instant").hasMessageContaining("9999-12-31");
        assertThatThrownBy(() -> read("{\"name\":\"..\",\"uri\":\"file:/x\"}", JsonProvider.MAPPER.constructType(DatasetDraft.class)))
                .hasMessageContaining("dataset name '..' is invalid");
        assertThatThrownBy(() -> read("{\"taskExecutionId\":1.5,\"direction\":\"READ\",\"entities\":[]}",
                JsonProvider.MAPPER.constructType(LineageResource.RecordRequest.class))).hasMessageContaining("'taskExecutionId' must be an integer");
    }

    @Test
    void tooLargeStaysA413() {
        assertThat(JsonProvider.translate(new BodyLimitFilter.TooLarge(10))).isInstanceOf(TooLargeException.class);
    }

    @Test
    void contentTypesAreJsonInUtf8() {
        List<String> json = List.of("application/json", MediaTypes.ANY_JSON);
        for (String ok : List.of("application/json", "Application/JSON; charset=UTF-8", "application/json;charset=\"utf-8\"",
                "application/vnd.aiflow+json", "application/problem+json")) {
            assertThat(MediaTypes.supported(ok, json)).as(ok).isTrue();
        }
        for (String bad : List.of("", " ", "garbage", "text/plain", "application/xml", "application/json; charset=ISO-8859-1",
                "application/*", "*/*", "application/json, text/plain", "application/jsonx", "/json", "application/json;;q")) {
            assertThat(MediaTypes.supported(bad, json)).as(bad).isFalse();
        }
        assertThat(MediaTypes.supported(null, json)).isFalse();
        assertThat(MediaTypes.isJson("application/yaml")).isFalse();
        assertThat(MediaTypes.supported("text/yaml", MediaTypes.YAML)).isTrue();
    }

    @Test
    void acceptHonoursQZero() {
        List<String> json = List.of("application/json");
        for (String ok : List.of("application/json", "*/*", "application/*", "text/html, */*;q=0.1", "application/json;q=0.001")) {
            assertThat(MediaTypes.acceptable(ok, json)).as(ok).isTrue();
        }
        assertThat(MediaTypes.acceptable(null, json)).isTrue();
        assertThat(MediaTypes.acceptable("", json)).isTrue();
        for (String bad : List.of("application/json;q=0", "text/html", "application/json;q=0, */*", "*/*;q=0", "application/xml",
                "text/event-stream")) {
            assertThat(MediaTypes.acceptable(bad, json)).as(bad).isFalse();
        }
        assertThat(MediaTypes.acceptable("text/event-stream", List.of("text/event-stream"))).isTrue();
        for (String malformed : List.of("garbage", "application/json;q=2", "application/json;q=x")) {
            assertThatThrownBy(() -> MediaTypes.acceptable(malformed, json)).as(malformed).hasMessageContaining("Accept");
        }
    }

    @Test
    void workflowUploadsAreOneObjectOrMapping() {
        byte[] yaml = "name: w\ntasks: []\n".getBytes(StandardCharsets.UTF_8);
        assertThat(WorkflowDocuments.check("application/yaml", yaml)).startsWith("name: w");
        assertThat(WorkflowDocuments.check("application/json", "{\"name\":\"w\"}".getBytes(StandardCharsets.UTF_8))).isNotNull();
        for (String[] bad : List.of(new String[] {"application/json", "null"}, new String[] {"application/json", "[]"},
                new String[] {"application/json", "{\"name\":\"w\"} trailing"}, new String[] {"application/json", "{\"a\":1}{\"a\":2}"},
                new String[] {"application/json", "{\"name\":\"\\ud800x\"}"}, new String[] {"application/yaml", "null"},
                new String[] {"application/yaml", "name: w\n---\nname: v\n"}, new String[] {"application/yaml", "- a\n- b\n"},
                new String[] {"text/yaml", "name: \"\\ud800x\"\n"}, new String[] {"application/yaml", "just text"},
                new String[] {"application/yaml", "name: w\n  bad: [\n"}, new String[] {"application/yaml", ""})) {
            assertThatThrownBy(() -> WorkflowDocuments.check(bad[0], bad[1].getBytes(StandardCharsets.UTF_8)))
                    .as(bad[1]).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> WorkflowDocuments.check("application/yaml", new byte[] {'n', ':', ' ', (byte) 0xC0, (byte) 0xAF}))
                .hasMessageContaining("not valid UTF-8");
    }
}

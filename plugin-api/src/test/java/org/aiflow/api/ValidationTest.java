package org.aiflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void eventDraftAppliesDefaults() {
        EventDraft d = EventDraft.of("model.deployed", null);
        assertThat(d.namespace()).isEqualTo("default");
        assertThat(d.type()).isEqualTo("UNDEFINED");
        assertThat(d.value()).isEmpty();
        assertThat(d.sender()).isEmpty();
        assertThat(d.context()).isEmpty();
    }

    @Test
    void eventDraftKeepsUnicodeAndQuotesInKeys() {
        EventDraft d = EventDraft.of("mödel 'x' %_\\", "v");
        assertThat(d.key()).isEqualTo("mödel 'x' %_\\");
    }

    @Test
    void eventDraftRejectsBadFields() {
        assertThatThrownBy(() -> EventDraft.of("", "v")).isInstanceOf(ValidationException.class).hasMessageContaining("key is required");
        assertThatThrownBy(() -> EventDraft.of("a\nb", "v")).hasMessageContaining("control character");
        assertThatThrownBy(() -> EventDraft.of("x".repeat(256), "v")).hasMessageContaining("longer than 255");
        assertThatThrownBy(() -> new EventDraft("bad ns", "k", "v", null, null, null, null)).hasMessageContaining("namespace 'bad ns' is invalid");
        assertThatThrownBy(() -> new EventDraft(null, "k", "v", "a b", null, null, null)).hasMessageContaining("type 'a b' is invalid");
        assertThatThrownBy(() -> new EventDraft(null, "k", "v", null, "x y", null, null)).hasMessageContaining("sender 'x y' is invalid");
        assertThatThrownBy(() -> EventDraft.of("k", "xx").checkValueSize(1)).hasMessageContaining("2 bytes, more than the limit of 1");
    }

    @Test
    void workflowRejectsDuplicateTasksAndEmptyWorkflows() {
        TaskDefinition t = new TaskDefinition("t", null, new JobSpec("process", Map.of()), null);
        assertThatThrownBy(() -> new WorkflowDefinition(null, "w", null, List.of(t, t))).hasMessageContaining("two tasks named 't'");
        assertThatThrownBy(() -> new WorkflowDefinition(null, "w", null, List.of())).hasMessageContaining("has no tasks");
        assertThatThrownBy(() -> new WorkflowDefinition(null, "w;drop", null, List.of(t))).hasMessageContaining("workflow name");
    }

    @Test
    void taskWithoutStartRuleStartsWithExecution() {
        JobSpec job = new JobSpec("process", Map.of());
        assertThat(new TaskDefinition("a", null, job, null).startsWithExecution()).isTrue();
        Rule start = new Rule(new ConditionSpec("event", Map.of("key", "k")), Action.START);
        assertThat(new TaskDefinition("b", null, job, List.of(start)).startsWithExecution()).isFalse();
    }

    @Test
    void namesAreOnePathSegment() {
        assertThat(org.aiflow.api.error.Names.name("dataset name", "it's 100% _x_ \"ü\" 模型 🚀 a.b")).isNotNull();
        for (String bad : List.of(".", "..", "../../etc/passwd", "a/b", "a\\b", "..\\..\\pid", "a\u0000b", "tab\tx",
                "\ud800x", "x\udc00", "")) {
            assertThatThrownBy(() -> org.aiflow.api.error.Names.name("dataset name", bad))
                    .as(bad).isInstanceOf(ValidationException.class).hasMessageContaining("dataset name");
        }
        assertThatThrownBy(() -> org.aiflow.api.error.Names.name("n", "x".repeat(256))).hasMessageContaining("longer than 255");
        assertThat(org.aiflow.api.error.Names.name("n", "x".repeat(255))).hasSize(255);
        // every identifier is a name
        assertThat(org.aiflow.api.error.Names.name("n", org.aiflow.api.error.Names.identifier("n", "a..b"))).isEqualTo("a..b");
    }

    @Test
    void metadataNamesFollowTheNameGrammarButMetricKeysMayHoldSlashes() {
        assertThatThrownBy(() -> new org.aiflow.api.metadata.ArtifactDraft("..", "text", "file:/x", null, null))
                .hasMessageContaining("artifact name");
        assertThat(new org.aiflow.api.metadata.MetricPoint("train/loss", 1.0, null, null, null, null).key()).isEqualTo("train/loss");
    }
}

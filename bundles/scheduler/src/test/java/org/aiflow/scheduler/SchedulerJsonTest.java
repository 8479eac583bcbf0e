package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

class SchedulerJsonTest {
    private static WorkflowDefinition read(String json) {
        return SchedulerJson.readWorkflow("test.json", json);
    }

    @Test
    void readsAWorkflowFile() {
        WorkflowDefinition def = read("""
                {"name": "hello", "tasks": [{"name": "greet", "kind": "BATCH",
                  "job": {"runnerType": "process", "config": {"command": "echo hi"}},
                  "rules": [{"condition": {"type": "event", "config": {"key": "hello"}}, "action": "START"}]}]}
                """);
        assertThat(def.namespace()).isEqualTo("default");
        assertThat(def.tasks().get(0).kind()).isEqualTo(TaskKind.BATCH);
        assertThat(def.tasks().get(0).job().config()).isEqualTo(Map.of("command", "echo hi"));
        assertThat(def.tasks().get(0).rules().get(0).action()).isEqualTo(Action.START);
    }

    @Test
    void reportsWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> read("{\"name\": \"x\", \"tasks\": [")).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("test.json: ").hasMessageContaining("line 1");
        assertThatThrownBy(() -> read("{\"name\": \"x\", \"colour\": \"red\", \"tasks\": [{\"name\": \"t\", "
                + "\"job\": {\"runnerType\": \"process\"}}]}")).hasMessageContaining("colour");
        assertThatThrownBy(() -> read("{\"name\": \"x\", \"tasks\": []}")).hasMessage("test.json: workflow 'x' has no tasks");
        assertThatThrownBy(() -> read("{\"name\": \"x\", \"tasks\": [{\"name\": \"t\", \"job\": {\"runnerType\": \"process\"},"
                + " \"rules\": [{\"condition\": {\"type\": \"event\"}, \"action\": \"LAUNCH\"}]}]}")).hasMessageContaining("LAUNCH");
    }
}

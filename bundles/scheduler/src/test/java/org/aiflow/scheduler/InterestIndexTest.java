package org.aiflow.scheduler;

import static org.aiflow.api.workflow.Workflows.event;
import static org.aiflow.api.workflow.Workflows.workflow;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

class InterestIndexTest {

    private static WorkflowDefinition listening(String name, String key) {
        return workflow(name).task("t", t -> t.process("true").startOn(event(key))).build();
    }

    private static String key(String namespace, String key) {
        return EventInterest.keyOf(new Event(1, namespace, key, "", null, null, Map.of(), null));
    }

    @Test
    void findsTheItemsThatMayReactInTheirOriginalOrder() {
        WorkflowDefinition a = listening("a", "go");
        WorkflowDefinition b = listening("b", "other");
        WorkflowDefinition c = listening("c", "go*"); // a wildcard: interested in every event
        WorkflowDefinition d = listening("d", "go");
        InterestIndex<WorkflowDefinition> index = new InterestIndex<>(List.of(a, b, c, d), EventInterest::ofTasks);

        assertThat(index.candidates(key("default", "go"))).containsExactly(a, c, d);
        assertThat(index.candidates(key("default", "other"))).containsExactly(b, c);
        assertThat(index.candidates(key("default", "nothing"))).containsExactly(c);
        assertThat(index.candidates(key("elsewhere", "go"))).containsExactly(c);
    }
}

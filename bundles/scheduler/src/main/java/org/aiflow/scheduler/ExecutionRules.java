package org.aiflow.scheduler;

import java.util.List;
import java.util.Map;

import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;

/** What the rules of a task tell about when it can start, for deciding whether an execution has ended. */
final class ExecutionRules {
    private ExecutionRules() {
    }

    /**
     * True if the task has a START or RESTART rule that something other than the statuses of its
     * own execution's tasks can fire (an event, a task of another workflow, a plugin condition).
     */
    static boolean startableFromOutside(TaskDefinition task) {
        for (Rule rule : task.effectiveRules()) {
            if ((rule.action() == Action.START || rule.action() == Action.RESTART)
                    && !internal(rule.condition().type(), rule.condition().config())) {
                return true;
            }
        }
        return false;
    }

    /** False if the condition, or a child of it, is a {@code status} condition on a task of its own workflow. */
    static boolean namesOtherWorkflowsOnly(org.aiflow.api.workflow.ConditionSpec condition) {
        return !mentionsOwnTasks(condition.type(), condition.config());
    }

    private static boolean mentionsOwnTasks(String type, Map<String, Object> config) {
        if (StatusCondition.NAME.equals(type)) {
            return !config.containsKey("workflow");
        }
        if ((CompositeCondition.ALL_OF.equals(type) || CompositeCondition.ANY_OF.equals(type))
                && config.get("conditions") instanceof List<?> children) {
            return children.stream().anyMatch(c -> c instanceof Map<?, ?> child && child.get("type") instanceof String t
                    && mentionsOwnTasks(t, child.get("config") instanceof Map<?, ?> m ? cast(m) : Map.of()));
        }
        return false;
    }

    private static boolean internal(String type, Map<String, Object> config) {
        if (StatusCondition.NAME.equals(type)) {
            return !config.containsKey("workflow");
        }
        if (CompositeCondition.ALL_OF.equals(type) || CompositeCondition.ANY_OF.equals(type)) {
            if (!(config.get("conditions") instanceof List<?> children)) {
                return false;
            }
            return children.stream().allMatch(c -> c instanceof Map<?, ?> child && child.get("type") instanceof String t
                    && internal(t, child.get("config") instanceof Map<?, ?> m ? cast(m) : Map.of()));
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}

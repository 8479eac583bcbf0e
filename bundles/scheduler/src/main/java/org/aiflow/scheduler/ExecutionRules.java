package org.aiflow.scheduler;


import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
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
                    && !internal(rule.condition())) {
                return true;
            }
        }
        return false;
    }

    /** False if the condition, or a child of it, is a {@code status} condition on a task of its own workflow. */
    static boolean namesOtherWorkflowsOnly(ConditionSpec condition) {
        return !mentionsOwnTasks(condition);
    }

    private static boolean mentionsOwnTasks(ConditionSpec c) {
        if (BuiltInConditionTypes.STATUS.equals(c.type())) {
            return !c.config().containsKey(BuiltInConditionTypes.Status.WORKFLOW);
        }
        return CompositeCondition.childSpecs(c).map(children -> children.stream().anyMatch(ExecutionRules::mentionsOwnTasks))
                .orElse(false);
    }

    /** True if only statuses of the condition's own execution can fire it. */
    private static boolean internal(ConditionSpec c) {
        if (BuiltInConditionTypes.STATUS.equals(c.type())) {
            return !c.config().containsKey(BuiltInConditionTypes.Status.WORKFLOW);
        }
        return CompositeCondition.childSpecs(c).map(children -> children.stream().allMatch(ExecutionRules::internal)).orElse(false);
    }
}

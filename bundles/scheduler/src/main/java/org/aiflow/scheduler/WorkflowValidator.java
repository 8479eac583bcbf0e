package org.aiflow.scheduler;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.Trigger;
import org.aiflow.api.workflow.WorkflowDefinition;

/** Checks an uploaded workflow against the installed plugins: schedules parse, condition types exist and accept their configuration, policies agree. */
final class WorkflowValidator {
    private final PluginRegistry<ConditionType> conditions;
    private final PluginRegistry<SchedulingPolicy> policies;

    WorkflowValidator(PluginRegistry<ConditionType> conditions, PluginRegistry<SchedulingPolicy> policies) {
        this.conditions = conditions;
        this.policies = policies;
    }

    void validate(WorkflowDefinition definition) {
        for (Schedule s : definition.schedules()) {
            try {
                ScheduleSpec.parse(s.cron(), s.intervalSeconds(), s.timeZone());
            } catch (ValidationException e) {
                throw new ValidationException("schedule '" + s.name() + "': " + e.getMessage());
            }
        }
        for (int i = 0; i < definition.triggers().size(); i++) {
            Trigger trigger = definition.triggers().get(i);
            String typeName = trigger.condition().type();
            String which = "trigger " + (i + 1);
            ConditionType type = conditions.get(typeName).orElseThrow(() -> new ValidationException(
                    which + ": condition type '" + typeName + "' is not installed (installed: " + conditions.names() + ")"));
            if (!ExecutionRules.namesOtherWorkflowsOnly(trigger.condition())) {
                // a trigger sees no execution: a status condition on its own tasks could never fire
                throw new ValidationException(which + ": a trigger's status condition must name another 'workflow'");
            }
            try {
                type.validate(trigger.condition().config(), definition);
            } catch (ValidationException e) {
                throw new ValidationException(which + ": " + e.getMessage());
            }
        }
        for (SchedulingPolicy policy : policies.all()) {
            policy.validate(definition);
        }
        for (TaskDefinition task : definition.tasks()) {
            for (Rule rule : task.effectiveRules()) {
                String typeName = rule.condition().type();
                ConditionType type = conditions.get(typeName).orElseThrow(() -> new ValidationException(
                        "task '" + task.name() + "': condition type '" + typeName + "' is not installed (installed: "
                                + conditions.names() + ")"));
                try {
                    type.validate(rule.condition().config(), definition);
                } catch (ValidationException e) {
                    throw new ValidationException("task '" + task.name() + "': " + e.getMessage());
                }
            }
        }
    }
}

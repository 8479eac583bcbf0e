package org.aiflow.scheduler;

import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;

/**
 * Built-in policy {@code concurrency}: workflow option {@code maxParallelExecutions} refuses to start
 * an execution while that many run (a manual start is refused with the reason; a start by a
 * trigger or schedule is skipped and logged); task option {@code maxConcurrent} keeps a task queued while that many attempts of it
 * run across all executions of the workflow.
 */
@Component(property = {SchedulingPolicy.NAME_PROPERTY + "=" + ConcurrencyPolicy.NAME, BuiltInConditions.MARKER + ":Boolean=true",
        Constants.SERVICE_RANKING + ":Integer=" + PluginRegistry.BUILT_IN_RANKING})
public final class ConcurrencyPolicy implements SchedulingPolicy {
    static final String NAME = "concurrency";

    @Override
    public PolicyVerdict review(ProposedAction action, SchedulingView view) {
        if (action.isExecutionStart()) {
            long max = PolicyOptions.whole(action.workflowOptions(), "maxParallelExecutions", 1, Long.MAX_VALUE);
            int running = view.runningExecutions(action.workflowName());
            return running >= max ? PolicyVerdict.defer("workflow '" + action.workflowName() + "' already has " + running
                    + " running execution(s), its maxParallelExecutions") : PolicyVerdict.PROCEED;
        }
        long max = PolicyOptions.whole(action.taskOptions(), "maxConcurrent", 1, Long.MAX_VALUE);
        int running = view.runningTasks(action.workflowName(), action.taskName());
        return running >= max ? PolicyVerdict.defer("waiting: " + running + " attempt(s) of task '" + action.taskName()
                + "' run, its maxConcurrent") : PolicyVerdict.PROCEED;
    }

    @Override
    public void validate(WorkflowDefinition workflow) {
        PolicyOptions.whole(workflow.options(), "maxParallelExecutions", 1, 1);
        PolicyOptions.checkTasks(workflow, options -> PolicyOptions.whole(options, "maxConcurrent", 1, 1));
    }
}

package org.aiflow.scheduler;

import java.time.Duration;
import java.util.Optional;

import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.WorkflowDefinition;

/** Built-in policy {@code timeout}: task option {@code timeoutSeconds} limits how long one attempt may run. */
final class TimeoutPolicy implements SchedulingPolicy {
    static final String NAME = "timeout";

    @Override
    public PolicyVerdict review(ProposedAction action, SchedulingView view) {
        return PolicyVerdict.PROCEED;
    }

    @Override
    public Optional<Duration> timeout(ProposedAction action) {
        if (!action.taskOptions().containsKey("timeoutSeconds")) {
            return Optional.empty();
        }
        double seconds = PolicyOptions.number(action.taskOptions(), "timeoutSeconds", 0.001, 0);
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    @Override
    public void validate(WorkflowDefinition workflow) {
        PolicyOptions.checkTasks(workflow, options -> PolicyOptions.number(options, "timeoutSeconds", 0.001, 1));
    }
}

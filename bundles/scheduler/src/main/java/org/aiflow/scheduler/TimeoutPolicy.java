package org.aiflow.scheduler;

import java.time.Duration;
import java.util.Optional;

import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;

/** Built-in policy {@code timeout}: task option {@code timeoutSeconds} limits how long one attempt may run. */
@Component(property = {SchedulingPolicy.NAME_PROPERTY + "=" + TimeoutPolicy.NAME, BuiltInConditions.MARKER + ":Boolean=true",
        Constants.SERVICE_RANKING + ":Integer=" + PluginRegistry.BUILT_IN_RANKING})
public final class TimeoutPolicy implements SchedulingPolicy {
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

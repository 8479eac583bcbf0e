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

/**
 * Built-in policy {@code retry}: retries a failed task with exponential backoff. Task options:
 * {@code retries} (how many retries after the first attempt, default 0), {@code retryDelaySeconds}
 * (before the first retry, default 10), {@code retryBackoff} (factor per further retry, at least 1,
 * default 2), {@code maxRetryDelaySeconds} (cap, default 3600). The delay before attempt n+1 is
 * {@code retryDelaySeconds × retryBackoff^(n-1)}, capped.
 */
@Component(property = {SchedulingPolicy.NAME_PROPERTY + "=" + RetryPolicy.NAME, BuiltInConditions.MARKER + ":Boolean=true",
        Constants.SERVICE_RANKING + ":Integer=" + PluginRegistry.BUILT_IN_RANKING})
public final class RetryPolicy implements SchedulingPolicy {
    static final String NAME = "retry";

    @Override
    public PolicyVerdict review(ProposedAction action, SchedulingView view) {
        return PolicyVerdict.PROCEED;
    }

    @Override
    public Optional<Duration> retryDelay(ProposedAction retry, String failure) {
        long retries = PolicyOptions.whole(retry.taskOptions(), "retries", 0, 0);
        if (retry.attempt() - 1 > retries) {
            return Optional.empty();
        }
        double first = PolicyOptions.number(retry.taskOptions(), "retryDelaySeconds", 0, 10);
        double factor = PolicyOptions.number(retry.taskOptions(), "retryBackoff", 1, 2);
        double cap = PolicyOptions.number(retry.taskOptions(), "maxRetryDelaySeconds", 0, 3600);
        double seconds = Math.min(cap, first * Math.pow(factor, retry.attempt() - 2));
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    @Override
    public void validate(WorkflowDefinition workflow) {
        PolicyOptions.checkTasks(workflow, options -> {
            PolicyOptions.whole(options, "retries", 0, 0);
            PolicyOptions.number(options, "retryDelaySeconds", 0, 10);
            PolicyOptions.number(options, "retryBackoff", 1, 2);
            PolicyOptions.number(options, "maxRetryDelaySeconds", 0, 3600);
        });
    }
}

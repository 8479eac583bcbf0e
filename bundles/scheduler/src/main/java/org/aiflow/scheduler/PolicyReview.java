package org.aiflow.scheduler;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the installed scheduling policies, in ranking order: whether a start may proceed now, after
 * how long a failed attempt is retried, when a running attempt times out. A policy that throws is
 * logged and ignored for that question.
 */
final class PolicyReview {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyReview.class);

    private final PluginRegistry<SchedulingPolicy> policies;
    private final Supplier<List<WorkflowExecution>> running;
    private final LongFunction<WorkflowDefinition> definitionOfExecution;

    /**
     * @param running               the running executions
     * @param definitionOfExecution the definition a workflow execution runs, by execution id
     */
    PolicyReview(PluginRegistry<SchedulingPolicy> policies, Supplier<List<WorkflowExecution>> running,
                 LongFunction<WorkflowDefinition> definitionOfExecution) {
        this.policies = policies;
        this.running = running;
        this.definitionOfExecution = definitionOfExecution;
    }

    /** The proposal a policy reviews for starting (or retrying, with its new attempt number) a task execution. */
    ProposedAction proposal(TaskExecution t, int attempt) {
        WorkflowDefinition def = definitionOfExecution.apply(t.workflowExecutionId());
        Map<String, Object> taskOptions = def.task(t.taskName()).map(TaskDefinition::options).orElse(Map.of());
        return new ProposedAction(t.workflowName(), t.workflowExecutionId(), t.taskName(), Action.START, attempt, taskOptions,
                def.options());
    }

    /** The proposal of starting a new execution of a workflow. */
    static ProposedAction executionStart(String workflowName, WorkflowDefinition def) {
        return new ProposedAction(workflowName, 0, null, Action.START, 1, Map.of(), def.options());
    }

    PolicyVerdict review(TaskExecution t, Running running) {
        return review(proposal(t, t.attempt()), running);
    }

    /** The first verdict that is not PROCEED, else PROCEED. {@code attached}: the attempts with a job (or waiting for their runner). */
    PolicyVerdict review(ProposedAction action, List<TaskExecution> attached) {
        return review(action, running(attached));
    }

    /** What the policies see running: {@code attached} (the attempts with a job, or waiting for their runner) counted once. */
    Running running(List<TaskExecution> attached) {
        Running view = new Running(running);
        attached.forEach(view::add);
        return view;
    }

    /**
     * What runs, counted once for all the reviews of a dispatch: a policy asks for each task it
     * reviews, and counting the attached attempts for each (a scan of all of them) made the reviews
     * of a burst's dispatch quadratic (4.5% of the worker's time with 1,000 workflows, JFR).
     */
    static final class Running implements SchedulingView {
        private final Map<String, Integer> tasks = new HashMap<>();
        private final Supplier<List<WorkflowExecution>> executions;
        private Map<String, Integer> executionsByWorkflow;

        private Running(Supplier<List<WorkflowExecution>> executions) {
            this.executions = executions;
        }

        /** Counts an attempt that runs (or is being started) from now on. */
        void add(TaskExecution t) {
            if (t.status() != TaskStatus.WAITING) {
                tasks.merge(t.workflowName() + '\u0000' + t.taskName(), 1, Integer::sum);
            }
        }

        @Override
        public int runningTasks(String workflowName, String taskName) {
            return tasks.getOrDefault(workflowName + '\u0000' + taskName, 0);
        }

        @Override
        public int runningExecutions(String workflowName) {
            if (executionsByWorkflow == null) {
                executionsByWorkflow = new HashMap<>();
                executions.get().forEach(x -> executionsByWorkflow.merge(x.workflowName(), 1, Integer::sum));
            }
            return executionsByWorkflow.getOrDefault(workflowName, 0);
        }
    }

    private PolicyVerdict review(ProposedAction action, SchedulingView view) {
        for (SchedulingPolicy policy : policies.all()) {
            try {
                PolicyVerdict verdict = policy.review(action, view);
                if (verdict != null && verdict.kind() != PolicyVerdict.Kind.PROCEED) {
                    return verdict;
                }
            } catch (RuntimeException e) {
                LOG.error("Scheduling policy {} failed; ignoring it for {}", policy, action, e);
            }
        }
        return PolicyVerdict.PROCEED;
    }

    /** How long until the next attempt of a failed one, if some policy retries it. */
    Optional<Duration> retryDelay(TaskExecution t, String failure) {
        ProposedAction retry = proposal(t, t.attempt() + 1);
        for (SchedulingPolicy policy : policies.all()) {
            try {
                Optional<Duration> delay = policy.retryDelay(retry, failure);
                if (delay != null && delay.isPresent()) {
                    return delay;
                }
            } catch (RuntimeException e) {
                LOG.error("Scheduling policy {} failed to decide on a retry of task execution {}", policy, t.id(), e);
            }
        }
        return Optional.empty();
    }

    /** The smallest timeout a policy sets for a running attempt, if any. */
    Optional<Duration> timeout(TaskExecution t) {
        ProposedAction action = proposal(t, t.attempt());
        Optional<Duration> limit = Optional.empty();
        for (SchedulingPolicy policy : policies.all()) {
            try {
                Optional<Duration> d = policy.timeout(action);
                if (d != null && d.isPresent() && (limit.isEmpty() || d.get().compareTo(limit.get()) < 0)) {
                    limit = d;
                }
            } catch (RuntimeException e) {
                LOG.error("Scheduling policy {} failed to give the timeout of task execution {}", policy, t.id(), e);
            }
        }
        return limit;
    }
}

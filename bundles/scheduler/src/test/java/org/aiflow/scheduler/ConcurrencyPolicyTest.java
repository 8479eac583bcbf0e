package org.aiflow.scheduler;

import static org.aiflow.scheduler.PolicyFixtures.executionStart;
import static org.aiflow.scheduler.PolicyFixtures.taskStart;
import static org.aiflow.scheduler.PolicyFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.scheduler.PolicyFixtures.View;
import org.junit.jupiter.api.Test;

/** The built-in {@code concurrency} policy on its own. */
class ConcurrencyPolicyTest {
    private final ConcurrencyPolicy policy = new ConcurrencyPolicy();

    @Test
    void maxParallelExecutionsDefersAnExecutionStartWhileThatManyRun() {
        Map<String, Object> one = Map.of("maxParallelExecutions", 1);
        assertThat(policy.review(executionStart("churn-pipeline", one), new View())).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(policy.review(executionStart("churn-pipeline", one), new View().executions("churn-pipeline", 1)))
                .isEqualTo(PolicyVerdict.defer("workflow 'churn-pipeline' already has 1 running execution(s), its maxParallelExecutions"));
        Map<String, Object> three = Map.of("maxParallelExecutions", 3);
        assertThat(policy.review(executionStart("wf", three), new View().executions("wf", 2)).kind()).isEqualTo(PolicyVerdict.Kind.PROCEED);
        assertThat(policy.review(executionStart("wf", three), new View().executions("wf", 3)).kind()).isEqualTo(PolicyVerdict.Kind.DEFER);
        assertThat(policy.review(executionStart("wf", three), new View().executions("wf", 4)).reason())
                .isEqualTo("workflow 'wf' already has 4 running execution(s), its maxParallelExecutions");
    }

    @Test
    void executionsAreCountedPerWorkflowAndUnlimitedByDefault() {
        View view = new View().executions("other", 10).executions("wf", 1000);
        assertThat(policy.review(executionStart("wf", Map.of()), view)).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(policy.review(executionStart("mine", Map.of("maxParallelExecutions", 1)), view)).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(policy.review(executionStart("wf", Map.of("maxConcurrent", 1)), view))
                .as("a task option does not limit executions").isEqualTo(PolicyVerdict.PROCEED);
    }

    @Test
    void maxConcurrentKeepsATaskQueuedWhileThatManyAttemptsRun() {
        Map<String, Object> two = Map.of("maxConcurrent", 2);
        assertThat(policy.review(taskStart("train", 1, two), new View().tasks("wf", "train", 1))).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(policy.review(taskStart("train", 1, two), new View().tasks("wf", "train", 2)))
                .isEqualTo(PolicyVerdict.defer("waiting: 2 attempt(s) of task 'train' run, its maxConcurrent"));
        assertThat(policy.review(taskStart("train", 4, two), new View().tasks("wf", "train", 3)).kind())
                .as("a retry too").isEqualTo(PolicyVerdict.Kind.DEFER);
    }

    @Test
    void attemptsAreCountedPerTaskAndUnlimitedByDefault() {
        View view = new View().tasks("wf", "other", 5).tasks("wf2", "train", 5).tasks("wf", "busy", 10_000).executions("wf", 50);
        assertThat(policy.review(taskStart("train", 1, Map.of("maxConcurrent", 1)), view)).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(policy.review(taskStart("busy", 1, Map.of()), view)).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(policy.review(taskStart("train", 1, Map.of(), Map.of("maxParallelExecutions", 1)), view))
                .as("a workflow option does not limit tasks").isEqualTo(PolicyVerdict.PROCEED);
    }

    @Test
    void itNeitherRetriesNorTimesOut() {
        assertThat(policy.retryDelay(taskStart("t", 2, Map.of("maxConcurrent", 1)), "failed")).isEmpty();
        assertThat(policy.timeout(taskStart("t", 1, Map.of("maxConcurrent", 1)))).isEmpty();
    }

    @Test
    void validatesWholeNumbersOfAtLeastOne() {
        policy.validate(workflow(Map.of("maxParallelExecutions", 2), Map.of("maxConcurrent", 1)));
        policy.validate(workflow(Map.of(), Map.of()));
        assertThatThrownBy(() -> policy.validate(workflow(Map.of("maxParallelExecutions", 0), Map.of())))
                .isInstanceOf(ValidationException.class)
                .hasMessage("option 'maxParallelExecutions' must be a number of at least 1, got 0");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of("maxParallelExecutions", 1.5), Map.of())))
                .hasMessage("option 'maxParallelExecutions' must be a whole number, got 1.5");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of("maxParallelExecutions", "1"), Map.of())))
                .hasMessage("option 'maxParallelExecutions' must be a number of at least 1, got 1");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("maxConcurrent", 0))))
                .hasMessage("task 't': option 'maxConcurrent' must be a number of at least 1, got 0");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("maxConcurrent", 2.5))))
                .hasMessage("task 't': option 'maxConcurrent' must be a whole number, got 2.5");
    }
}

package org.aiflow.scheduler;

import static org.aiflow.scheduler.PolicyFixtures.taskStart;
import static org.aiflow.scheduler.PolicyFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.junit.jupiter.api.Test;

/** The built-in {@code timeout} policy on its own. */
class TimeoutPolicyTest {
    private final TimeoutPolicy policy = new TimeoutPolicy();

    @Test
    void noTimeoutByDefault() {
        assertThat(policy.timeout(taskStart("t", 1, Map.of()))).isEmpty();
        assertThat(policy.timeout(taskStart("t", 1, Map.of("retries", 3), Map.of("timeoutSeconds", 5))))
                .as("a workflow option is not a task's timeout").isEmpty();
    }

    @Test
    void timeoutSecondsLimitsEachAttempt() {
        assertThat(policy.timeout(taskStart("t", 1, Map.of("timeoutSeconds", 600)))).contains(Duration.ofSeconds(600));
        assertThat(policy.timeout(taskStart("t", 3, Map.of("timeoutSeconds", 600)))).as("a retry gets the same").contains(Duration.ofSeconds(600));
        assertThat(policy.timeout(taskStart("t", 1, Map.of("timeoutSeconds", 0.5)))).contains(Duration.ofMillis(500));
        assertThat(policy.timeout(taskStart("t", 1, Map.of("timeoutSeconds", 2L)))).contains(Duration.ofSeconds(2));
        assertThat(policy.timeout(taskStart("t", 1, Map.of("timeoutSeconds", 0.001)))).contains(Duration.ofMillis(1));
    }

    @Test
    void itReviewsNothingAndRetriesNothing() {
        assertThat(policy.review(taskStart("t", 1, Map.of("timeoutSeconds", 1)), new PolicyFixtures.View())).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(policy.retryDelay(taskStart("t", 2, Map.of("timeoutSeconds", 1)), "timed out after 1.0 s")).isEmpty();
    }

    @Test
    void validatesAPositiveNumberNamingTheTask() {
        policy.validate(workflow(Map.of(), Map.of("timeoutSeconds", 3600)));
        policy.validate(workflow(Map.of(), Map.of("timeoutSeconds", 0.25)));
        policy.validate(workflow(Map.of(), Map.of()));
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("timeoutSeconds", 0))))
                .isInstanceOf(ValidationException.class)
                .hasMessage("task 't': option 'timeoutSeconds' must be a number of at least 0.001, got 0");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("timeoutSeconds", -5))))
                .hasMessage("task 't': option 'timeoutSeconds' must be a number of at least 0.001, got -5");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("timeoutSeconds", "10"))))
                .hasMessage("task 't': option 'timeoutSeconds' must be a number of at least 0.001, got 10");
    }
}

package org.aiflow.scheduler;

import static org.aiflow.scheduler.PolicyFixtures.taskStart;
import static org.aiflow.scheduler.PolicyFixtures.workflow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.junit.jupiter.api.Test;

/** The built-in {@code retry} policy on its own. */
class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy();

    /** The delay before attempt {@code attempt} (the retry as it would start), for a task of these options. */
    private Optional<Duration> delayBefore(int attempt, Map<String, Object> options) {
        policy.validate(workflow(Map.of(), options));
        return policy.retryDelay(taskStart("t", attempt, options), "exit code 1");
    }

    @Test
    void noRetriesByDefault() {
        assertThat(delayBefore(2, Map.of())).isEmpty();
        assertThat(delayBefore(2, Map.of("retries", 0))).isEmpty();
    }

    @Test
    void retriesCountsTheRetriesAfterTheFirstAttempt() {
        Map<String, Object> two = Map.of("retries", 2);
        assertThat(delayBefore(2, two)).isPresent();
        assertThat(delayBefore(3, two)).isPresent();
        assertThat(delayBefore(4, two)).as("a third retry").isEmpty();
        assertThat(delayBefore(9, two)).isEmpty();
        assertThat(delayBefore(2, Map.of("retries", 1))).isPresent();
        assertThat(delayBefore(3, Map.of("retries", 1))).isEmpty();
    }

    @Test
    void theDelayDefaultsTo10SecondsDoublingEachRetry() {
        Map<String, Object> options = Map.of("retries", 4);
        assertThat(delayBefore(2, options)).contains(Duration.ofSeconds(10));
        assertThat(delayBefore(3, options)).contains(Duration.ofSeconds(20));
        assertThat(delayBefore(4, options)).contains(Duration.ofSeconds(40));
        assertThat(delayBefore(5, options)).contains(Duration.ofSeconds(80));
    }

    @Test
    void attemptNPlusOneWaitsDelayTimesBackoffToTheNMinusOne() {
        Map<String, Object> options = Map.of("retries", 3, "retryDelaySeconds", 30, "retryBackoff", 3);
        assertThat(delayBefore(2, options)).contains(Duration.ofSeconds(30));
        assertThat(delayBefore(3, options)).contains(Duration.ofSeconds(90));
        assertThat(delayBefore(4, options)).contains(Duration.ofSeconds(270));
        Map<String, Object> constant = Map.of("retries", 3, "retryDelaySeconds", 0.25, "retryBackoff", 1);
        assertThat(delayBefore(2, constant)).contains(Duration.ofMillis(250));
        assertThat(delayBefore(4, constant)).contains(Duration.ofMillis(250));
        assertThat(delayBefore(3, Map.of("retries", 3, "retryDelaySeconds", 1, "retryBackoff", 1.5))).contains(Duration.ofMillis(1500));
        assertThat(delayBefore(3, Map.of("retries", 3, "retryDelaySeconds", 0))).contains(Duration.ZERO);
    }

    @Test
    void theDelayIsCappedAtMaxRetryDelaySecondsDefaultAnHour() {
        Map<String, Object> capped = Map.of("retries", 10, "retryDelaySeconds", 10, "maxRetryDelaySeconds", 45);
        assertThat(delayBefore(3, capped)).contains(Duration.ofSeconds(20));
        assertThat(delayBefore(4, capped)).contains(Duration.ofSeconds(40));
        assertThat(delayBefore(5, capped)).contains(Duration.ofSeconds(45));
        assertThat(delayBefore(11, capped)).contains(Duration.ofSeconds(45));
        Map<String, Object> many = Map.of("retries", 5000, "retryDelaySeconds", 10);
        assertThat(delayBefore(11, many)).contains(Duration.ofSeconds(3600));
        assertThat(delayBefore(5000, many)).as("no overflow").contains(Duration.ofSeconds(3600));
    }

    @Test
    void theSameQuestionGetsTheSameAnswer() {
        Map<String, Object> options = Map.of("retries", 2, "retryDelaySeconds", 7);
        assertThat(policy.retryDelay(taskStart("t", 3, options), "timed out after 1.0 s"))
                .isEqualTo(policy.retryDelay(taskStart("t", 3, options), "exit code 2"));
    }

    @Test
    void itReviewsNothingAndSetsNoTimeout() {
        assertThat(policy.review(taskStart("t", 3, Map.of("retries", 1)), new PolicyFixtures.View())).isEqualTo(PolicyVerdict.PROCEED);
        assertThat(policy.timeout(taskStart("t", 1, Map.of("retries", 1)))).isEmpty();
    }

    @Test
    void validatesItsOptionsNamingTheTask() {
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("retries", 1.5)))).isInstanceOf(ValidationException.class)
                .hasMessage("task 't': option 'retries' must be a whole number, got 1.5");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("retries", -1))))
                .hasMessage("task 't': option 'retries' must be a number of at least 0, got -1");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("retries", "2"))))
                .hasMessage("task 't': option 'retries' must be a number of at least 0, got 2");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("retryDelaySeconds", -0.5))))
                .hasMessage("task 't': option 'retryDelaySeconds' must be a number of at least 0, got -0.5");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("retryDelaySeconds", Double.NaN))))
                .hasMessage("task 't': option 'retryDelaySeconds' must be a number of at least 0, got NaN");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("retryBackoff", 0.5))))
                .hasMessage("task 't': option 'retryBackoff' must be a number of at least 1, got 0.5");
        assertThatThrownBy(() -> policy.validate(workflow(Map.of(), Map.of("maxRetryDelaySeconds", true))))
                .hasMessage("task 't': option 'maxRetryDelaySeconds' must be a number of at least 0, got true");
        policy.validate(workflow(Map.of("retries", "ignored: a workflow option"), Map.of("retries", 3.0, "retryDelaySeconds", 0,
                "retryBackoff", 1, "maxRetryDelaySeconds", 0, "somethingElse", "x")));
    }
}

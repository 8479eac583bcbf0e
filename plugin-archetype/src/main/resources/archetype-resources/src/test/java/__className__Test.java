#set( $symbol_pound = '#' )
#set( $symbol_dollar = '$' )
#set( $symbol_escape = '\' )
package ${package};

#if( $pluginKind == "runner" )
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.workflow.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ${className}Test {
    @TempDir
    Path logs;
    private final ${className} runner = new ${className}();

    @AfterEach
    void deactivate() {
        runner.deactivate();
    }

    private JobRequest request(long taskExecutionId, Map<String, Object> config) {
        return new JobRequest(taskExecutionId, "default", "wf", "t", TaskKind.BATCH, config, logs, Map.of());
    }

    /** Polls the job's status every 10 ms, for at most 5 s, until it is no longer RUNNING. */
    private JobState awaitEnd(JobHandle handle) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        JobState state = runner.status(handle);
        while (state.phase() == JobState.Phase.RUNNING && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            state = runner.status(handle);
        }
        return state;
    }

    @Test
    void jobsRunThenSucceedOrFail() throws Exception {
        JobHandle ok = runner.submit(request(1, Map.of("durationMillis", 20)));
        JobHandle bad = runner.submit(request(2, Map.of("durationMillis", 20, "fail", true)));
        assertEquals(${className}.TYPE, ok.runnerType());
        assertEquals(JobState.Phase.SUCCEEDED, awaitEnd(ok).phase());
        assertEquals(JobState.Phase.FAILED, awaitEnd(bad).phase());
        assertTrue(Files.readString(logs.resolve(${className}.TYPE + ".log")).contains("ran 20 ms"));
    }

    @Test
    void findReturnsTheJobOfATaskExecutionAndStopEndsIt() throws Exception {
        JobRequest request = request(3, Map.of("durationMillis", 60_000));
        assertTrue(runner.find(request).isEmpty());
        JobHandle handle = runner.submit(request);
        assertEquals(handle, runner.find(request).orElseThrow());
        assertEquals(JobState.Phase.RUNNING, runner.status(handle).phase());
        runner.stop(handle, false);
        assertEquals(JobState.Phase.STOPPED, runner.status(handle).phase());
        runner.stop(handle, false); // stopping an ended job is a no-op
    }

    @Test
    void unknownHandlesAndBadConfiguration() {
        assertEquals(JobState.Phase.UNKNOWN, runner.status(new JobHandle(${className}.TYPE, "task-99", Map.of())).phase());
        assertThrows(JobRunnerException.class, () -> runner.submit(request(4, Map.of("duration", 1))));
        assertThrows(JobRunnerException.class, () -> runner.submit(request(5, Map.of("durationMillis", "soon"))));
    }
}
#elseif( $pluginKind == "condition" )
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.spi.condition.ConditionResult;
import org.junit.jupiter.api.Test;

class ${className}Test {
    private final ${className} condition = new ${className}();
    private final Map<String, Object> config = Map.of("key", "accuracy", "threshold", 0.9);

    private static Event event(String key, String value) {
        return new Event(1, "default", key, value, "METRIC", "test", Map.of(), Instant.EPOCH);
    }

    @Test
    void firesOnceWhenTheValueCrossesTheThresholdUpwards() {
        ConditionResult low = condition.evaluate(config, event("accuracy", "0.5"), Map.of());
        assertFalse(low.fired());
        ConditionResult crossed = condition.evaluate(config, event("accuracy", "0.95"), low.state());
        assertTrue(crossed.fired());
        ConditionResult stillAbove = condition.evaluate(config, event("accuracy", "0.97"), crossed.state());
        assertFalse(stillAbove.fired());
        // deterministic: the same event from the same state gives the same result (a replay after a crash)
        assertEquals(crossed, condition.evaluate(config, event("accuracy", "0.95"), low.state()));
    }

    @Test
    void ignoresOtherKeysAndNonNumbers() {
        assertFalse(condition.mayReact(config, event("loss", "1")));
        assertEquals(Map.of(), condition.evaluate(config, event("loss", "1"), Map.of()).state());
        assertFalse(condition.evaluate(config, event("accuracy", "n/a"), Map.of()).fired());
    }

    @Test
    void validatesItsConfiguration() {
        condition.validate(config);
        assertThrows(ValidationException.class, () -> condition.validate(Map.of("threshold", 1)));
        assertThrows(ValidationException.class, () -> condition.validate(Map.of("key", "k", "threshold", "high")));
    }
}
#else
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

class ${className}Test {
    private final ${className} policy = new ${className}();

    private static ProposedAction start(Map<String, Object> taskOptions) {
        return new ProposedAction("wf", 1, "train", Action.START, 1, taskOptions, Map.of());
    }

    private static SchedulingView running(int tasks) {
        return new SchedulingView() {
            @Override
            public int runningTasks(String workflowName, String taskName) {
                return tasks;
            }

            @Override
            public int runningExecutions(String workflowName) {
                return 1;
            }
        };
    }

    @Test
    void defersWhenAllSlotsAreTaken() {
        assertEquals(PolicyVerdict.Kind.PROCEED, policy.review(start(Map.of("slots", 2)), running(1)).kind());
        assertEquals(PolicyVerdict.Kind.DEFER, policy.review(start(Map.of("slots", 2)), running(2)).kind());
    }

    @Test
    void tasksWithoutTheOptionAndExecutionStartsProceed() {
        assertEquals(PolicyVerdict.PROCEED, policy.review(start(Map.of()), running(100)));
        ProposedAction executionStart = new ProposedAction("wf", 0, null, Action.START, 1, Map.of(), Map.of());
        assertEquals(PolicyVerdict.PROCEED, policy.review(executionStart, running(100)));
    }

    @Test
    void validatesTheOption() {
        policy.validate(workflow(Map.of("slots", 3)));
        assertThrows(ValidationException.class, () -> policy.validate(workflow(Map.of("slots", 0))));
        assertThrows(ValidationException.class, () -> policy.validate(workflow(Map.of("slots", "many"))));
    }

    private static WorkflowDefinition workflow(Map<String, Object> taskOptions) {
        TaskDefinition task = new TaskDefinition("train", TaskKind.BATCH, new JobSpec("process", Map.of()), List.of(), List.of(),
                taskOptions);
        return new WorkflowDefinition("default", "wf", "", List.of(task));
    }
}
#end

package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.aiflow.api.error.ConflictException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.storage.SchedulerStore;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.notification.EventLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Constants;

/**
 * A plugin named like a built-in condition type or policy and ranked above it replaces it in a
 * running scheduler, and the built-in decides again when the plugin goes: as in OSGi, where the
 * built-ins are services ranked {@link PluginRegistry#BUILT_IN_RANKING}.
 */
class BuiltInOverrideTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path logs;
    private SchedulerOnH2 h2;
    private SchedulerStore store;
    private EventLog events;
    private PluginRegistry<ConditionType> conditions;
    private PluginRegistry<SchedulingPolicy> policies;
    private Scheduler scheduler;

    /**
     * An {@code event} type of its own: the rule's key is a prefix, and only the value {@code yes}
     * fires. The built-in fires on any value of exactly that key.
     */
    private static final class PrefixEvent implements ConditionType {
        @Override
        public void validate(Map<String, Object> config) {
            if (!(config.get("key") instanceof String)) {
                throw new ValidationException("key missing");
            }
        }

        @Override
        public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state) {
            boolean fired = event.key().startsWith((String) config.get("key")) && "yes".equals(event.value());
            return new ConditionResult(fired, state);
        }
    }

    @BeforeEach
    void open() throws Exception {
        h2 = new SchedulerOnH2(logs);
        store = h2.store;
        events = h2.events;
        conditions = h2.conditions;
        policies = h2.policies;
        scheduler = h2.scheduler;
    }

    @AfterEach
    void close() {
        h2.close();
    }

    private static TaskDefinition task(String event) {
        return new TaskDefinition("t", TaskKind.BATCH, new JobSpec(FakeJobRunner.TYPE, Map.of()),
                List.of(new Rule(new ConditionSpec(BuiltInConditionTypes.EVENT, Map.of("key", event)), Action.START)));
    }

    /** Why task {@code t} of the execution was queued, once it was. */
    private String whyQueued(WorkflowExecution x) {
        await().atMost(WAIT).until(() -> !tasks(x).isEmpty());
        TaskExecution t = tasks(x).get(0);
        return scheduler.taskHistory(t.id()).get(0).message();
    }

    private List<TaskExecution> tasks(WorkflowExecution x) {
        return scheduler.listTasks(new TaskQuery(null, x.id(), null, 10));
    }

    @Test
    void anEventTypeRankedAboveTheBuiltInDecidesUntilItGoes() {
        PrefixEvent plugin = new PrefixEvent();
        conditions.add(plugin, Map.of(ConditionType.TYPE_PROPERTY, BuiltInConditionTypes.EVENT, Constants.SERVICE_RANKING, 100));
        assertThat(BuiltInConditions.decides(conditions, BuiltInConditionTypes.EVENT)).isFalse();
        scheduler.upload(new WorkflowDefinition(null, "replaced", null, List.of(task("go"))));
        WorkflowExecution replaced = scheduler.startExecution("default", "replaced");

        events.publish(EventDraft.of("go", "no")); // the built-in would start t on this one
        // a key the built-in's rule does not name: the plugin sees it only if the scheduler does not
        // route events by the built-in's reading of the configuration while the plugin replaces it
        Event yes = events.publish(EventDraft.of("go-now", "yes"));
        assertThat(whyQueued(replaced)).isEqualTo("START by event " + yes.version() + " (default/go-now)");

        conditions.remove(plugin);
        assertThat(BuiltInConditions.decides(conditions, BuiltInConditionTypes.EVENT)).isTrue();
        scheduler.upload(new WorkflowDefinition(null, "builtin", null, List.of(task("go"))));
        WorkflowExecution builtIn = scheduler.startExecution("default", "builtin");
        Event no = events.publish(EventDraft.of("go", "no"));
        assertThat(whyQueued(builtIn)).isEqualTo("START by event " + no.version() + " (default/go)");
    }

    @Test
    void aPolicyOfABuiltInsNameReplacesItUntilItGoes() {
        scheduler.upload(new WorkflowDefinition(null, "single", null, List.of(task("never")), Map.of("maxParallelExecutions", 1)));
        assertThat(scheduler.startExecution("default", "single").status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThatThrownBy(() -> scheduler.startExecution("default", "single")).isInstanceOf(ConflictException.class);

        SchedulingPolicy unlimited = (action, view) -> PolicyVerdict.PROCEED;
        SchedulingPolicy other = (action, view) -> PolicyVerdict.PROCEED;
        policies.add(unlimited, Map.of(SchedulingPolicy.NAME_PROPERTY, ConcurrencyPolicy.NAME, Constants.SERVICE_RANKING, 100));
        policies.add(other, Map.of(SchedulingPolicy.NAME_PROPERTY, "gpu-slots"));
        assertThat(scheduler.startExecution("default", "single").status()).isEqualTo(ExecutionStatus.RUNNING);
        // in the order they are consulted: plugins first, the replaced built-in left out
        assertThat(scheduler.policies()).containsExactly(ConcurrencyPolicy.NAME, "gpu-slots", RetryPolicy.NAME, TimeoutPolicy.NAME);

        policies.remove(unlimited);
        assertThatThrownBy(() -> scheduler.startExecution("default", "single")).isInstanceOf(ConflictException.class);
        assertThat(scheduler.policies()).containsExactly("gpu-slots", ConcurrencyPolicy.NAME, RetryPolicy.NAME, TimeoutPolicy.NAME);
    }
}

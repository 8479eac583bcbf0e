package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
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

/**
 * A condition plugin that goes away (uninstalled, or its bundle being updated) while events arrive:
 * the events its rules would have seen are not decided without it. Scheduling waits at the first
 * such event and goes on from there once the type is back, so every event starts its task; or once
 * the workflow using it is disabled.
 */
class MissingConditionTypeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path logs;
    private SchedulerOnH2 h2;
    private SchedulerStore store;
    private EventLog events;
    private PluginRegistry<ConditionType> conditions;
    private PluginRegistry<SchedulingPolicy> policies;
    private Scheduler scheduler;

    /** Fires on every event of the key named in its configuration. */
    private static final class KeyCondition implements ConditionType {
        @Override
        public void validate(Map<String, Object> config) {
        }

        @Override
        public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state) {
            return new ConditionResult(event.key().equals(config.get("key")), state);
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

    /** Each matching event restarts task t: a new attempt per event, so the attempts tell which events were decided. */
    private WorkflowExecution started(String name, String type, String key) {
        scheduler.upload(new WorkflowDefinition(null, name, null, List.of(new TaskDefinition("t", TaskKind.BATCH,
                new JobSpec(FakeJobRunner.TYPE, Map.of()), List.of(new Rule(new ConditionSpec(type, Map.of("key", key)), Action.RESTART))))));
        return scheduler.startExecution("default", name);
    }

    /** The events that queued task t of the execution, from the task's history, in order. */
    private List<String> startedBy(WorkflowExecution x) {
        List<String> why = new ArrayList<>();
        for (TaskExecution t : scheduler.listTasks(new TaskQuery(null, x.id(), null, 100))) {
            why.add(0, scheduler.taskHistory(t.id()).get(0).message()); // newest first as listed
        }
        return why;
    }

    @Test
    void eventsWaitForAConditionTypeThatIsBeingReplacedAndNoneIsLost() {
        KeyCondition plugin = new KeyCondition();
        conditions.add(plugin, Map.of(ConditionType.TYPE_PROPERTY, "key-match"));
        WorkflowExecution pluginRule = started("plugged", "key-match", "go");
        WorkflowExecution builtInRule = started("plain", BuiltInConditionTypes.EVENT, "other");
        Event first = events.publish(EventDraft.of("go", "1"));
        await().atMost(WAIT).until(() -> startedBy(pluginRule).size() == 1);

        conditions.remove(plugin); // e.g. bundle:update of the plugin
        Event second = events.publish(EventDraft.of("go", "2"));
        Event other = events.publish(EventDraft.of("other", "x"));
        Event third = events.publish(EventDraft.of("go", "3"));
        // nothing from the held event on is decided, not even what needs no plugin
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> startedBy(pluginRule).size() == 1 && startedBy(builtInRule).isEmpty());
        assertThat(store.cursor(Scheduler.CONSUMER)).isLessThan(second.version());

        conditions.add(new KeyCondition(), Map.of(ConditionType.TYPE_PROPERTY, "key-match")); // back, as a new service
        await().atMost(WAIT).until(() -> startedBy(pluginRule).size() == 3 && startedBy(builtInRule).size() == 1);
        assertThat(startedBy(pluginRule)).containsExactly("RESTART by event " + first.version() + " (default/go)",
                "RESTART by event " + second.version() + " (default/go)", "RESTART by event " + third.version() + " (default/go)");
        assertThat(startedBy(builtInRule)).containsExactly("RESTART by event " + other.version() + " (default/other)");
    }

    @Test
    void disablingTheWorkflowWhoseConditionTypeIsMissingLetsSchedulingGoOn() {
        KeyCondition plugin = new KeyCondition();
        conditions.add(plugin, Map.of(ConditionType.TYPE_PROPERTY, "key-match"));
        started("plugged", "key-match", "go");
        WorkflowExecution builtInRule = started("plain", BuiltInConditionTypes.EVENT, "other");
        conditions.remove(plugin); // uninstalled for good
        events.publish(EventDraft.of("go", "1"));
        Event other = events.publish(EventDraft.of("other", "x"));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> startedBy(builtInRule).isEmpty());

        scheduler.setEnabled("default", "plugged", false);
        await().atMost(WAIT).until(() -> startedBy(builtInRule).size() == 1);
        assertThat(startedBy(builtInRule)).containsExactly("RESTART by event " + other.version() + " (default/other)");
    }
}

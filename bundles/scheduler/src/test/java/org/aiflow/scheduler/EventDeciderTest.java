package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.event.Event;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.scheduler.ScheduleEvents;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.RuleState;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.BuiltInConditionTypes;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.Schedule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.Trigger;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.junit.jupiter.api.Test;

/**
 * The event decider against a plain in-memory {@link EventDecider.View} (no store, no scheduler
 * state), with the built-in condition types and policies: what plan one event makes.
 */
class EventDeciderTest {

    /** What the decider reads, as maps the test fills. */
    static final class MapView implements EventDecider.View {
        final Map<Long, Workflow> workflows = new LinkedHashMap<>();
        final Map<Long, WorkflowDefinition> definitions = new HashMap<>();
        final List<WorkflowExecution> running = new ArrayList<>();
        final Map<Long, Map<String, Map<String, String>>> states = new HashMap<>();
        final List<TaskExecution> tasks = new ArrayList<>();
        private long ids = 100;

        Workflow workflow(WorkflowDefinition def, boolean enabled) {
            long id = ++ids;
            long snapshot = ++ids;
            definitions.put(snapshot, def);
            Workflow w = new Workflow(id, def.namespace(), def.name(), enabled, snapshot, Instant.EPOCH, Instant.EPOCH);
            workflows.put(id, w);
            return w;
        }

        /** A new snapshot of a workflow becomes current. */
        Workflow upload(Workflow w, WorkflowDefinition def) {
            long snapshot = ++ids;
            definitions.put(snapshot, def);
            Workflow now = new Workflow(w.id(), w.namespace(), w.name(), w.enabled(), snapshot, w.createTime(), w.updateTime());
            workflows.put(w.id(), now);
            return now;
        }

        WorkflowExecution execution(Workflow w) {
            WorkflowExecution x = new WorkflowExecution(++ids, w.id(), w.namespace(), w.name(), w.snapshotId(), ExecutionStatus.RUNNING,
                    Instant.EPOCH, null);
            running.add(x);
            return x;
        }

        TaskExecution task(WorkflowExecution x, String name, TaskStatus status, String handle) {
            int attempt = (int) tasks.stream().filter(t -> t.workflowExecutionId() == x.id() && t.taskName().equals(name)).count() + 1;
            TaskExecution t = new TaskExecution(++ids, x.id(), x.namespace(), x.workflowName(), name, attempt, "process", status, handle, "",
                    Instant.EPOCH, Instant.EPOCH);
            tasks.add(t);
            return t;
        }

        /** Stores the rule states a plan changed, as the recorder would. */
        void store(List<RuleState> changed) {
            changed.forEach(r -> states.computeIfAbsent(r.workflowExecutionId(), o -> new HashMap<>())
                    .put(r.taskName() + "#" + r.ruleIndex(), r.state()));
        }

        @Override
        public Optional<Workflow> workflow(long workflowId) {
            return Optional.ofNullable(workflows.get(workflowId));
        }

        @Override
        public List<Workflow> workflowCandidates(String eventKey) {
            return List.copyOf(workflows.values()); // every workflow may react: the decider checks
        }

        @Override
        public List<WorkflowExecution> executionCandidates(String eventKey) {
            return List.copyOf(running);
        }

        @Override
        public List<WorkflowExecution> running() {
            return List.copyOf(running);
        }

        @Override
        public EventInterest taskInterest(long snapshotId) {
            return EventInterest.ofTasks(definition(snapshotId));
        }

        @Override
        public WorkflowDefinition definition(long snapshotId) {
            return definitions.get(snapshotId);
        }

        @Override
        public Map<String, Map<String, String>> ruleStates(long owner) {
            return states.getOrDefault(owner, Map.of());
        }

        @Override
        public Map<String, TaskExecution> latestTasks(long executionId) {
            Map<String, TaskExecution> latest = new HashMap<>();
            tasks.stream().filter(t -> t.workflowExecutionId() == executionId).sorted(Comparator.comparingInt(TaskExecution::attempt))
                    .forEach(t -> latest.put(t.taskName(), t));
            return latest;
        }

        @Override
        public List<TaskExecution> liveTasks(long executionId) {
            return activeTasks(executionId);
        }

        public List<TaskExecution> activeTasks(long executionId) {
            return tasks.stream().filter(t -> t.workflowExecutionId() == executionId && !t.status().isFinal()).toList();
        }

        @Override
        public List<TaskExecution> attached() {
            return tasks.stream().filter(t -> SchedulerState.ATTACHED.contains(t.status())).toList();
        }
    }

    /** A condition type whose evaluation always throws. */
    static final class Broken implements ConditionType {
        @Override
        public void validate(Map<String, Object> config) {
        }

        @Override
        public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state) {
            throw new IllegalStateException("broken on purpose");
        }
    }

    private final MapView view = new MapView();
    private final PluginRegistry<ConditionType> conditions = ConditionFixtures.builtInConditions();
    private final EventDecider decider;

    EventDeciderTest() {
        PluginRegistry<SchedulingPolicy> policies = new PluginRegistry<>(SchedulingPolicy.NAME_PROPERTY);
        BuiltInPolicies.register(policies);
        PolicyReview review = new PolicyReview(policies, view::running,
                x -> view.definition(view.running.stream().filter(r -> r.id() == x).findFirst().orElseThrow().snapshotId()));
        decider = new EventDecider(view, conditions, review);
    }

    // ---------------------------------------------------------------- fixtures

    static ConditionSpec onEvent(String key) {
        return new ConditionSpec(BuiltInConditionTypes.EVENT, Map.of(BuiltInConditionTypes.Event.KEY, key));
    }

    static ConditionSpec onEventOnce(String key) {
        return new ConditionSpec(BuiltInConditionTypes.EVENT, Map.of(BuiltInConditionTypes.Event.KEY, key,
                BuiltInConditionTypes.Event.LIFE, BuiltInConditionTypes.Event.ONCE));
    }

    static TaskDefinition task(String name, Rule... rules) {
        return new TaskDefinition(name, TaskKind.BATCH, new JobSpec("process", Map.of()), List.of(rules));
    }

    static WorkflowDefinition workflow(String name, List<TaskDefinition> tasks, List<Trigger> triggers, Map<String, Object> options,
                                       List<Schedule> schedules) {
        return new WorkflowDefinition("team", name, null, tasks, options, triggers, schedules);
    }

    /** Workflow {@code wf}: task {@code a} starts with the execution, task {@code b} on event {@code go}. */
    static WorkflowDefinition twoTasks(List<Trigger> triggers) {
        return workflow("wf", List.of(task("a"), task("b", new Rule(onEvent("go"), Action.START))), triggers, null, null);
    }

    static Event event(long version, String key) {
        return ConditionFixtures.event(version, key, "v");
    }

    static Event scoped(long version, String key, String executionId) {
        return new Event(version, "default", key, "v", "T", "", Map.of(Event.WORKFLOW_EXECUTION_ID, executionId), Instant.EPOCH);
    }

    private static List<String> names(List<NewTaskExecution> tasks) {
        return tasks.stream().map(NewTaskExecution::taskName).toList();
    }

    /** The decider names the attempt of a task it queues when its copy knows it; else the store looks it up (0). */
    @Test
    void theNextAttemptIsOneMoreThanTheNewestKnownOrOneForATaskThatNeverRan() {
        Instant now = Instant.now();
        TaskExecution third = new TaskExecution(9, 1, "default", "wf", "train", 3, "process", TaskStatus.FAILED, null, "", now, now);
        assertThat(EventDecider.nextAttempt(Map.of("train", third), false, "train")).isEqualTo(4);
        assertThat(EventDecider.nextAttempt(Map.of("train", third), true, "train")).isEqualTo(4);
        assertThat(EventDecider.nextAttempt(Map.of("train", third), true, "score")).as("every attempt known, none of score").isEqualTo(1);
        assertThat(EventDecider.nextAttempt(Map.of("train", third), false, "score")).as("not all known: the store counts").isZero();
    }

    // ---------------------------------------------------------------- triggers

    @Test
    void eventTriggerStartsAnExecutionWithItsInitialTasks() {
        Workflow w = view.workflow(twoTasks(List.of(new Trigger(onEvent("deploy"), Action.START))), true);

        DecisionPlan plan = decider.decide(event(1, "deploy"));

        assertThat(plan.executions).hasSize(1);
        Decision.NewExecution started = plan.executions.get(0);
        assertThat(started.workflowId()).isEqualTo(w.id());
        assertThat(started.snapshotId()).isEqualTo(w.snapshotId());
        assertThat(names(started.initialTasks())).containsExactly("a");
        assertThat(started.initialTasks().get(0).reason()).startsWith("trigger: START by event 1");
        assertThat(plan.tasks).isEmpty();
        assertThat(decider.decide(event(2, "other")).isEmpty()).isTrue();
    }

    @Test
    void triggerStopStopsTheRunningExecutionsActiveTasks() {
        Workflow w = view.workflow(twoTasks(List.of(new Trigger(onEvent("halt"), Action.STOP))), true);
        WorkflowExecution x = view.execution(w);
        TaskExecution running = view.task(x, "a", TaskStatus.RUNNING, "{\"job\":1}");
        TaskExecution queued = view.task(x, "b", TaskStatus.QUEUED, null);
        view.task(x, "c", TaskStatus.SUCCESS, "{\"job\":2}");

        DecisionPlan plan = decider.decide(event(1, "halt"));

        assertThat(plan.executionsToStop).containsExactly(x.id());
        assertThat(plan.stops).containsOnlyKeys(running.id(), queued.id());
        assertThat(plan.stops.get(running.id()).to()).isEqualTo(TaskStatus.STOPPING);
        assertThat(plan.stops.get(running.id()).expected()).isEqualTo(TaskStatus.RUNNING);
        assertThat(plan.stops.get(queued.id()).to()).isEqualTo(TaskStatus.STOPPED);
        assertThat(plan.executions).isEmpty();
        assertThat(plan.tasks).isEmpty();
    }

    @Test
    void triggerRestartStopsTheRunningExecutionAndStartsANewOne() {
        Workflow w = view.workflow(twoTasks(List.of(new Trigger(onEvent("again"), Action.RESTART))), true);
        WorkflowExecution x = view.execution(w);
        TaskExecution running = view.task(x, "a", TaskStatus.RUNNING, "{\"job\":1}");

        DecisionPlan plan = decider.decide(event(3, "again"));

        assertThat(plan.executionsToStop).containsExactly(x.id());
        assertThat(plan.stops.get(running.id()).to()).isEqualTo(TaskStatus.STOPPING);
        assertThat(plan.executions).hasSize(1);
        assertThat(names(plan.executions.get(0).initialTasks())).containsExactly("a");
        // the stopped execution's own task rules are not asked any more
        assertThat(plan.tasks).isEmpty();
    }

    @Test
    void disabledWorkflowsAreIgnored() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(onEvent("go"), Action.START))),
                List.of(new Trigger(onEvent("go"), Action.START)), null, null);
        Workflow w = view.workflow(def, false);
        view.execution(w);

        assertThat(decider.decide(event(1, "go")).isEmpty()).isTrue();
    }

    @Test
    void concurrencyPolicySkipsATriggerStartWhileMaxParallelExecutionsRun() {
        WorkflowDefinition def = workflow("single", List.of(task("a")), List.of(new Trigger(onEvent("go"), Action.START)),
                Map.of("maxParallelExecutions", 1), null);
        Workflow w = view.workflow(def, true);
        assertThat(decider.decide(event(1, "go")).executions).hasSize(1);

        view.execution(w);
        DecisionPlan plan = decider.decide(event(2, "go"));

        assertThat(plan.executions).isEmpty();
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void triggerStateIsKeyedByTheTriggerNotItsPosition() {
        Trigger once = new Trigger(onEventOnce("x"), Action.START);
        Trigger other = new Trigger(onEvent("y"), Action.START);
        Workflow w = view.workflow(workflow("wf", List.of(task("a")), List.of(once, other), null, null), true);

        DecisionPlan first = decider.decide(event(5, "x"));
        assertThat(first.executions).hasSize(1);
        String ruleSet = "triggers:" + EventDecider.triggerId(new Rule(once.condition(), once.action())) + ":1";
        assertThat(first.states).containsExactly(new RuleState(-w.id(), ruleSet, 0, Map.of("firedAtVersion", "5")));
        view.store(first.states);

        // a new snapshot puts the once-trigger second: its state is found where it was, so it does not fire again
        view.upload(w, workflow("wf", List.of(task("a")), List.of(other, once), null, null));
        DecisionPlan again = decider.decide(event(6, "x"));
        assertThat(again.executions).isEmpty();
        assertThat(again.states).isEmpty();
        assertThat(decider.decide(event(7, "y")).executions).hasSize(1);
    }

    // ---------------------------------------------------------------- task rules

    @Test
    void taskRuleStartQueuesTheTaskOnce() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(onEvent("go"), Action.START),
                new Rule(onEvent("g*"), Action.START))), null, null, null);
        WorkflowExecution x = view.execution(view.workflow(def, true));

        DecisionPlan plan = decider.decide(event(4, "go"));

        assertThat(plan.tasks).hasSize(1);
        NewTaskExecution queued = plan.tasks.get(0);
        assertThat(queued.workflowExecutionId()).isEqualTo(x.id());
        assertThat(queued.taskName()).isEqualTo("b");
        assertThat(queued.namespace()).isEqualTo("team");
        assertThat(queued.runnerType()).isEqualTo("process");
        assertThat(queued.reason()).isEqualTo("START by event 4 (default/go)");
    }

    @Test
    void taskRuleStartDoesNothingWhileTheTaskIsActive() {
        WorkflowExecution x = view.execution(view.workflow(twoTasks(null), true));
        view.task(x, "b", TaskStatus.RUNNING, "{}");

        assertThat(decider.decide(event(1, "go")).tasks).isEmpty();
    }

    @Test
    void taskRuleStartAfterAFinalAttemptQueuesAnother() {
        WorkflowExecution x = view.execution(view.workflow(twoTasks(null), true));
        view.task(x, "b", TaskStatus.FAILED, "{}");

        assertThat(names(decider.decide(event(1, "go")).tasks)).containsExactly("b");
    }

    @Test
    void restartStopsTheActiveAttemptAndQueuesOne() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(onEvent("again"), Action.RESTART))), null, null,
                null);
        WorkflowExecution x = view.execution(view.workflow(def, true));
        TaskExecution running = view.task(x, "b", TaskStatus.RUNNING, "{\"job\":1}");

        DecisionPlan plan = decider.decide(event(9, "again"));

        assertThat(plan.stops).containsOnlyKeys(running.id());
        assertThat(plan.stops.get(running.id()).to()).isEqualTo(TaskStatus.STOPPING);
        assertThat(names(plan.tasks)).containsExactly("b");
        assertThat(plan.executionsToStop).isEmpty();
    }

    @Test
    void taskRuleStopStopsTheActiveAttempt() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(onEvent("halt"), Action.STOP))), null, null, null);
        WorkflowExecution x = view.execution(view.workflow(def, true));
        TaskExecution waiting = view.task(x, "b", TaskStatus.WAITING, null);

        DecisionPlan plan = decider.decide(event(9, "halt"));

        assertThat(plan.stops.get(waiting.id()).to()).isEqualTo(TaskStatus.STOPPED);
        assertThat(plan.tasks).isEmpty();
    }

    @Test
    void noneFiresAndDecidesNothingNotEvenLaterRules() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(onEvent("go"), Action.NONE),
                new Rule(onEvent("go"), Action.START))), null, null, null);
        view.execution(view.workflow(def, true));

        assertThat(decider.decide(event(1, "go")).isEmpty()).isTrue();
    }

    @Test
    void anEventScopedToOneExecutionTouchesOnlyThatOne() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(onEvent("go"), Action.START))),
                List.of(new Trigger(onEvent("go"), Action.START)), null, null);
        Workflow w = view.workflow(def, true);
        WorkflowExecution one = view.execution(w);
        WorkflowExecution two = view.execution(w);

        assertThat(decider.decide(event(1, "go")).tasks).extracting(NewTaskExecution::workflowExecutionId)
                .containsExactly(one.id(), two.id());

        DecisionPlan scoped = decider.decide(scoped(2, "go", " " + two.id() + " "));
        assertThat(scoped.tasks).extracting(NewTaskExecution::workflowExecutionId).containsExactly(two.id());
        assertThat(scoped.executions).as("a scoped event is no trigger").isEmpty();

        assertThat(decider.decide(scoped(3, "go", "not-a-number")).isEmpty()).isTrue();
        assertThat(decider.decide(scoped(4, "go", "424242")).isEmpty()).isTrue();
    }

    @Test
    void ruleStateChangesAreCollectedInThePlan() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(onEventOnce("go"), Action.START))), null, null,
                null);
        WorkflowExecution x = view.execution(view.workflow(def, true));

        DecisionPlan plan = decider.decide(event(11, "go"));

        assertThat(plan.states).containsExactly(new RuleState(x.id(), "b", 0, Map.of("firedAtVersion", "11")));
        assertThat(names(plan.tasks)).containsExactly("b");
        view.store(plan.states);
        view.task(x, "b", TaskStatus.SUCCESS, "{}");
        assertThat(decider.decide(event(12, "go")).isEmpty()).as("ONCE: fired already in this execution").isTrue();
    }

    /** Deciding without the rule would lose the event for it: the worker waits for the type instead (MissingConditionTypeTest). */
    @Test
    void anUninstalledConditionTypeStopsTheDecision() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(new ConditionSpec("nosuch", Map.of()), Action.STOP),
                new Rule(onEvent("go"), Action.START))), null, null, null);
        view.execution(view.workflow(def, true));

        assertThatThrownBy(() -> decider.decide(event(1, "go"))).isInstanceOf(EventDecider.ConditionTypeMissing.class)
                .hasMessageContaining("condition type 'nosuch' of workflow team/wf");
    }

    @Test
    void aConditionThatThrowsIsSkippedWithoutFailingTheDecision() {
        conditions.add(new Broken(), Map.of(ConditionType.TYPE_PROPERTY, "broken"));
        WorkflowDefinition def = workflow("wf", List.of(task("a", new Rule(new ConditionSpec("broken", Map.of()), Action.START)),
                task("b", new Rule(new ConditionSpec("broken", Map.of()), Action.STOP), new Rule(onEvent("go"), Action.START))),
                List.of(new Trigger(new ConditionSpec("broken", Map.of()), Action.START)), null, null);
        view.execution(view.workflow(def, true));

        DecisionPlan plan = decider.decide(event(1, "go"));

        assertThat(names(plan.tasks)).containsExactly("b");
        assertThat(plan.executions).isEmpty();
    }

    // ---------------------------------------------------------------- schedules

    static Event fire(long version, Workflow w, String schedule) {
        return new Event(version, ScheduleEvents.NAMESPACE, ScheduleEvents.key(w.name(), schedule), "2026-01-01T00:00:00Z",
                ScheduleEvents.TYPE, ScheduleEvents.SENDER, Map.of(ScheduleEvents.CONTEXT_WORKFLOW_ID, Long.toString(w.id()),
                ScheduleEvents.CONTEXT_SCHEDULE, schedule, ScheduleEvents.CONTEXT_WORKFLOW_NAMESPACE, w.namespace()), Instant.EPOCH);
    }

    @Test
    void aScheduleFiringStartsAnExecution() {
        Workflow w = view.workflow(workflow("wf", List.of(task("a")), null, null,
                List.of(new Schedule("hourly", null, 3600L, null, null, null))), true);

        DecisionPlan plan = decider.decide(fire(7, w, "hourly"));

        assertThat(plan.executions).hasSize(1);
        assertThat(names(plan.executions.get(0).initialTasks())).containsExactly("a");
        assertThat(plan.executions.get(0).initialTasks().get(0).reason()).contains("schedule 'hourly' fired").contains("(event 7)");
        assertThat(decider.decide(fire(8, w, "gone")).isEmpty()).as("a schedule the snapshot no longer has").isTrue();
    }

    @Test
    void aTaskScheduleFiringStartsItsTaskInTheRunningExecutions() {
        WorkflowDefinition def = workflow("wf", List.of(task("a"), task("b", new Rule(onEvent("go"), Action.START))), null, null,
                List.of(new Schedule("refresh", null, 60L, null, "b", null)));
        Workflow w = view.workflow(def, true);
        WorkflowExecution one = view.execution(w);
        WorkflowExecution two = view.execution(w);
        view.task(two, "b", TaskStatus.RUNNING, "{}");

        DecisionPlan plan = decider.decide(fire(7, w, "refresh"));

        assertThat(plan.executions).isEmpty();
        assertThat(plan.tasks).extracting(NewTaskExecution::workflowExecutionId).containsExactly(one.id());
        assertThat(names(plan.tasks)).containsExactly("b");
    }
}

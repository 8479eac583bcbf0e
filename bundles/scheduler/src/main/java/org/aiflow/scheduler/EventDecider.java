package org.aiflow.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.spi.condition.ConditionContext;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.storage.Decision;
import org.aiflow.api.spi.storage.NewTaskExecution;
import org.aiflow.api.spi.storage.RuleState;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one event and what the scheduler knows into a {@link DecisionPlan}: which executions start
 * or stop (workflow triggers, schedules firing), which tasks start, stop or restart (task rules),
 * which rule states change. It reads only its {@link View} and stores nothing; the plan is stored in
 * one transaction by the worker. Conditions are asked in rule order; the first rule that fires decides.
 */
final class EventDecider {
    private static final Logger LOG = LoggerFactory.getLogger(EventDecider.class);
    /** Rule-state name of a workflow's triggers. */
    private static final String TRIGGERS = "triggers";

    /** What the decider reads: the scheduler's state (or, in tests, a map in memory). */
    interface View {
        Optional<Workflow> workflow(long workflowId);

        /** The enabled and disabled workflows whose triggers or schedules may react to events with this key, in a stable order. */
        List<Workflow> workflowCandidates(String eventKey);

        /** The running executions whose task rules may react to events with this key. */
        List<WorkflowExecution> executionCandidates(String eventKey);

        List<WorkflowExecution> running();

        /** The running execution with this id, if any. */
        default Optional<WorkflowExecution> runningExecution(long executionId) {
            return running().stream().filter(x -> x.id() == executionId).findFirst();
        }

        /** What the task rules of a snapshot may react to. */
        EventInterest taskInterest(long snapshotId);

        WorkflowDefinition definition(long snapshotId);

        /** The rule states of an owner (execution id, or a workflow's negated id) by {@code ruleSet#index}. */
        Map<String, Map<String, String>> ruleStates(long owner);

        /** The newest attempt of each task of an execution. */
        Map<String, TaskExecution> latestTasks(long executionId);

        /** Whether {@link #latestTasks} of the execution holds every task that ever ran in it (a task missing there never ran). */
        default boolean allAttemptsKnown(long executionId) {
            return false;
        }

        /** The not-final attempts of an execution as the scheduler's copy has them. */
        List<TaskExecution> liveTasks(long executionId);

        /** The attempts with a job, or waiting for their runner. */
        List<TaskExecution> attached();
    }

    private final View view;
    private final PluginRegistry<ConditionType> conditions;
    private final PolicyReview policies;

    EventDecider(View view, PluginRegistry<ConditionType> conditions, PolicyReview policies) {
        this.view = view;
        this.conditions = conditions;
        this.policies = policies;
    }

    DecisionPlan decide(Event e) {
        Long scope = executionScope(e);
        String eventKey = EventInterest.keyOf(e);
        DecisionPlan plan = new DecisionPlan();
        if (scope == null) {
            for (Workflow w : view.workflowCandidates(eventKey)) {
                if (w.enabled()) {
                    decideForWorkflow(w, e, plan);
                }
            }
        }
        List<WorkflowExecution> candidates = scope == null ? view.executionCandidates(eventKey)
                : view.runningExecution(scope).stream().toList(); // every task status event is scoped: no scan
        for (WorkflowExecution x : candidates) {
            Optional<Workflow> w = view.workflow(x.workflowId());
            if (w.isEmpty() || !w.get().enabled() || plan.executionsToStop.contains(x.id())) {
                continue;
            }
            if (!view.taskInterest(x.snapshotId()).mayReactTo(eventKey)) {
                continue;
            }
            WorkflowDefinition def = view.definition(x.snapshotId());
            if (def.tasks().stream().noneMatch(t -> mayReact(t.effectiveRules(), e))) {
                continue; // nothing to load: no rule of this execution can react to the event
            }
            Map<String, Map<String, String>> ruleStates = view.ruleStates(x.id());
            List<TaskExecution> active = view.liveTasks(x.id());
            Map<String, TaskExecution> latest = view.latestTasks(x.id());
            ConditionContext context = context(x.id(), def, latest);
            for (TaskDefinition task : def.tasks()) {
                Optional<Action> action = evaluate(x.id(), task.name(), task.effectiveRules(), e, ruleStates, plan.states, context);
                action.ifPresent(a -> apply(a, x, task, reason(a, e), active,
                        nextAttempt(latest, view.allAttemptsKnown(x.id()), task.name()), plan));
            }
        }
        return plan;
    }

    /**
     * An event reached a rule whose condition type is not installed: it cannot be decided now. The
     * scheduler waits at this event (nothing after it is decided either, so no rule misses an event)
     * until the type is installed again or the workflow is disabled.
     */
    static final class ConditionTypeMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String type;

        ConditionTypeMissing(String type, String workflowName, String ruleSet, long eventVersion) {
            super("condition type '" + type + "' of workflow " + workflowName + " (rules of " + ruleSet + ") is not installed; event "
                    + eventVersion + " and the events after it are decided once it is installed again or the workflow is disabled",
                    null, false, false);
            this.type = type;
        }
    }

    static String reason(Action a, Event e) {
        return a + " by event " + e.version() + " (" + e.namespace() + "/" + e.key() + ")";
    }

    /** Workflow-level reactions to an event: its triggers, and the firing of its schedules. */
    private void decideForWorkflow(Workflow w, Event e, DecisionPlan plan) {
        WorkflowDefinition def = view.definition(w.snapshotId());
        List<WorkflowExecution> mine = view.running().stream().filter(x -> x.workflowId() == w.id()).toList();
        ScheduleFirer.fired(e, w, def).ifPresent(s -> {
            String why = "schedule '" + s.name() + "' fired for " + e.value() + " (event " + e.version() + ")";
            if (s.task() == null) {
                startExecution(w, def, why, plan);
            } else {
                TaskDefinition task = def.task(s.task()).orElseThrow();
                for (WorkflowExecution x : mine) {
                    apply(Action.START, x, task, why, view.liveTasks(x.id()), nextAttempt(view.latestTasks(x.id()), view.allAttemptsKnown(x.id()),
                            task.name()), plan);
                }
            }
        });
        List<Rule> rules = def.triggers().stream().map(t -> new Rule(t.condition(), t.action())).toList();
        if (!mayReact(rules, e)) {
            return;
        }
        long owner = -w.id(); // a workflow's trigger states live beside execution ones, under the negated workflow id
        Map<String, Map<String, String>> states = view.ruleStates(owner);
        ConditionContext context = context(0, def, Map.of());
        Optional<Action> action = Optional.empty();
        Map<String, Integer> seen = new HashMap<>();
        for (Rule rule : rules) {
            // a trigger's state is keyed by what the trigger is, not by its position: a new snapshot
            // that adds, removes or reorders triggers leaves the state of the unchanged ones as it was
            String id = triggerId(rule);
            String ruleSet = TRIGGERS + ":" + id + ":" + seen.merge(id, 1, Integer::sum);
            action = evaluate(owner, ruleSet, List.of(rule), e, states, plan.states, context);
            if (action.isPresent()) {
                break;
            }
        }
        if (action.isEmpty()) {
            return;
        }
        String why = "trigger: " + reason(action.get(), e);
        if (action.get() == Action.STOP || action.get() == Action.RESTART) {
            for (WorkflowExecution x : mine) {
                plan.executionsToStop.add(x.id());
                // the live copy: it has the starts not stored yet, which a stop must see as RUNNING
                view.liveTasks(x.id()).forEach(t -> plan.stop(t, why));
            }
        }
        if (action.get() == Action.START || action.get() == Action.RESTART) {
            startExecution(w, def, why, plan);
        }
    }

    /** Plans a new execution with its initial tasks, if the policies admit it now; otherwise this start is skipped. */
    private void startExecution(Workflow w, WorkflowDefinition def, String why, DecisionPlan plan) {
        if (plan.executions.stream().anyMatch(n -> n.workflowId() == w.id())) {
            return;
        }
        PolicyVerdict verdict = policies.review(PolicyReview.executionStart(w.name(), def), view.attached());
        if (verdict.kind() != PolicyVerdict.Kind.PROCEED) {
            LOG.info("Workflow {}/{}: {} skipped: {}", w.namespace(), w.name(), why, verdict.reason());
            return;
        }
        plan.executions.add(new Decision.NewExecution(w.id(), w.snapshotId(), initialTasks(def, why)));
    }

    static List<NewTaskExecution> initialTasks(WorkflowDefinition def, String why) {
        return def.tasks().stream().filter(TaskDefinition::startsWithExecution)
                .map(t -> new NewTaskExecution(0, def.namespace(), def.name(), t.name(), t.job().runnerType(), why, 1)).toList();
    }

    /**
     * The attempt number of a task's next execution: one more than its newest one as the scheduler
     * knows it (it writes every task execution), so the store need not look it up: 1 for a task that
     * never ran there when {@code allKnown}; 0 (the store looks it up) when that is not known.
     */
    static int nextAttempt(Map<String, TaskExecution> latestTasks, boolean allKnown, String taskName) {
        TaskExecution newest = latestTasks.get(taskName);
        return newest != null ? newest.attempt() + 1 : allKnown ? 1 : 0;
    }

    /** A short, stable name of what a trigger is (its condition and action), for keying its state. */
    static String triggerId(Rule rule) {
        int hash = 31 * (31 * rule.condition().type().hashCode() + rule.condition().config().hashCode()) + rule.action().name().hashCode();
        return Integer.toHexString(hash);
    }

    /** True if some rule's condition may react to the event (or its type is not installed). */
    private boolean mayReact(List<Rule> rules, Event e) {
        for (Rule rule : rules) {
            Optional<ConditionType> type = conditions.get(rule.condition().type());
            if (type.isEmpty()) {
                return true; // unknown: evaluate reports the missing type
            }
            try {
                if (type.get().mayReact(rule.condition().config(), e)) {
                    return true;
                }
            } catch (RuntimeException ex) {
                return true; // let evaluate report it
            }
        }
        return false;
    }

    /** Evaluates rules in order; the first that fires decides. Collects changed rule states. */
    private Optional<Action> evaluate(long owner, String ruleSet, List<Rule> rules, Event e,
                                      Map<String, Map<String, String>> ruleStates, List<RuleState> changed, ConditionContext context) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            Optional<ConditionType> type = conditions.get(rule.condition().type());
            if (type.isEmpty()) {
                // deciding without the rule would lose the event for it for good (a plugin being updated is gone for a moment)
                throw new ConditionTypeMissing(rule.condition().type(), context.workflowNamespace() + "/" + context.workflowName(), ruleSet,
                        e.version());
            }
            Map<String, String> state = ruleStates.getOrDefault(ruleSet + "#" + i, Map.of());
            ConditionResult result;
            try {
                result = type.get().evaluate(rule.condition().config(), e, state, context);
            } catch (RuntimeException ex) {
                LOG.error("Condition type '{}' failed on event {}", rule.condition().type(), e.version(), ex);
                continue;
            }
            if (!result.state().equals(state)) {
                changed.add(new RuleState(owner, ruleSet, i, result.state()));
            }
            if (result.fired()) {
                return Optional.of(rule.action());
            }
        }
        return Optional.empty();
    }

    /** The facts a condition may use about one execution: its tasks' newest statuses as of this decision. */
    private static ConditionContext context(long executionId, WorkflowDefinition def, Map<String, TaskExecution> latestTasks) {
        Map<String, TaskStatus> latest = new HashMap<>();
        latestTasks.forEach((name, t) -> latest.put(name, t.status()));
        return new ConditionContext() {
            @Override
            public long workflowExecutionId() {
                return executionId;
            }

            @Override
            public String workflowNamespace() {
                return def.namespace();
            }

            @Override
            public String workflowName() {
                return def.name();
            }

            @Override
            public Optional<TaskStatus> latestStatus(String taskName) {
                return Optional.ofNullable(latest.get(taskName));
            }
        };
    }

    private static void apply(Action action, WorkflowExecution x, TaskDefinition task, String reason, List<TaskExecution> active,
                              int attempt, DecisionPlan plan) {
        List<TaskExecution> running = active.stream().filter(t -> t.taskName().equals(task.name())).toList();
        boolean alreadyQueued = plan.queued(x.id(), task.name());
        switch (action) {
            case START -> {
                if (running.isEmpty() && !alreadyQueued) {
                    plan.tasks.add(new NewTaskExecution(x.id(), x.namespace(), x.workflowName(), task.name(), task.job().runnerType(), reason,
                            attempt));
                }
            }
            case STOP -> running.forEach(t -> plan.stop(t, reason));
            case RESTART -> {
                running.forEach(t -> plan.stop(t, reason));
                if (!alreadyQueued) {
                    plan.tasks.add(new NewTaskExecution(x.id(), x.namespace(), x.workflowName(), task.name(), task.job().runnerType(), reason,
                            attempt));
                }
            }
            case NONE -> { }
        }
    }

    /** The execution an event is addressed to (its context names one), or null for every one. */
    static Long executionScope(Event e) {
        String id = e.context().get(Event.WORKFLOW_EXECUTION_ID);
        if (id == null) {
            return null;
        }
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException ex) {
            return -1L; // names no execution of ours: affects none
        }
    }
}

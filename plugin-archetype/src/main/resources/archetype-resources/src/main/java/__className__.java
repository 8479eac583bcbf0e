#set( $symbol_pound = '#' )
#set( $symbol_dollar = '$' )
#set( $symbol_escape = '\' )
package ${package};

#if( $pluginKind == "runner" )
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Job runner of type {@value ${symbol_pound}TYPE}: workflows use it with {@code "runnerType": "${pluginName}"}.
 *
 * <p>Its jobs are placeholders to replace with calls to your engine: timers inside this bundle
 * (job configuration {@code durationMillis}, default 1000, and {@code fail}, default false) that
 * write a line to {@code ${pluginName}.log} in the task's log directory when they end.
 *
 * <p>Threads: the scheduler calls {@link ${symbol_pound}submit} and {@link ${symbol_pound}find} from its submit thread
 * for this runner type ({@code aiflow-submit-${pluginName}}) while it calls {@link ${symbol_pound}status} and
 * {@link ${symbol_pound}stop} from its worker ({@code aiflow-scheduler}), so everything shared is in concurrent
 * maps. Re-attach: jobs that live in the bundle cannot outlive it, so a new instance reports the
 * handles of an old one {@code UNKNOWN}; a runner of external jobs keeps in the handle (or finds
 * from the request) whatever it needs to answer {@code status} and {@code find} after a restart.
 */
@Component(property = JobRunner.TYPE_PROPERTY + "=" + ${className}.TYPE)
public class ${className} implements JobRunner {
    /** The runner type: the value of the service property {@value JobRunner${symbol_pound}TYPE_PROPERTY}. */
    public static final String TYPE = "${pluginName}";
    private static final Set<String> FIELDS = Set.of("durationMillis", "fail");

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "${pluginName}-jobs");
        t.setDaemon(true);
        return t;
    });
    /** Running jobs by job id. */
    private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();
    /** Ended jobs by job id (a real runner asks its engine instead of remembering). */
    private final Map<String, JobState> ended = new ConcurrentHashMap<>();
    /** Job ids by task execution id, for {@link ${symbol_pound}find}. */
    private final Map<Long, String> byTaskExecution = new ConcurrentHashMap<>();

    @Override
    public JobHandle submit(JobRequest request) throws JobRunnerException {
        // validate the configuration first: the message of a JobRunnerException is shown to users
        for (String field : request.config().keySet()) {
            if (!FIELDS.contains(field)) {
                throw new JobRunnerException(TYPE + " job has unknown field '" + field + "' (allowed: " + FIELDS + ")");
            }
        }
        Object duration = request.config().getOrDefault("durationMillis", 1000);
        if (!(duration instanceof Number millis) || millis.longValue() < 0) {
            throw new JobRunnerException(TYPE + " job 'durationMillis' must be a non-negative number, got '" + duration + "'");
        }
        boolean fail = Boolean.parseBoolean(String.valueOf(request.config().getOrDefault("fail", false)));
        // the task execution id is unique: a job id derived from it lets find() answer without a lookup table
        String jobId = "task-" + request.taskExecutionId();
        byTaskExecution.put(request.taskExecutionId(), jobId);
        running.put(jobId, timers.schedule(() -> {
            JobState state = fail ? new JobState(JobState.Phase.FAILED, "configured to fail")
                    : new JobState(JobState.Phase.SUCCEEDED, "ran " + millis.longValue() + " ms");
            log(request, state.message());
            ended.put(jobId, state);
            running.remove(jobId);
        }, millis.longValue(), TimeUnit.MILLISECONDS));
        return new JobHandle(TYPE, jobId, Map.of());
    }

    private static void log(JobRequest request, String line) {
        try {
            Files.writeString(request.logDirectory().resolve(TYPE + ".log"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the status carries the same message
        }
    }

    @Override
    public Optional<JobHandle> find(JobRequest request) {
        return Optional.ofNullable(byTaskExecution.get(request.taskExecutionId())).map(id -> new JobHandle(TYPE, id, Map.of()));
    }

    @Override
    public JobState status(JobHandle handle) {
        if (running.containsKey(handle.jobId())) {
            return JobState.running();
        }
        JobState state = ended.get(handle.jobId());
        return state != null ? state : new JobState(JobState.Phase.UNKNOWN, "job " + handle.jobId() + " is not known to this runner");
    }

    @Override
    public void stop(JobHandle handle, boolean withSavepoint) {
        ScheduledFuture<?> job = running.remove(handle.jobId());
        if (job != null && job.cancel(false)) {
            ended.put(handle.jobId(), new JobState(JobState.Phase.STOPPED, "stopped"));
        }
        // stopping a job that already ended is a no-op
    }

    /** In-bundle jobs end with the bundle; a runner of external jobs must leave them running here. */
    @Deactivate
    void deactivate() {
        timers.shutdownNow();
    }
}
#elseif( $pluginKind == "condition" )
import java.util.Map;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.event.Event;
import org.aiflow.api.spi.condition.ConditionResult;
import org.aiflow.api.spi.condition.ConditionType;
import org.osgi.service.component.annotations.Component;

/**
 * Condition type {@value ${symbol_pound}TYPE}: fires when the numeric value of the events with a given key
 * crosses a threshold upwards. Rules use it as
 * {@code {"type": "${pluginName}", "config": {"key": "accuracy", "threshold": 0.9}}}.
 *
 * <p>The scheduler calls it from its worker thread and stores the returned state with the
 * decision; after a crash it may evaluate the same event again from the previous state, so
 * {@code evaluate} is deterministic and without side effects: everything it remembers is in the
 * returned state (here whether the last value was above the threshold).
 */
@Component(property = ConditionType.TYPE_PROPERTY + "=" + ${className}.TYPE)
public class ${className} implements ConditionType {
    /** The condition type: the value of the service property {@value ConditionType${symbol_pound}TYPE_PROPERTY}. */
    public static final String TYPE = "${pluginName}";
    static final String KEY = "key";
    static final String THRESHOLD = "threshold";
    private static final String ABOVE = "above";

    @Override
    public void validate(Map<String, Object> config) {
        if (!(config.get(KEY) instanceof String key) || key.isEmpty()) {
            throw new ValidationException(TYPE + " condition needs a string '" + KEY + "'");
        }
        if (!(config.get(THRESHOLD) instanceof Number)) {
            throw new ValidationException(TYPE + " condition needs a number '" + THRESHOLD + "'");
        }
    }

    @Override
    public boolean mayReact(Map<String, Object> config, Event event) {
        // cheap and state-free; false only where evaluate would neither fire nor change the state
        return event.key().equals(config.get(KEY));
    }

    @Override
    public ConditionResult evaluate(Map<String, Object> config, Event event, Map<String, String> state) {
        if (!mayReact(config, event)) {
            return new ConditionResult(false, state);
        }
        double value;
        try {
            value = Double.parseDouble(event.value());
        } catch (NumberFormatException e) {
            return new ConditionResult(false, state);
        }
        boolean above = value > ((Number) config.get(THRESHOLD)).doubleValue();
        boolean wasAbove = "true".equals(state.get(ABOVE));
        return new ConditionResult(above && !wasAbove, Map.of(ABOVE, Boolean.toString(above)));
    }
}
#else
import java.time.Duration;
import java.util.Optional;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.policy.PolicyVerdict;
import org.aiflow.api.spi.policy.ProposedAction;
import org.aiflow.api.spi.policy.SchedulingPolicy;
import org.aiflow.api.spi.policy.SchedulingView;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.osgi.service.component.annotations.Component;

/**
 * Scheduling policy {@value ${symbol_pound}NAME}: a task with the option {@code "slots": N} (a positive
 * number) runs at most N attempts at once across the workflow's executions; further starts wait
 * {@code QUEUED} (DEFER) until one ends.
 *
 * <p>The scheduler calls it from its worker thread for every proposed start, again on every tick
 * while it defers, and recomputes answers after a restart instead of storing them: it keeps no
 * state and gives the same answer for the same arguments.
 */
@Component(property = SchedulingPolicy.NAME_PROPERTY + "=" + ${className}.NAME)
public class ${className} implements SchedulingPolicy {
    /** The policy's name: the value of the service property {@value SchedulingPolicy${symbol_pound}NAME_PROPERTY}. */
    public static final String NAME = "${pluginName}";
    /** The task option this policy reads; choose one that no other policy reads. */
    static final String OPTION = "slots";

    @Override
    public PolicyVerdict review(ProposedAction action, SchedulingView view) {
        if (action.isExecutionStart() || !(action.taskOptions().get(OPTION) instanceof Number slots)) {
            return PolicyVerdict.PROCEED;
        }
        int running = view.runningTasks(action.workflowName(), action.taskName());
        // keep the reason stable: each new reason is recorded as a status change
        return running < slots.intValue() ? PolicyVerdict.PROCEED
                : PolicyVerdict.defer("waiting for one of " + slots.intValue() + " " + OPTION + " (" + NAME + ")");
    }

    @Override
    public Optional<Duration> timeout(ProposedAction action) {
        return Optional.empty(); // no limit from this policy; the smallest answer of all policies applies
    }

    @Override
    public void validate(WorkflowDefinition workflow) {
        for (TaskDefinition task : workflow.tasks()) {
            Object slots = task.options().get(OPTION);
            if (slots != null && (!(slots instanceof Number n) || n.intValue() < 1 || n.doubleValue() != n.intValue())) {
                throw new ValidationException("task '" + task.name() + "': option '" + OPTION + "' must be a positive whole number, got " + slots);
            }
        }
    }
}
#end

package org.aiflow.scheduler;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link TaskLogRetention task log retention} every {@code intervalSeconds} on this node's
 * log root. Its own configuration PID ({@value #PID}), so that changing a rule restarts this
 * component only, not the scheduler (which would give up the scheduling lease); the log root is the
 * scheduler's {@code logDirectory}, read from the scheduler's PID as the second configuration of
 * this component (Declarative Services merges both; the scheduler's comes last and wins).
 *
 * No metatype {@code Designate}: bnd allows one only for a component with a single PID; the
 * attributes are described here and in docs/operations.md.
 *
 * <p>It needs the {@link SchedulerService} for task statuses and goes with it: while the storage is
 * switched, nothing is deleted. Every node cleans its own root (each node's tasks write there).
 */
@Component(configurationPid = {TaskLogHousekeeper.PID, "org.aiflow.scheduler"}, immediate = true, service = {})
public class TaskLogHousekeeper {
    static final String PID = "org.aiflow.scheduler.tasklogs";
    static final String DEFAULT_RULE = "* age=30d size=10g";
    private static final Logger LOG = LoggerFactory.getLogger(TaskLogHousekeeper.class);

    @ObjectClassDefinition(name = "AI Flow task log retention")
    public @interface Config {
        @AttributeDefinition(name = "Retention rules", description = "One per namespace: '<namespace|*> age=<n><s|m|h|d> size=<n>[k|m|g]'; "
                + "the log directories of finished task executions older than age, then the oldest beyond size (per namespace) "
                + "are deleted; none keeps everything")
        String[] retention() default {DEFAULT_RULE};

        @AttributeDefinition(name = "Retention interval", description = "Seconds between retention runs (1-86400)")
        long intervalSeconds() default 300;
    }

    @Reference
    private SchedulerService scheduler;

    private ScheduledExecutorService executor;

    @Activate
    void activate(Config config, Map<String, Object> properties) {
        List<TaskLogRule> rules = TaskLogRule.parseAll(config.retention()); // a bad rule fails activation, named in the log
        Duration interval = TaskLogRetention.interval(config.intervalSeconds());
        Object dir = properties.get("logDirectory");
        Path root = dir == null || dir.toString().isBlank() ? DataDirectory.root().resolve("aiflow").resolve("logs") : Paths.get(dir.toString());
        if (rules.isEmpty()) {
            LOG.info("Task log retention is off: no rules in {}; task logs under {} are kept", PID, root);
            return;
        }
        TaskLogRetention retention = new TaskLogRetention(root, rules, this::find, Clock.systemUTC());
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aiflow-task-log-retention");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> run(retention), interval.toSeconds(), interval.toSeconds(), TimeUnit.SECONDS);
        LOG.info("Task log retention every {} s under {}: {}", interval.toSeconds(), root, rules);
    }

    private Optional<TaskExecution> find(long id) {
        try {
            return Optional.of(scheduler.task(id));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static void run(TaskLogRetention retention) {
        try {
            retention.run();
        } catch (AiflowException | java.io.IOException | java.io.UncheckedIOException e) {
            LOG.warn("Task log retention failed (next run in the next interval): {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Task log retention failed (next run in the next interval)", e);
        }
    }

    @Deactivate
    void deactivate() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}

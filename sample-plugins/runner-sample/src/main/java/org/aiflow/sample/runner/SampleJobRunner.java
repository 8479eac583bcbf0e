package org.aiflow.sample.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * A sample job runner, the template for writing your own: copy this module, rename the type, and
 * replace the timer with your engine's submit/status/stop calls.
 *
 * <p>What makes it a runner: it implements {@link JobRunner} and is registered as an OSGi service
 * with the {@value JobRunner#TYPE_PROPERTY} property. Nothing else is needed: drop the bundle into
 * Karaf's {@code deploy/} folder and workflows can use {@code "runnerType": "sample"}.
 *
 * <p>Its jobs are timers inside this bundle: configuration {@code durationMillis} (default 500)
 * and {@code fail} (default false); each job writes a line to {@code sample.log} in the task's log
 * directory when it ends. Because the jobs live in the bundle, they cannot survive it: when the
 * bundle stops, its jobs end, and a later instance reports their handles as UNKNOWN (the contract
 * for runners whose jobs cannot outlive them).
 */
@Component(property = JobRunner.TYPE_PROPERTY + "=" + SampleJobRunner.TYPE)
public class SampleJobRunner implements JobRunner {
    static final String TYPE = "sample";
    private static final Set<String> FIELDS = Set.of("durationMillis", "fail");

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aiflow-sample-runner");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ScheduledFuture<?>> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobState> ended = new ConcurrentHashMap<>();

    @Override
    public JobHandle submit(JobRequest request) throws JobRunnerException {
        for (String field : request.config().keySet()) {
            if (!FIELDS.contains(field)) {
                throw new JobRunnerException("sample job has unknown field '" + field + "' (allowed: " + FIELDS + ")");
            }
        }
        long duration = number(request.config().getOrDefault("durationMillis", 500));
        boolean fail = Boolean.parseBoolean(String.valueOf(request.config().getOrDefault("fail", "false")));
        String jobId = UUID.randomUUID().toString();
        jobs.put(jobId, timers.schedule(() -> {
            JobState state = fail ? new JobState(JobState.Phase.FAILED, "the sample job was configured to fail")
                    : new JobState(JobState.Phase.SUCCEEDED, "slept " + duration + " ms");
            log(request, state.message());
            ended.put(jobId, state);
            jobs.remove(jobId);
        }, duration, TimeUnit.MILLISECONDS));
        return new JobHandle(TYPE, jobId, Map.of());
    }

    private static long number(Object value) throws JobRunnerException {
        if (value instanceof Number n && n.longValue() >= 0) {
            return n.longValue();
        }
        throw new JobRunnerException("sample job 'durationMillis' must be a non-negative number, got '" + value + "'");
    }

    private static void log(JobRequest request, String line) {
        try {
            Files.writeString(request.logDirectory().resolve("sample.log"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the status carries the same message; a log directory that vanished is not the job's failure
        }
    }

    @Override
    public JobState status(JobHandle handle) {
        if (jobs.containsKey(handle.jobId())) {
            return JobState.running();
        }
        JobState state = ended.get(handle.jobId());
        return state != null ? state : new JobState(JobState.Phase.UNKNOWN, "this sample runner instance never ran job " + handle.jobId());
    }

    @Override
    public void stop(JobHandle handle, boolean withSavepoint) {
        ScheduledFuture<?> job = jobs.remove(handle.jobId());
        if (job != null && job.cancel(false)) {
            ended.put(handle.jobId(), new JobState(JobState.Phase.STOPPED, "stopped"));
        }
    }

    /** In-process jobs cannot outlive the bundle: end them with it. */
    @Deactivate
    void deactivate() {
        timers.shutdownNow();
    }
}

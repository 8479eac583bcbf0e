package org.aiflow.runner.flink;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link FlinkJobRunner#status}: maps a Flink job's state to the task's (FINISHED → SUCCEEDED,
 * or STOPPED after a stop, with its savepoint recorded; FAILED → FAILED with the cause; CANCELED →
 * STOPPED; unknown → UNKNOWN), follows a stop-with-savepoint under way, hands a stream job suspended by
 * a platform stop to the {@link StreamResumer}, and keeps a job RUNNING while its cluster is unreachable
 * within the cluster's grace.
 */
final class JobStatusPoller {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkJobRunner.class);

    private final Map<String, FlinkCluster> clusters;
    /** The runner's tokens of the jobs it submitted, by Flink job id. */
    private final Map<String, String> tokens;
    private final StreamResumer resumer;
    private final SavepointRecorder savepoints;
    /** Clusters that did not answer, by name: since when (nanoTime). */
    private final Map<String, Long> unreachableSince = new ConcurrentHashMap<>();

    JobStatusPoller(Map<String, FlinkCluster> clusters, Map<String, String> tokens, StreamResumer resumer, SavepointRecorder savepoints) {
        this.clusters = clusters;
        this.tokens = tokens;
        this.resumer = resumer;
        this.savepoints = savepoints;
    }

    JobState status(JobHandle handle) {
        String clusterName = handle.attributes().getOrDefault("cluster", FlinkJobSpec.DEFAULT_CLUSTER);
        FlinkCluster cluster = clusters.get(clusterName);
        if (cluster == null) {
            // cluster configurations may bind after the runner at start-up: wait a while before giving up on the job
            return unreachable(clusterName, Duration.ofSeconds(120), "no Flink cluster named '" + clusterName + "' is configured");
        }
        JobFiles files = FlinkJobRunner.files(handle);
        StreamJobs streams = cluster.streamJobs();
        Optional<StreamJobs.Entry> stream = streams == null ? Optional.empty() : streams.get(handle.jobId());
        String jobId = stream.map(StreamJobs.Entry::jobId).orElse(handle.jobId());
        if (!jobId.equals(handle.jobId())) {
            handle = new JobHandle(handle.runnerType(), jobId, handle.attributes()); // resumed under another id
        }
        try {
            FlinkRest rest = cluster.rest();
            Optional<String> state = rest.jobState(jobId);
            unreachableSince.remove(clusterName);
            boolean ended = state.isEmpty() || state.get().equals("FINISHED");
            if (ended && files != null
                    && files.stopRequest().filter(s -> s.equals(FlinkJobRunner.STOPPED_WHILE_SUSPENDED)).isPresent()) {
                return new JobState(JobState.Phase.STOPPED, "Flink job " + jobId + " stopped with savepoint "
                        + files.savepoint().orElse("?") + " (taken when the platform stopped)");
            }
            if (ended && stream.isPresent() && stream.get().suspended()) {
                return resumer.resume(cluster, rest, handle.jobId(), stream.get(), state.isPresent(), files);
            }
            if (state.isPresent() && FlinkJobRunner.isActive(state.get()) && stream.isPresent() && stream.get().suspended()
                    && !cluster.closing()) {
                // runs again although the resubmission was not recorded (its answer was lost): a running job again
                streams.put(handle.jobId(), stream.get().resumed(jobId));
            }
            if (state.isEmpty()) {
                return new JobState(JobState.Phase.UNKNOWN, "the " + cluster.describe() + " has no job " + jobId
                        + " (the cluster was restarted or has forgotten the job)");
            }
            Optional<String> stop = files == null ? Optional.empty() : files.stopRequest();
            // a job that ended needs no token of its own any more (its failure cause, read below, still gets it redacted)
            String token = FlinkJobRunner.isActive(state.get()) ? tokens.get(jobId) : tokens.remove(jobId);
            if (!FlinkJobRunner.isActive(state.get())) {
                FlinkJobRunner.forget(cluster, handle.jobId());
                cluster.forgetJobLogs(jobId);
            }
            JobHandle h = handle;
            return switch (state.get()) {
                case "FINISHED" -> stop.isPresent() ? stopped(h, files, rest, stop.get())
                        : new JobState(JobState.Phase.SUCCEEDED, "Flink job " + jobId + " finished");
                case "CANCELED" -> new JobState(JobState.Phase.STOPPED, "Flink job " + jobId + " was cancelled"
                        + (stop.filter(s -> s.startsWith("cancel after")).map(s -> " (" + s + ")").orElse("")));
                case "FAILED" -> failed(h, files, rest, token);
                default -> {
                    stop.filter(s -> s.startsWith("savepoint ")).ifPresent(s -> followSavepoint(h, files, rest, s.substring(10)));
                    yield JobState.running();
                }
            };
        } catch (FlinkRestException e) {
            if (e.unreachable()) {
                return unreachable(clusterName, cluster.unreachableGrace(), e.getMessage());
            }
            LOG.warn("Flink cluster '{}' answered an error for job {}: {}", clusterName, jobId, e.summary());
            return JobState.running();
        }
    }

    private JobState unreachable(String clusterName, Duration grace, String why) {
        long since = unreachableSince.computeIfAbsent(clusterName, c -> System.nanoTime());
        if (System.nanoTime() - since < grace.toNanos()) {
            return new JobState(JobState.Phase.RUNNING, why);
        }
        return new JobState(JobState.Phase.UNKNOWN, why + " for more than " + grace.toSeconds() + " s");
    }

    private JobState failed(JobHandle handle, JobFiles files, FlinkRest rest, String token) throws FlinkRestException {
        String cause = FlinkJobRunner.redact(rest.failureCause(handle.jobId()), token);
        if (files != null && files.failure(cause)) {
            files.log("Flink job " + handle.jobId() + " failed:\n" + cause);
        }
        String first = cause.lines().filter(l -> !l.isBlank()).findFirst().orElse("no cause reported");
        // the root cause is the most telling line of a Flink stack trace
        String root = cause.lines().filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b).map(l -> l.substring(11)).orElse(first);
        return new JobState(JobState.Phase.FAILED, "Flink job " + handle.jobId() + " failed: " + root);
    }

    /** A job that finished after a stop request: with a savepoint, record it. */
    private JobState stopped(JobHandle handle, JobFiles files, FlinkRest rest, String stop) throws FlinkRestException {
        if (!stop.startsWith("savepoint ")) {
            return new JobState(JobState.Phase.STOPPED, "Flink job " + handle.jobId() + " stopped");
        }
        Optional<String> location = files.savepoint();
        if (location.isEmpty()) {
            FlinkRest.SavepointStatus s = rest.savepointStatus(handle.jobId(), stop.substring(10));
            if (!s.done()) {
                return JobState.running();
            }
            if (s.location() == null) {
                return new JobState(JobState.Phase.STOPPED, "Flink job " + handle.jobId() + " stopped; its savepoint failed");
            }
            location = Optional.of(s.location());
            savepoints.record(handle, files, s.location());
        }
        return new JobState(JobState.Phase.STOPPED, "Flink job " + handle.jobId() + " stopped with savepoint " + location.get());
    }

    /** While a stop-with-savepoint runs: if the savepoint failed the job keeps running, so cancel it. */
    private void followSavepoint(JobHandle handle, JobFiles files, FlinkRest rest, String trigger) {
        try {
            FlinkRest.SavepointStatus s = rest.savepointStatus(handle.jobId(), trigger);
            if (s.done() && s.location() == null) {
                files.log("stop-with-savepoint failed, cancelling the job:\n" + s.failure());
                files.stopRequest("cancel after a failed savepoint");
                rest.cancel(handle.jobId());
            }
        } catch (FlinkRestException e) {
            LOG.debug("Savepoint trigger {} of job {}: {}", trigger, handle.jobId(), e.getMessage());
        }
    }
}

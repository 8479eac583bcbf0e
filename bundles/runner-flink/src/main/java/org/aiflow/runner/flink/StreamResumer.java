package org.aiflow.runner.flink;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a stream job suspended by a platform stop again from its savepoint: under the same job id
 * when the cluster does not know it (a new local cluster: the usual case), so the scheduler's handle
 * stays valid; under a new one, recorded in the {@link StreamJobs} entry, if the cluster still has the
 * FINISHED job. The savepoint becomes the task's newest (index and metadata artifact). A resubmission
 * the cluster refuses is tried again every few seconds within the cluster's grace.
 */
final class StreamResumer {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkJobRunner.class);
    /** How often a failed resubmission of a suspended job is tried again. */
    private static final Duration RESUME_RETRY = Duration.ofSeconds(3);
    private static final Object RESUME_LOCK = new Object();

    private final JarRuns jars;
    private final SavepointRecorder savepoints;
    /** The runner's tokens of the jobs it submitted, by Flink job id. */
    private final Map<String, String> tokens;
    /** Suspended stream jobs whose resubmission failed, by handle job id: since when (nanoTime). */
    private final Map<String, Long> resumeFailingSince = new ConcurrentHashMap<>();
    /** ... and when to try again (nanoTime). */
    private final Map<String, Long> resumeNextAttempt = new ConcurrentHashMap<>();

    StreamResumer(JarRuns jars, SavepointRecorder savepoints, Map<String, String> tokens) {
        this.jars = jars;
        this.savepoints = savepoints;
        this.tokens = tokens;
    }

    JobState resume(FlinkCluster cluster, FlinkRest rest, String key, StreamJobs.Entry suspended, boolean clusterKnowsJob,
                    JobFiles files) throws FlinkRestException {
        // one resubmission at a time, also across runner instances: at start-up the component may be
        // re-activated (its configuration arrives) while the previous instance is still resubmitting
        synchronized (RESUME_LOCK) {
            return resumeLocked(cluster, rest, key, suspended, clusterKnowsJob, files);
        }
    }

    private JobState resumeLocked(FlinkCluster cluster, FlinkRest rest, String key, StreamJobs.Entry suspended,
                                  boolean clusterKnowsJob, JobFiles files) throws FlinkRestException {
        StreamJobs streams = cluster.streamJobs();
        StreamJobs.Entry job = streams.get(key).orElse(null);
        if (job == null || !job.equals(suspended) || cluster.closing()) {
            return JobState.running(); // resumed by a concurrent call meanwhile, or the platform stops again: look next time
        }
        String location = job.suspendedWith();
        if (location == null) {
            if (!clusterKnowsJob) {
                streams.remove(key);
                return new JobState(JobState.Phase.UNKNOWN, "the " + cluster.describe() + " has no job " + job.jobId()
                        + " (the platform stopped before its savepoint was complete)");
            }
            // the platform ended during the suspension; the cluster still knows how the savepoint went
            FlinkRest.SavepointStatus s = rest.savepointStatus(job.jobId(), job.suspendTrigger());
            if (!s.done()) {
                return JobState.running();
            }
            if (s.location() == null) {
                streams.remove(key);
                return new JobState(JobState.Phase.FAILED, "Flink job " + job.jobId() + " was stopped for a platform stop "
                        + "and its savepoint failed: " + s.failure());
            }
            location = s.location();
        }
        Long next = resumeNextAttempt.get(key);
        if (next != null && System.nanoTime() < next) {
            return new JobState(JobState.Phase.RUNNING, "resuming from savepoint " + location + " after a platform restart");
        }
        String jobId = clusterKnowsJob ? UUID.randomUUID().toString().replace("-", "") : job.jobId();
        Path jar = Paths.get(job.jar());
        if (files != null) {
            cluster.registerJobLogs(jobId, files.directory());
        }
        if (files != null && next == null) {
            files.jobId(cluster.name(), jobId);
            files.log("the platform started again: resubmitting Flink job " + jobId + " to the " + cluster.describe()
                    + ", restoring savepoint " + location);
        }
        try {
            jars.run(cluster, rest, jar, job.entryClass(), job.args(), job.parallelism(), jobId, location, job.allowNonRestoredState(),
                    job.configuration());
        } catch (FlinkRestException e) {
            if (e.unreachable()) {
                throw e; // RUNNING within the cluster's grace; tried again at the next status call
            }
            // e.g. the job's main() asks the platform, which is still starting: try again every few seconds for a while
            String why = FlinkJobRunner.redact(rootCause(e), job.token());
            long now = System.nanoTime();
            long since = resumeFailingSince.computeIfAbsent(key, k -> now);
            if (now - since < cluster.unreachableGrace().toNanos()) {
                if (next == null && files != null) {
                    files.log("resuming from savepoint " + location + " failed, trying again for up to "
                            + cluster.unreachableGrace().toSeconds() + " s: " + why);
                }
                resumeNextAttempt.put(key, now + RESUME_RETRY.toNanos());
                return new JobState(JobState.Phase.RUNNING, "resuming from savepoint " + location + " after a platform restart ("
                        + why + ")");
            }
            resumeFailingSince.remove(key);
            resumeNextAttempt.remove(key);
            streams.remove(key);
            if (files != null) {
                files.log("resuming from savepoint " + location + " failed:\n" + FlinkJobRunner.redact(e.getMessage(), job.token()));
            }
            return new JobState(JobState.Phase.FAILED, "Flink job " + key + " could not resume from savepoint " + location
                    + " after the platform restart: " + why);
        }
        resumeFailingSince.remove(key);
        resumeNextAttempt.remove(key);
        streams.put(key, job.resumed(jobId));
        if (job.token() != null && !job.token().isEmpty()) {
            tokens.put(jobId, job.token());
        }
        if (files != null) {
            files.log("Flink job " + jobId + " runs on " + rest.base() + " again (web UI: " + rest.base() + "#/job/running/" + jobId
                    + "/overview)");
        }
        Map<String, String> a = new HashMap<>();
        a.put("cluster", cluster.name());
        a.put("namespace", job.namespace() == null ? "default" : job.namespace());
        if (job.workflow() != null) {
            a.put("workflow", job.workflow());
        }
        if (job.task() != null) {
            a.put("task", job.task());
        }
        savepoints.record(new JobHandle(FlinkJobRunner.TYPE, jobId, a), null, location);
        LOG.info("Resumed Flink job {} ({}/{}) from savepoint {}", jobId, job.workflow(), job.task(), location);
        return new JobState(JobState.Phase.RUNNING, "resumed from savepoint " + location + " after a platform restart");
    }

    /** The innermost {@code Caused by:} of Flink's error text (the most telling line), else its summary. */
    private static String rootCause(FlinkRestException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        return text.lines().filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b).map(l -> l.substring(11)).orElse(e.summary());
    }
}

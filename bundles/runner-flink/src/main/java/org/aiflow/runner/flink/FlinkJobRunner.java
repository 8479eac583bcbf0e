package org.aiflow.runner.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;
import org.aiflow.api.workflow.TaskKind;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Flink jobs (job type {@code flink}) on the configured {@link FlinkCluster}s through Flink's REST
 * API; the job configuration is described by {@link FlinkJobSpec}.
 *
 * <ul>
 * <li>Submit uploads the jar once per cluster and file version, chooses the Flink job id itself and
 *     records it in the task's log directory before the run call, so {@link #find} recognises a job
 *     whose handle never reached storage.</li>
 * <li>Job states map to task states: FINISHED → SUCCEEDED (STOPPED after a stop), FAILED → FAILED
 *     with the cause from Flink's exception history written to {@code flink-failure.log} and
 *     {@code flink.log}, CANCELED → STOPPED, a job the cluster does not know → UNKNOWN.</li>
 * <li>Stopping a stream task is stop-with-savepoint; the savepoint is recorded (the runner's index,
 *     the log directory and a {@code flink-savepoint} artifact in the metadata service) and the task's
 *     next run starts from it — which is what makes RESTART continue where the job stopped. If the
 *     savepoint fails, the job is cancelled.</li>
 * <li>A graceful platform stop suspends the stream jobs of a local cluster with a savepoint before the
 *     cluster ends ({@link FlinkCluster#suspendStreamJobs}); the first {@link #status} call after the
 *     start submits each again from its savepoint under the same job id, so the scheduler's stored
 *     handle stays valid, the task stays RUNNING (same task execution) and the stream continues at the
 *     record after the savepoint. Jobs on a remote cluster simply keep running and are re-attached.</li>
 * </ul>
 */
@Component(property = JobRunner.TYPE_PROPERTY + "=" + FlinkJobRunner.TYPE, configurationPid = "org.aiflow.runner.flink")
@Designate(ocd = FlinkJobRunner.Config.class)
public class FlinkJobRunner implements JobRunner {
    static final String TYPE = "flink";
    static final String SAVEPOINT_ARTIFACT_TYPE = "flink-savepoint";
    private static final Logger LOG = LoggerFactory.getLogger(FlinkJobRunner.class);

    @ObjectClassDefinition(name = "AI Flow flink runner")
    public @interface Config {
        @AttributeDefinition(required = false, description = "The platform's REST base given to jobs as ${aiflow.url} when "
                + "they reach it at another address than the scheduler's AIFLOW_URL (e.g. from a remote cluster); default: "
                + "the scheduler's AIFLOW_URL")
        String platformUrl() default "";

        @AttributeDefinition(required = false, description = "The runner's own state: the savepoint index (default ${karaf.data}/aiflow/flink)")
        String stateDirectory() default "";
    }

    private final Map<String, FlinkCluster> clusters = new ConcurrentHashMap<>();
    private final Map<String, String> uploadedJars = new ConcurrentHashMap<>();
    private final Map<String, Long> unreachableSince = new ConcurrentHashMap<>();
    /** Suspended stream jobs whose resubmission failed, by handle job id: since when (nanoTime). */
    private final Map<String, Long> resumeFailingSince = new ConcurrentHashMap<>();
    /** ... and when to try again (nanoTime). */
    private final Map<String, Long> resumeNextAttempt = new ConcurrentHashMap<>();
    private volatile MetadataService metadata;
    /** Tokens of the jobs this instance submitted, by Flink job id: what their failure causes must not show. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private Path home;
    /** The configured {@code platformUrl}; null: the scheduler's {@code AIFLOW_URL}. */
    private String platformUrl;
    /** For requests without {@code AIFLOW_URL} (an older scheduler). */
    private String defaultUrl = "http://127.0.0.1:8181/aiflow/v1";
    private SavepointIndex savepoints;

    public FlinkJobRunner() {
    }

    /** For use outside OSGi. */
    FlinkJobRunner(Path home, String platformUrl, Path stateDirectory, FlinkCluster... clusters) {
        this.home = home;
        this.platformUrl = platformUrl;
        this.savepoints = new SavepointIndex(stateDirectory.resolve("savepoints"));
        for (FlinkCluster c : clusters) {
            addCluster(c);
        }
    }

    @Activate
    void activate(Config config) {
        home = Paths.get(System.getProperty("karaf.base", System.getProperty("karaf.home", "."))).toAbsolutePath();
        platformUrl = config.platformUrl().isBlank() ? null : config.platformUrl().trim();
        defaultUrl = "http://127.0.0.1:" + System.getProperty("org.osgi.service.http.port", "8181") + "/aiflow/v1";
        Path state = config.stateDirectory().isBlank()
                ? Paths.get(System.getProperty("karaf.data", home.resolve("data").toString()), "aiflow", "flink")
                : Paths.get(config.stateDirectory());
        savepoints = new SavepointIndex(state.resolve("savepoints"));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addCluster(FlinkCluster cluster) {
        clusters.put(cluster.name(), cluster);
    }

    void removeCluster(FlinkCluster cluster) {
        clusters.remove(cluster.name(), cluster);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setMetadata(MetadataService service) {
        metadata = service;
    }

    void unsetMetadata(MetadataService service) {
        if (metadata == service) {
            metadata = null;
        }
    }

    @Override
    public JobHandle submit(JobRequest request) throws JobRunnerException {
        FlinkJobSpec spec = FlinkJobSpec.of(request, home, platformUrl, defaultUrl);
        String token = request.taskEnvironment().get(JobRequest.AIFLOW_TOKEN);
        JobFiles files = new JobFiles(request.logDirectory());
        FlinkCluster cluster = clusters.get(spec.cluster());
        if (cluster == null) {
            throw failed(files, "no Flink cluster named '" + spec.cluster() + "' is configured (configured: "
                    + clusters.keySet().stream().sorted().toList() + ")");
        }
        if (!Files.isRegularFile(spec.jar())) {
            throw failed(files, "the job jar " + spec.jar() + " does not exist");
        }
        String restoreFrom = spec.savepointPath();
        if (restoreFrom == null && request.kind() == TaskKind.STREAM && spec.restoreLatest()) {
            restoreFrom = savepoints.latest(request.namespace(), request.workflowName(), request.taskName()).orElse(null);
        }
        String jobId = UUID.randomUUID().toString().replace("-", "");
        // the token is a secret: never in flink.log (task logs are readable through the REST API)
        files.log("submitting " + spec.jar().getFileName() + (spec.entryClass() == null ? "" : " " + spec.entryClass()) + " "
                + spec.describe(token) + " to the " + cluster.describe() + (restoreFrom == null ? "" : ", restoring savepoint " + restoreFrom));
        try {
            FlinkRest rest = cluster.rest();
            files.jobId(cluster.name(), jobId);
            cluster.registerJobLogs(jobId, request.logDirectory());
            StreamJobs streams = request.kind() == TaskKind.STREAM ? cluster.streamJobs() : null;
            if (streams != null) {
                // before the run call: a platform stop right after it must find the job to suspend
                streams.put(jobId, new StreamJobs.Entry(jobId, cluster.name(), request.logDirectory().toString(),
                        spec.jar().toString(), spec.entryClass(), spec.args(), spec.parallelism(), spec.allowNonRestoredState(),
                        spec.configuration(), request.namespace(), request.workflowName(), request.taskName(), token, null, null));
            }
            String jarId = upload(cluster, rest, spec.jar(), false);
            try {
                rest.runJar(jarId, spec.entryClass(), spec.args(), spec.parallelism(), jobId, restoreFrom, spec.allowNonRestoredState(),
                        spec.configuration());
            } catch (FlinkRestException e) {
                if (e.unreachable() || e.getMessage() == null || !e.getMessage().contains(jarId)) {
                    throw e;
                }
                // the cluster forgot the jar (it restarted): upload it again, once
                rest.runJar(upload(cluster, rest, spec.jar(), true), spec.entryClass(), spec.args(), spec.parallelism(), jobId,
                        restoreFrom, spec.allowNonRestoredState(), spec.configuration());
            }
            files.log("Flink job " + jobId + " runs on " + rest.base() + " (web UI: " + rest.base() + "#/job/running/" + jobId + "/overview)");
        } catch (FlinkRestException e) {
            forget(cluster, jobId);
            cluster.forgetJobLogs(jobId);
            files.log("submission failed:\n" + redact(e.getMessage(), token));
            throw new JobRunnerException("Flink rejected the job: " + redact(e.summary(), token));
        }
        if (token != null && !token.isEmpty()) {
            tokens.put(jobId, token);
        }
        return handle(cluster, jobId, request, restoreFrom);
    }

    /** What the runner needs to find a job again, and what the savepoint record names. */
    private static JobHandle handle(FlinkCluster cluster, String jobId, JobRequest request, String restoredFrom) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("cluster", cluster.name());
        attributes.put("logDirectory", request.logDirectory().toString());
        attributes.put("namespace", request.namespace());
        attributes.put("workflow", request.workflowName());
        attributes.put("task", request.taskName());
        attributes.put("taskExecutionId", Long.toString(request.taskExecutionId()));
        if (restoredFrom != null) {
            attributes.put("restoredFrom", restoredFrom);
        }
        return new JobHandle(TYPE, jobId, attributes);
    }

    /** The text without the token. */
    static String redact(String text, String token) {
        return text == null || token == null || token.isEmpty() ? text : text.replace(token, "***");
    }

    private static JobRunnerException failed(JobFiles files, String message) {
        files.log(message);
        return new JobRunnerException(message);
    }

    private String upload(FlinkCluster cluster, FlinkRest rest, Path jar, boolean again) throws FlinkRestException {
        String key;
        try {
            key = cluster.name() + "|" + rest.base() + "|" + jar + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            throw new FlinkRestException("cannot read " + jar + ": " + e.getMessage(), 0, false);
        }
        if (!again) {
            String known = uploadedJars.get(key);
            if (known != null) {
                return known;
            }
        }
        String id = rest.uploadJar(jar);
        uploadedJars.put(key, id);
        return id;
    }

    @Override
    public Optional<JobHandle> find(JobRequest request) {
        JobFiles files = new JobFiles(request.logDirectory());
        Optional<String[]> recorded = files.jobId();
        if (recorded.isEmpty()) {
            return Optional.empty();
        }
        FlinkCluster cluster = clusters.get(recorded.get()[0]);
        if (cluster == null) {
            return Optional.empty();
        }
        try {
            boolean suspended = cluster.streamJobs() != null
                    && cluster.streamJobs().get(recorded.get()[1]).filter(StreamJobs.Entry::suspended).isPresent();
            if (!suspended && cluster.rest().jobState(recorded.get()[1]).isEmpty()) {
                return Optional.empty();
            }
        } catch (FlinkRestException e) {
            LOG.warn("Cannot look for job {} on Flink cluster '{}': {}", recorded.get()[1], cluster.name(), e.getMessage());
            return Optional.empty();
        }
        files.log("found Flink job " + recorded.get()[1] + " submitted before a platform restart");
        return Optional.of(handle(cluster, recorded.get()[1], request, null));
    }

    @Override
    public JobState status(JobHandle handle) {
        String clusterName = handle.attributes().getOrDefault("cluster", FlinkJobSpec.DEFAULT_CLUSTER);
        FlinkCluster cluster = clusters.get(clusterName);
        if (cluster == null) {
            // cluster configurations may bind after the runner at start-up: wait a while before giving up on the job
            return unreachable(clusterName, Duration.ofSeconds(120), "no Flink cluster named '" + clusterName + "' is configured");
        }
        JobFiles files = files(handle);
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
            if (ended && files != null && files.stopRequest().filter(s -> s.equals(STOPPED_WHILE_SUSPENDED)).isPresent()) {
                return new JobState(JobState.Phase.STOPPED, "Flink job " + jobId + " stopped with savepoint "
                        + files.savepoint().orElse("?") + " (taken when the platform stopped)");
            }
            if (ended && stream.isPresent() && stream.get().suspended()) {
                return resume(cluster, rest, handle.jobId(), stream.get(), state.isPresent(), files);
            }
            if (state.isPresent() && isActive(state.get()) && stream.isPresent() && stream.get().suspended() && !cluster.closing()) {
                // runs again although the resubmission was not recorded (its answer was lost): a running job again
                streams.put(handle.jobId(), stream.get().resumed(jobId));
            }
            if (state.isEmpty()) {
                return new JobState(JobState.Phase.UNKNOWN, "the " + cluster.describe() + " has no job " + jobId
                        + " (the cluster was restarted or has forgotten the job)");
            }
            Optional<String> stop = files == null ? Optional.empty() : files.stopRequest();
            // a job that ended needs no token of its own any more (its failure cause, read below, still gets it redacted)
            String token = isActive(state.get()) ? tokens.get(jobId) : tokens.remove(jobId);
            if (!isActive(state.get())) {
                forget(cluster, handle.jobId());
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

    /** The stop request of a task stopped while its job was suspended by a platform stop. */
    static final String STOPPED_WHILE_SUSPENDED = "stopped while suspended by a platform stop";
    /** How often a failed resubmission of a suspended job is tried again. */
    private static final Duration RESUME_RETRY = Duration.ofSeconds(3);
    private static final Object RESUME_LOCK = new Object();

    /**
     * Submits a stream job suspended by a platform stop again from its savepoint: under the same job id
     * when the cluster does not know it (a new local cluster: the usual case), so the scheduler's handle
     * stays valid; under a new one, recorded in the {@link StreamJobs} entry, if the cluster still has the
     * FINISHED job. The savepoint becomes the task's newest (index and metadata artifact).
     */
    private JobState resume(FlinkCluster cluster, FlinkRest rest, String key, StreamJobs.Entry suspended, boolean clusterKnowsJob,
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
            String jarId = upload(cluster, rest, jar, false);
            try {
                rest.runJar(jarId, job.entryClass(), job.args(), job.parallelism(), jobId, location, job.allowNonRestoredState(),
                        job.configuration());
            } catch (FlinkRestException e) {
                if (e.unreachable() || e.getMessage() == null || !e.getMessage().contains(jarId)) {
                    throw e;
                }
                rest.runJar(upload(cluster, rest, jar, true), job.entryClass(), job.args(), job.parallelism(), jobId, location,
                        job.allowNonRestoredState(), job.configuration());
            }
        } catch (FlinkRestException e) {
            if (e.unreachable()) {
                throw e; // RUNNING within the cluster's grace; tried again at the next status call
            }
            // e.g. the job's main() asks the platform, which is still starting: try again every few seconds for a while
            String why = redact(rootCause(e), job.token());
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
                files.log("resuming from savepoint " + location + " failed:\n" + redact(e.getMessage(), job.token()));
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
        recordSavepoint(new JobHandle(TYPE, jobId, a), null, location);
        LOG.info("Resumed Flink job {} ({}/{}) from savepoint {}", jobId, job.workflow(), job.task(), location);
        return new JobState(JobState.Phase.RUNNING, "resumed from savepoint " + location + " after a platform restart");
    }

    /** The innermost {@code Caused by:} of Flink's error text (the most telling line), else its summary. */
    private static String rootCause(FlinkRestException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        return text.lines().filter(l -> l.startsWith("Caused by: ")).reduce((a, b) -> b).map(l -> l.substring(11)).orElse(e.summary());
    }

    private static void forget(FlinkCluster cluster, String key) {
        StreamJobs streams = cluster.streamJobs();
        if (streams != null) {
            try {
                streams.remove(key);
            } catch (RuntimeException e) {
                LOG.debug("Cannot remove the stream job entry of {}: {}", key, e.toString());
            }
        }
    }

    private JobState unreachable(String clusterName, Duration grace, String why) {
        long since = unreachableSince.computeIfAbsent(clusterName, c -> System.nanoTime());
        if (System.nanoTime() - since < grace.toNanos()) {
            return new JobState(JobState.Phase.RUNNING, why);
        }
        return new JobState(JobState.Phase.UNKNOWN, why + " for more than " + grace.toSeconds() + " s");
    }

    private static JobFiles files(JobHandle handle) {
        String dir = handle.attributes().get("logDirectory");
        return dir == null || !Files.isDirectory(Paths.get(dir)) ? null : new JobFiles(Paths.get(dir));
    }

    private JobState failed(JobHandle handle, JobFiles files, FlinkRest rest, String token) throws FlinkRestException {
        String cause = redact(rest.failureCause(handle.jobId()), token);
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
            recordSavepoint(handle, files, s.location());
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

    private void recordSavepoint(JobHandle handle, JobFiles files, String location) {
        Map<String, String> a = handle.attributes();
        if (files != null) {
            files.savepoint(location);
            files.log("stopped with savepoint " + location);
        }
        String namespace = a.getOrDefault("namespace", "default");
        String workflow = a.get("workflow");
        String task = a.get("task");
        if (workflow == null || task == null) {
            return;
        }
        savepoints.record(namespace, workflow, task, location);
        MetadataService m = metadata;
        if (m == null) {
            return;
        }
        String name = workflow + "." + task + ".savepoint";
        Map<String, String> properties = Map.of("jobId", handle.jobId(), "taskExecutionId", a.getOrDefault("taskExecutionId", ""),
                "cluster", a.getOrDefault("cluster", ""));
        ArtifactDraft draft = new ArtifactDraft(name, SAVEPOINT_ARTIFACT_TYPE, location,
                "newest savepoint of stream task " + workflow + "/" + task, properties);
        try {
            Optional<Artifact> existing;
            try {
                existing = Optional.of(m.artifact(namespace, name));
            } catch (NotFoundException e) {
                existing = Optional.empty();
            }
            if (existing.isPresent()) {
                m.updateArtifact(namespace, name, existing.get().revision(), draft);
            } else {
                m.createArtifact(namespace, draft);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not record savepoint {} of {}/{} in the metadata service: {}", location, workflow, task, e.getMessage());
        }
    }

    @Override
    public void stop(JobHandle handle, boolean withSavepoint) throws JobRunnerException {
        FlinkCluster cluster = clusters.get(handle.attributes().getOrDefault("cluster", FlinkJobSpec.DEFAULT_CLUSTER));
        if (cluster == null) {
            throw new JobRunnerException("no Flink cluster named '" + handle.attributes().get("cluster") + "' is configured");
        }
        JobFiles files = files(handle);
        if (files != null && files.stopRequest().isPresent()) {
            return; // asked before: the stop is under way
        }
        StreamJobs streams = cluster.streamJobs();
        Optional<StreamJobs.Entry> stream = streams == null ? Optional.empty() : streams.get(handle.jobId());
        if (stream.isPresent() && stream.get().suspendedWith() != null) {
            // stopped before the job was resumed after a platform stop: its suspension savepoint is where it stopped
            String location = stream.get().suspendedWith();
            recordSavepoint(handle, files, location);
            record(files, STOPPED_WHILE_SUSPENDED, "stopped while suspended by the platform stop: not resumed");
            streams.remove(handle.jobId());
            return;
        }
        if (stream.isPresent() && !stream.get().jobId().equals(handle.jobId())) {
            handle = new JobHandle(handle.runnerType(), stream.get().jobId(), handle.attributes()); // resumed under another id
        }
        try {
            FlinkRest rest = cluster.rest();
            Optional<String> state = rest.jobState(handle.jobId());
            if (state.isEmpty() || !isActive(state.get())) {
                return;
            }
            if (withSavepoint) {
                try {
                    String trigger = rest.stopWithSavepoint(handle.jobId(), cluster.savepointDirectory());
                    record(files, "savepoint " + trigger, "stop-with-savepoint requested (trigger " + trigger + ")");
                    return;
                } catch (FlinkRestException e) {
                    if (e.unreachable()) {
                        throw e;
                    }
                    log(files, "stop-with-savepoint refused, cancelling instead: " + e.summary());
                }
            }
            rest.cancel(handle.jobId());
            record(files, "cancel", "cancel requested");
        } catch (FlinkRestException e) {
            throw new JobRunnerException("cannot stop Flink job " + handle.jobId() + ": " + e.summary());
        }
    }

    private static void record(JobFiles files, String request, String line) {
        if (files != null) {
            files.stopRequest(request);
            files.log(line);
        }
    }

    private static void log(JobFiles files, String line) {
        if (files != null) {
            files.log(line);
        }
    }

    static boolean isActive(String state) {
        return !(state.equals("FINISHED") || state.equals("FAILED") || state.equals("CANCELED") || state.equals("SUSPENDED"));
    }
}

package org.aiflow.runner.flink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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
    private final JarRuns jars = new JarRuns();
    private volatile MetadataService metadata;
    /** Tokens of the jobs this instance submitted, by Flink job id: what their failure causes must not show. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private Path home;
    /** The configured {@code platformUrl}; null: the scheduler's {@code AIFLOW_URL}. */
    private String platformUrl;
    /** For requests without {@code AIFLOW_URL} (an older scheduler). */
    private String defaultUrl = "http://127.0.0.1:8181/aiflow/v1";
    private SavepointRecorder savepoints;
    private JobStatusPoller poller;

    public FlinkJobRunner() {
    }

    /** For use outside OSGi. */
    FlinkJobRunner(Path home, String platformUrl, Path stateDirectory, FlinkCluster... clusters) {
        this.home = home;
        this.platformUrl = platformUrl;
        wire(stateDirectory);
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
        wire(state);
    }

    /** The parts that keep the runner's state (the savepoint index lives in {@code state}). */
    private void wire(Path state) {
        savepoints = new SavepointRecorder(new SavepointIndex(state.resolve("savepoints")), () -> metadata);
        poller = new JobStatusPoller(clusters, tokens, new StreamResumer(jars, savepoints, tokens), savepoints);
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
            jars.run(cluster, rest, spec.jar(), spec.entryClass(), spec.args(), spec.parallelism(), jobId, restoreFrom,
                    spec.allowNonRestoredState(), spec.configuration());
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
        return poller.status(handle);
    }

    /** The stop request of a task stopped while its job was suspended by a platform stop. */
    static final String STOPPED_WHILE_SUSPENDED = "stopped while suspended by a platform stop";

    /** Drops the stream job entry of a job that ended (or was never started). */
    static void forget(FlinkCluster cluster, String key) {
        StreamJobs streams = cluster.streamJobs();
        if (streams != null) {
            try {
                streams.remove(key);
            } catch (RuntimeException e) {
                LOG.debug("Cannot remove the stream job entry of {}: {}", key, e.toString());
            }
        }
    }

    /** The job's log directory files, or null when the directory is gone. */
    static JobFiles files(JobHandle handle) {
        String dir = handle.attributes().get("logDirectory");
        return dir == null || !Files.isDirectory(Paths.get(dir)) ? null : new JobFiles(Paths.get(dir));
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
            savepoints.record(handle, files, location);
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

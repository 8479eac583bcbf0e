package org.aiflow.runner.flink;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Flink cluster the runner can submit to, configured by a factory configuration
 * {@code org.aiflow.runner.flink.cluster~<name>} (file {@code etc/org.aiflow.runner.flink.cluster-<name>.cfg}).
 *
 * <ul>
 * <li>{@code mode=local}: a MiniCluster in a child JVM of the platform, started on first use, found
 *     again after a platform crash, ended when the platform shuts down — after its running stream
 *     jobs were stopped with a savepoint, from which the runner resumes them when the platform starts
 *     again (see {@link #suspendStreamJobs}).</li>
 * <li>{@code mode=remote}: an existing session cluster at {@code restUrl}.</li>
 * </ul>
 */
@Component(service = FlinkCluster.class, configurationPid = FlinkCluster.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = FlinkCluster.Config.class, factory = true)
public class FlinkCluster {
    static final String PID = "org.aiflow.runner.flink.cluster";

    @ObjectClassDefinition(name = "AI Flow Flink cluster", description = "A Flink cluster the flink runner submits jobs to")
    public @interface Config {
        @AttributeDefinition(description = "The name tasks use in their 'cluster' field")
        String name() default "local";

        @AttributeDefinition(options = {@Option(value = "local"), @Option(value = "remote")},
                description = "local: a MiniCluster in a child JVM; remote: an existing session cluster at restUrl")
        String mode() default "local";

        @AttributeDefinition(required = false, description = "Remote mode: the cluster's REST address, e.g. http://flink-jm:8081")
        String restUrl() default "";

        @AttributeDefinition(required = false, description = "Where stop-with-savepoint writes (empty: the cluster's state.savepoints.dir)")
        String savepointDirectory() default "";

        @AttributeDefinition(description = "Timeout of one REST call, seconds")
        int requestTimeoutSeconds() default 30;

        @AttributeDefinition(description = "How long a running job's cluster may be unreachable before the job counts as lost, seconds")
        int unreachableGraceSeconds() default 120;

        @AttributeDefinition(required = false, description = "Local mode: the Flink libraries (default ${karaf.home}/flink/lib)")
        String localLibDirectory() default "";

        @AttributeDefinition(required = false, description = "Local mode, when the library directory is not set and ${karaf.home}/flink/lib "
                + "does not exist (Karaf without the AI Flow distribution): a URL of the zip of the local cluster's libraries, "
                + "e.g. mvn:org.aiflow/org.aiflow.flink.cluster/<version>/zip/lib, unpacked once under ${karaf.data}/flink/lib/")
        String localLibArtifact() default "";

        @AttributeDefinition(required = false, description = "Local mode: state, savepoints and checkpoints (default ${karaf.data}/flink/<name>)")
        String localStateDirectory() default "";

        @AttributeDefinition(description = "Local mode: REST port (0: any free port)")
        int localPort() default 0;

        @AttributeDefinition(description = "Local mode: task slots")
        int localSlots() default 4;

        @AttributeDefinition(description = "Local mode: options of the cluster's JVM, space separated")
        String localJvmOptions() default "-Xmx1g";

        @AttributeDefinition(description = "Local mode: how long the cluster may take to start, seconds")
        int localStartTimeoutSeconds() default 90;

        @AttributeDefinition(description = "Local mode: at a platform shutdown, how long the savepoints of the running stream "
                + "jobs may take in all, seconds (a job whose savepoint is not complete by then is lost with the cluster)")
        int localSuspendTimeoutSeconds() default 60;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FlinkCluster.class);

    private final String name;
    private final URI remote;
    private final LocalClusterProcess local;
    private final String savepointDirectory;
    private final Duration requestTimeout;
    private final Duration unreachableGrace;
    private final StreamJobs streamJobs;
    private Duration suspendTimeout = Duration.ofSeconds(60);
    /** Set when the platform shuts down: no local cluster is started any more. */
    private volatile boolean closing;
    private BundleContext context;
    private FlinkRest client;
    private URI localUrl;

    @Activate
    public FlinkCluster(Config config, BundleContext context) {
        this(config.name(), config.mode(), config.restUrl(), config.savepointDirectory(), Duration.ofSeconds(config.requestTimeoutSeconds()),
                Duration.ofSeconds(config.unreachableGraceSeconds()), localProcess(config));
        this.suspendTimeout = Duration.ofSeconds(Math.max(1, config.localSuspendTimeoutSeconds()));
        this.context = context;
    }

    FlinkCluster(String name, String mode, String restUrl, String savepointDirectory, Duration requestTimeout, Duration unreachableGrace,
                 LocalClusterProcess local) {
        org.aiflow.api.error.Names.identifier("Flink cluster name", name);
        this.name = name;
        this.savepointDirectory = savepointDirectory == null || savepointDirectory.isBlank() ? null : savepointDirectory;
        this.requestTimeout = requestTimeout;
        this.unreachableGrace = unreachableGrace;
        switch (mode) {
            case "local" -> {
                this.remote = null;
                this.local = local;
            }
            case "remote" -> {
                if (restUrl == null || restUrl.isBlank()) {
                    throw new IllegalArgumentException("Flink cluster '" + name + "' is remote but has no restUrl");
                }
                this.remote = URI.create(restUrl.strip());
                this.local = null;
            }
            default -> throw new IllegalArgumentException("Flink cluster '" + name + "': mode must be local or remote, not '" + mode + "'");
        }
        this.streamJobs = this.local == null ? null : new StreamJobs(this.local.stateDirectory().resolve("aiflow-stream-jobs"));
    }

    /** A remote cluster, for use outside OSGi. */
    static FlinkCluster remote(String name, URI restUrl, String savepointDirectory, Duration requestTimeout, Duration unreachableGrace) {
        return new FlinkCluster(name, "remote", restUrl.toString(), savepointDirectory, requestTimeout, unreachableGrace, null);
    }

    /** A local cluster, for use outside OSGi. */
    static FlinkCluster local(String name, LocalClusterProcess process, Duration requestTimeout) {
        return new FlinkCluster(name, "local", null, null, requestTimeout, Duration.ofSeconds(120), process);
    }

    private static LocalClusterProcess localProcess(Config config) {
        if (!"local".equals(config.mode())) {
            return null;
        }
        String home = System.getProperty("karaf.home", ".");
        String data = System.getProperty("karaf.data", home + "/data");
        Path lib = config.localLibDirectory().isBlank() ? Paths.get(home, "flink", "lib") : Paths.get(config.localLibDirectory());
        String artifact = null;
        if (config.localLibDirectory().isBlank() && !java.nio.file.Files.isDirectory(lib) && !config.localLibArtifact().isBlank()) {
            // a stock Karaf: the libraries from the Maven repository, one directory per artifact (a new version, a new directory)
            artifact = config.localLibArtifact().strip();
            lib = Paths.get(data, "flink", "lib", artifact.replaceAll("[^A-Za-z0-9._-]+", "_"));
        }
        Path state = config.localStateDirectory().isBlank() ? Paths.get(data, "flink", config.name()) : Paths.get(config.localStateDirectory());
        List<String> jvm = Arrays.stream(config.localJvmOptions().trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return new LocalClusterProcess(config.name(), lib, artifact, state, Paths.get(data, "log", "flink-" + config.name() + ".log"),
                config.localPort(), config.localSlots(), jvm, Duration.ofSeconds(config.localStartTimeoutSeconds()));
    }

    /**
     * Ends the local cluster when the whole framework stops (a graceful platform stop: {@code bin/stop},
     * {@code system:shutdown}), after suspending its stream jobs with a savepoint each; a runner update
     * alone leaves it (and its jobs) running.
     *
     * <p>Why suspend rather than leave the cluster running past the platform (which is what happens
     * after a kill -9): a graceful stop should stop what the platform started — a cluster that outlives
     * every {@code bin/stop} is an orphan JVM holding a gigabyte, ports and files, in tests and CI as
     * much as on a laptop, and the platform could not be stopped as a whole any more without a second,
     * cluster-specific command. A stop-with-savepoint (no drain) ends the source at a barrier and the
     * sink has written exactly the records before it; restored from that savepoint the job goes on at the
     * next record. So the job's output continues with no gap and no repeat, only paused while the
     * platform is down — the same mechanism a RESTART of a stream task already relies on.
     */
    @Deactivate
    void deactivate() {
        if (local != null && context != null && context.getBundle(0).getState() == Bundle.STOPPING) {
            shutDown();
        }
    }

    /** What a graceful platform stop does to a local cluster: suspend its stream jobs, then end it. */
    void shutDown() {
        closing = true;
        try {
            suspendStreamJobs(suspendTimeout);
        } catch (RuntimeException e) {
            LOG.warn("Suspending the stream jobs of the {} failed: {}", describe(), e.toString());
        }
        local.stop(Duration.ofSeconds(20));
    }

    /**
     * Stops every stream job the runner started on this local cluster that still runs with a savepoint,
     * and records the savepoint in {@link #streamJobs()}: the runner then submits the job again from it
     * (same job id: the handle the scheduler keeps stays valid) the first time it is asked for the job's
     * status after the platform started again. The entry is marked before the stop is requested, so a
     * status call meanwhile sees the FINISHED job as RUNNING, not as a stream that ended by itself.
     * A job whose savepoint fails or does not complete within {@code timeout} dies with the cluster (its
     * task then fails as lost, as before).
     */
    void suspendStreamJobs(Duration timeout) {
        StreamJobs jobs = streamJobs();
        Optional<LocalClusterProcess.Running> running = local == null ? Optional.empty() : local.running();
        if (jobs == null || running.isEmpty()) {
            return;
        }
        FlinkRest rest = new FlinkRest(running.get().url(), requestTimeout);
        Map<String, StreamJobs.Entry> triggered = new LinkedHashMap<>();
        for (Map.Entry<String, StreamJobs.Entry> e : jobs.all().entrySet()) {
            StreamJobs.Entry job = e.getValue();
            JobFiles files = job.files();
            try {
                Optional<String> state = rest.jobState(job.jobId());
                if (state.isEmpty() || !FlinkJobRunner.isActive(state.get()) || job.suspended()
                        || (files != null && files.stopRequest().isPresent())) {
                    continue; // ended, or a stop the user asked for is under way: nothing to resume
                }
                String trigger = rest.stopWithSavepoint(job.jobId(), savepointDirectory);
                StreamJobs.Entry marked = job.suspending(trigger);
                jobs.put(e.getKey(), marked);
                triggered.put(e.getKey(), marked);
                if (files != null) {
                    files.log("the platform stops: stop-with-savepoint (trigger " + trigger + ") so that the job resumes from it "
                            + "when the platform starts again");
                }
            } catch (FlinkRestException ex) {
                LOG.warn("Cannot suspend Flink job {} on the {}: {}", job.jobId(), describe(), ex.summary());
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!triggered.isEmpty()) {
            for (Iterator<Map.Entry<String, StreamJobs.Entry>> it = triggered.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, StreamJobs.Entry> e = it.next();
                StreamJobs.Entry job = e.getValue();
                JobFiles files = job.files();
                try {
                    FlinkRest.SavepointStatus s = rest.savepointStatus(job.jobId(), job.suspendTrigger());
                    if (!s.done()) {
                        continue;
                    }
                    it.remove();
                    if (s.location() != null) {
                        jobs.put(e.getKey(), job.suspendedWith(s.location()));
                        LOG.info("Suspended Flink job {} ({}/{}) with savepoint {}", job.jobId(), job.workflow(), job.task(), s.location());
                        if (files != null) {
                            files.log("suspended with savepoint " + s.location() + " for the platform stop");
                        }
                    } else {
                        jobs.put(e.getKey(), job.resumed(job.jobId())); // not suspended: it keeps running until the cluster ends
                        LOG.warn("The savepoint of Flink job {} failed; it ends with the cluster: {}", job.jobId(), s.failure());
                        if (files != null) {
                            files.log("the savepoint for the platform stop failed; the job ends with the cluster:\n" + s.failure());
                        }
                    }
                } catch (FlinkRestException ex) {
                    LOG.debug("Savepoint trigger {} of job {}: {}", job.suspendTrigger(), job.jobId(), ex.getMessage());
                }
            }
            if (triggered.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                triggered.forEach((key, job) -> LOG.warn("The savepoint of Flink job {} did not complete within {} s; "
                        + "it ends with the cluster", job.jobId(), timeout.toSeconds()));
                break;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    /** A local cluster writes the job's output into the task's log directory; a remote one cannot (see docs/flink.md). */
    void registerJobLogs(String jobId, Path logDirectory) {
        if (local != null) {
            local.registerJobLogs(jobId, logDirectory);
        }
    }

    void forgetJobLogs(String jobId) {
        if (local != null) {
            local.forgetJobLogs(jobId);
        }
    }

    /** The local cluster's stream jobs (what it takes to resume them after a platform stop); null for a remote cluster. */
    StreamJobs streamJobs() {
        return streamJobs;
    }

    /** The platform is shutting down: nothing may be submitted to this cluster any more. */
    boolean closing() {
        return closing;
    }

    String name() {
        return name;
    }

    boolean isLocal() {
        return local != null;
    }

    String savepointDirectory() {
        return savepointDirectory;
    }

    Duration unreachableGrace() {
        return unreachableGrace;
    }

    /** The cluster's REST API; a local cluster is started first if it does not run. */
    synchronized FlinkRest rest() throws FlinkRestException {
        if (local == null) {
            if (client == null) {
                client = new FlinkRest(remote, requestTimeout);
            }
            return client;
        }
        if (closing) {
            throw new FlinkRestException("the " + describe() + " is shutting down with the platform", 0, true);
        }
        // cheap check (a file and a pid) on every call: a local cluster that died is started again
        URI running = local.running().map(LocalClusterProcess.Running::url).orElse(null);
        if (client == null || running == null || !running.equals(localUrl)) {
            localUrl = local.ensureRunning(requestTimeout);
            client = new FlinkRest(localUrl, requestTimeout);
        }
        return client;
    }

    /** The cluster as users should read it in logs and messages. */
    String describe() {
        return local != null ? "local cluster '" + name + "'" : "remote cluster '" + name + "' at " + remote;
    }

    /** Stops a local cluster now (tests and explicit shutdown). */
    void stopLocal() {
        if (local != null) {
            local.stop(Duration.ofSeconds(20));
        }
    }
}

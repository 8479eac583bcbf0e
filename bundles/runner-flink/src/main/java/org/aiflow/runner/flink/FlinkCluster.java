package org.aiflow.runner.flink;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

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

/**
 * One Flink cluster the runner can submit to, configured by a factory configuration
 * {@code org.aiflow.runner.flink.cluster~<name>} (file {@code etc/org.aiflow.runner.flink.cluster-<name>.cfg}).
 *
 * <ul>
 * <li>{@code mode=local}: a MiniCluster in a child JVM of the platform, started on first use, found
 *     again after a platform crash, ended when the platform shuts down.</li>
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
    }

    private final String name;
    private final URI remote;
    private final LocalClusterProcess local;
    private final String savepointDirectory;
    private final Duration requestTimeout;
    private final Duration unreachableGrace;
    private BundleContext context;
    private FlinkRest client;
    private URI localUrl;

    @Activate
    public FlinkCluster(Config config, BundleContext context) {
        this(config.name(), config.mode(), config.restUrl(), config.savepointDirectory(), Duration.ofSeconds(config.requestTimeoutSeconds()),
                Duration.ofSeconds(config.unreachableGraceSeconds()), localProcess(config));
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
        Path state = config.localStateDirectory().isBlank() ? Paths.get(data, "flink", config.name()) : Paths.get(config.localStateDirectory());
        List<String> jvm = Arrays.stream(config.localJvmOptions().trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        return new LocalClusterProcess(config.name(), lib, state, Paths.get(data, "log", "flink-" + config.name() + ".log"),
                config.localPort(), config.localSlots(), jvm, Duration.ofSeconds(config.localStartTimeoutSeconds()));
    }

    /** Ends the local cluster when the whole framework stops; a runner update alone leaves it (and its jobs) running. */
    @Deactivate
    void deactivate() {
        if (local != null && context != null && context.getBundle(0).getState() == Bundle.STOPPING) {
            local.stop(Duration.ofSeconds(20));
        }
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

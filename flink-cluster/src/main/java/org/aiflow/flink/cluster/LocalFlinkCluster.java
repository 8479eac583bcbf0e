package org.aiflow.flink.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/**
 * A Flink session cluster in one JVM: a {@link MiniCluster} whose REST endpoint accepts jar uploads,
 * so it is driven exactly like a standalone cluster. The flink runner's local mode starts it as a
 * child process; anyone can start it by hand:
 *
 * <pre>java -cp 'flink/lib/*' org.aiflow.flink.cluster.LocalFlinkCluster --state-dir data/flink [--port 8081] [--slots 4]
 *     [--job-log-max-bytes 104857600] [--job-log-keep 3]</pre>
 *
 * <p>Once the REST endpoint is up it writes {@value #CLUSTER_FILE} into the state directory
 * (written to a temporary file, then renamed: a reader never sees half of it) with its pid and REST
 * address; that file is how a platform restarted after a crash finds the cluster again and
 * re-attaches to its jobs. What a job prints and Flink's log lines about it go to the log directory the
 * runner registered for the job under {@value #JOB_LOGS} ({@link JobOutput}). It runs until it is
 * terminated (SIGTERM closes the cluster and removes the file). Savepoints and checkpoints default to directories below the state directory.
 */
public final class LocalFlinkCluster {
    public static final String CLUSTER_FILE = "cluster.json";
    /** Where the flink runner registers the log directory of each job it submits, one file per job id ({@link JobLogs}). */
    public static final String JOB_LOGS = "job-logs";

    private LocalFlinkCluster() {
    }

    public static void main(String[] args) throws Exception {
        // before anything logs: Log4j reads it when it first uses the thread context
        System.setProperty(JobOutput.INHERITABLE, System.getProperty(JobOutput.INHERITABLE, "true"));
        Path stateDir = null;
        int port = 0;
        int slots = 4;
        // defaults like the process runner's logs; also as JVM options (the runner's localJvmOptions)
        long jobLogMaxBytes = Long.getLong("aiflow.jobLogMaxBytes", 100L * 1024 * 1024);
        int jobLogKeep = Integer.getInteger("aiflow.jobLogKeep", 3);
        Configuration conf = new Configuration();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--state-dir" -> stateDir = Paths.get(value).toAbsolutePath();
                case "--port" -> port = Integer.parseInt(value);
                case "--slots" -> slots = Integer.parseInt(value);
                case "--job-log-max-bytes" -> jobLogMaxBytes = Long.parseLong(value);
                case "--job-log-keep" -> jobLogKeep = Integer.parseInt(value);
                case "--config" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("--config needs key=value, got '" + value + "'");
                    }
                    conf.setString(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg
                        + " (allowed: --state-dir, --port, --slots, --job-log-max-bytes, --job-log-keep, --config key=value)");
            }
        }
        if (stateDir == null) {
            throw new IllegalArgumentException("--state-dir is required");
        }
        Files.createDirectories(stateDir);
        // before Flink starts: every job thread's output and log lines can be routed from the first one
        JobLogs jobLogs = new JobLogs(Files.createDirectories(stateDir.resolve(JOB_LOGS)), jobLogMaxBytes, jobLogKeep);
        jobLogs.prune();
        JobOutput.install(jobLogs);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, Integer.toString(port));
        conf.set(WebOptions.SUBMIT_ENABLE, true);
        conf.set(WebOptions.CANCEL_ENABLE, true);
        if (!conf.contains(WebOptions.UPLOAD_DIR)) {
            conf.set(WebOptions.UPLOAD_DIR, stateDir.resolve("uploads").toString());
        }
        if (!conf.contains(CheckpointingOptions.SAVEPOINT_DIRECTORY)) {
            conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, stateDir.resolve("savepoints").toUri().toString());
        }
        if (!conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, stateDir.resolve("checkpoints").toUri().toString());
        }
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build();
        MiniCluster cluster = new MiniCluster(config);
        Path clusterFile = stateDir.resolve(CLUSTER_FILE);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(clusterFile);
                cluster.close();
            } catch (Exception e) {
                System.err.println("closing the Flink cluster failed: " + e);
            } finally {
                closed.countDown();
            }
        }, "aiflow-flink-cluster-shutdown"));
        cluster.start();
        URI rest = cluster.getRestAddress().get();
        writeAtomically(clusterFile, "{\"pid\":" + ProcessHandle.current().pid()
                + ",\"restUrl\":\"http://127.0.0.1:" + rest.getPort() + "\""
                + ",\"startTime\":\"" + Instant.now() + "\"}\n");
        System.out.println("Flink cluster ready at http://127.0.0.1:" + rest.getPort() + " (state in " + stateDir + ")");
        closed.await();
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

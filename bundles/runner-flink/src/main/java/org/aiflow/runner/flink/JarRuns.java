package org.aiflow.runner.flink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts a job jar on a cluster, for a first submission and for the resubmission of a suspended stream
 * job alike: the jar is uploaded once per cluster and file version, and once more if the cluster has
 * forgotten it (it restarted since).
 */
final class JarRuns {
    /** Flink's jar ids, by cluster, REST base, jar path, size and modification time. */
    private final Map<String, String> uploadedJars = new ConcurrentHashMap<>();

    void run(FlinkCluster cluster, FlinkRest rest, Path jar, String entryClass, List<String> args, Integer parallelism, String jobId,
             String savepointPath, boolean allowNonRestoredState, Map<String, String> configuration) throws FlinkRestException {
        String jarId = upload(cluster, rest, jar, false);
        try {
            rest.runJar(jarId, entryClass, args, parallelism, jobId, savepointPath, allowNonRestoredState, configuration);
        } catch (FlinkRestException e) {
            if (e.unreachable() || e.getMessage() == null || !e.getMessage().contains(jarId)) {
                throw e;
            }
            // the cluster forgot the jar (it restarted): upload it again, once
            rest.runJar(upload(cluster, rest, jar, true), entryClass, args, parallelism, jobId, savepointPath, allowNonRestoredState,
                    configuration);
        }
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
}

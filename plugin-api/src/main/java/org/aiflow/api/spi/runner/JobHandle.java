package org.aiflow.api.spi.runner;

import java.util.Map;

import org.aiflow.api.error.Names;

/**
 * What a runner needs to find a job again, also after a platform restart or after the runner
 * bundle was replaced: persisted by the scheduler as soon as {@link JobRunner#submit} returns.
 *
 * @param runnerType the runner type that issued it
 * @param jobId      the runner's id of the job (a pid, a Flink job id, ...)
 * @param attributes anything else the runner needs (log path, cluster, savepoint)
 */
public record JobHandle(String runnerType, String jobId, Map<String, String> attributes) {
    public JobHandle {
        Names.identifier("runner type", runnerType);
        Names.text("job id", jobId, 256);
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }
}

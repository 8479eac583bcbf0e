package org.aiflow.api.spi.runner;

import java.nio.file.Path;
import java.util.Map;

import org.aiflow.api.workflow.TaskKind;

/**
 * A job to start.
 *
 * @param taskExecutionId the task execution this job runs; unique, usable as a job name
 * @param namespace       the workflow's namespace: where the job's metadata (savepoints, lineage) belongs
 * @param workflowName    for logs and job names
 * @param taskName        for logs and job names
 * @param kind            batch jobs finish by themselves, stream jobs run until stopped
 * @param config          the task's job spec configuration, to be validated by the runner
 * @param logDirectory    an existing directory owned by this task execution where the runner
 *                        writes the job's logs ({@code stdout.log}, {@code stderr.log}, ...)
 */
public record JobRequest(long taskExecutionId, String namespace, String workflowName, String taskName, TaskKind kind,
                         Map<String, Object> config, Path logDirectory) {
    public JobRequest {
        namespace = namespace == null ? "default" : namespace;
        config = config == null ? Map.of() : Map.copyOf(config);
    }

    /** A request in the {@code default} namespace (the 1.1 signature). */
    public JobRequest(long taskExecutionId, String workflowName, String taskName, TaskKind kind, Map<String, Object> config,
                      Path logDirectory) {
        this(taskExecutionId, "default", workflowName, taskName, kind, config, logDirectory);
    }
}

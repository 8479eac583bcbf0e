package org.aiflow.api.workflow;

import java.util.Map;

import org.aiflow.api.error.Names;

/**
 * What to run: the runner type (e.g. {@code process}, {@code flink}) and its configuration, which
 * that runner validates when the job is submitted.
 */
public record JobSpec(String runnerType, Map<String, Object> config) {
    public JobSpec {
        Names.identifier("runner type", runnerType);
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}

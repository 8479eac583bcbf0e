package org.aiflow.runner.flink;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.metadata.Artifact;
import org.aiflow.api.metadata.ArtifactDraft;
import org.aiflow.api.metadata.MetadataService;
import org.aiflow.api.spi.runner.JobHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a stream task's newest savepoint where its next run and its users look for it: the task's log
 * directory, the runner's {@link SavepointIndex} (what a restart restores) and a
 * {@value FlinkJobRunner#SAVEPOINT_ARTIFACT_TYPE} artifact in the metadata service, when there is one.
 */
final class SavepointRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkJobRunner.class);

    private final SavepointIndex savepoints;
    /** The metadata service bound now (a dynamic, optional reference), or null. */
    private final Supplier<MetadataService> metadata;

    SavepointRecorder(SavepointIndex savepoints, Supplier<MetadataService> metadata) {
        this.savepoints = savepoints;
        this.metadata = metadata;
    }

    /** The newest savepoint of a task, for a run that restores it. */
    Optional<String> latest(String namespace, String workflow, String task) {
        return savepoints.latest(namespace, workflow, task);
    }

    void record(JobHandle handle, JobFiles files, String location) {
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
        MetadataService m = metadata.get();
        if (m == null) {
            return;
        }
        String name = workflow + "." + task + ".savepoint";
        Map<String, String> properties = Map.of("jobId", handle.jobId(), "taskExecutionId", a.getOrDefault("taskExecutionId", ""),
                "cluster", a.getOrDefault("cluster", ""));
        ArtifactDraft draft = new ArtifactDraft(name, FlinkJobRunner.SAVEPOINT_ARTIFACT_TYPE, location,
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
}

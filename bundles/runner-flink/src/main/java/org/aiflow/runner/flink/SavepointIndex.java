package org.aiflow.runner.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The newest savepoint of each stream task ({@code namespace/workflow/task}), which the task's next
 * run restores from. One small file per task under the runner's state directory: the runner needs it
 * also when the metadata service is not there; users see the same savepoints as metadata artifacts.
 */
final class SavepointIndex {
    private final Path root;

    SavepointIndex(Path root) {
        this.root = root;
    }

    Optional<String> latest(String namespace, String workflow, String task) {
        Path file = file(namespace, workflow, task);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void record(String namespace, String workflow, String task, String location) {
        Path file = file(namespace, workflow, task);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JobFiles.writeAtomically(file, location);
    }

    private Path file(String namespace, String workflow, String task) {
        // names are identifiers ([A-Za-z0-9._-], not starting with a dot): safe as path segments
        return root.resolve(namespace).resolve(workflow).resolve(task + ".savepoint");
    }
}

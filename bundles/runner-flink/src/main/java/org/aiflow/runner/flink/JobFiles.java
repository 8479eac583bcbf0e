package org.aiflow.runner.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * What the runner keeps in a task execution's log directory: {@code flink.log} (what happened, for
 * users: submission, job address, failure cause, savepoint), and small state files that let any
 * later runner instance carry on — the job id chosen before the job was submitted
 * ({@value #JOB_ID}), the stop that was requested ({@value #STOP}), the savepoint it produced
 * ({@value #SAVEPOINT}) and the failure cause ({@value #FAILURE}).
 */
final class JobFiles {
    static final String LOG = "flink.log";
    static final String JOB_ID = "flink-job-id";
    static final String STOP = "flink-stop-request";
    static final String SAVEPOINT = "flink-savepoint";
    static final String FAILURE = "flink-failure.log";

    private final Path directory;

    JobFiles(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    void log(String line) {
        try {
            Files.writeString(directory.resolve(LOG), Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code cluster jobId} of the job submitted (or being submitted) for this task execution. */
    Optional<String[]> jobId() {
        return read(JOB_ID).map(s -> s.split(" ", 2)).filter(a -> a.length == 2);
    }

    void jobId(String cluster, String jobId) {
        write(JOB_ID, cluster + " " + jobId);
    }

    Optional<String> stopRequest() {
        return read(STOP);
    }

    void stopRequest(String request) {
        write(STOP, request);
    }

    Optional<String> savepoint() {
        return read(SAVEPOINT);
    }

    void savepoint(String location) {
        write(SAVEPOINT, location);
    }

    /** Records a failure cause once; false if one was recorded before. */
    boolean failure(String cause) {
        if (Files.exists(directory.resolve(FAILURE))) {
            return false;
        }
        write(FAILURE, cause);
        return true;
    }

    private Optional<String> read(String file) {
        try {
            Path p = directory.resolve(file);
            return Files.exists(p) ? Optional.of(Files.readString(p, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String file, String content) {
        writeAtomically(directory.resolve(file), content);
    }

    /** Write then rename: a reader never sees half a file. */
    static void writeAtomically(Path file, String content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

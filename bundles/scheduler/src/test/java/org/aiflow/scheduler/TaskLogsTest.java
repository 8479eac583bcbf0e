package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task writes into its own log folder, so whatever it places there must not reach other files. */
class TaskLogsTest {
    @TempDir
    Path root;

    private Path logs;
    private Path secret;

    @BeforeEach
    void setUp() throws Exception {
        logs = Files.createDirectories(root.resolve("logs/task-1"));
        Files.writeString(logs.resolve("stdout.log"), "hello\n");
        Path outside = Files.createDirectories(root.resolve("outside"));
        // stands in for /etc/passwd: a file the platform can read, outside every log folder
        secret = Files.writeString(outside.resolve("passwd"), "root:x:0:0:secret\n");
    }

    @Test
    void readsARegularFileOfTheFolder() {
        assertThat(TaskLogs.files(logs)).containsExactly("stdout.log");
        assertThat(TaskLogs.read(1, logs, "stdout.log", 0, 100).text()).isEqualTo("hello\n");
    }

    @Test
    void rotatedFilesAreListedAndReadAndTheCurrentFileIsReadAfterItsTruncation() throws Exception {
        // the process runner's copy-truncate: stdout.log copied to stdout.log.1, then emptied, then written on
        Files.writeString(logs.resolve("stdout.log.1"), "hello world\n");
        Files.writeString(logs.resolve("stdout.log"), "again\n");

        assertThat(TaskLogs.files(logs)).containsExactly("stdout.log", "stdout.log.1");
        assertThat(TaskLogs.read(1, logs, "stdout.log.1", 0, 100).text()).isEqualTo("hello world\n");
        // a follower still at the old end (12) learns the smaller size (6) and starts again at 0
        assertThat(TaskLogs.read(1, logs, "stdout.log", 12, 100).size()).isEqualTo(6);
        assertThat(TaskLogs.read(1, logs, "stdout.log", 0, 100).text()).isEqualTo("again\n");
    }

    @Test
    void aSymbolicLinkToAFileOutsideIsNeitherListedNorRead() throws Exception {
        Files.createSymbolicLink(logs.resolve("passwd.log"), secret);

        assertThat(TaskLogs.files(logs)).containsExactly("stdout.log");
        assertThatThrownBy(() -> TaskLogs.read(1, logs, "passwd.log", 0, 100)).isInstanceOf(NotFoundException.class)
                .hasMessageNotContaining("secret");
    }

    @Test
    void aRelativeSymbolicLinkIsNotFollowedEither() throws Exception {
        Files.createSymbolicLink(logs.resolve("up.log"), Path.of("../../outside/passwd"));

        assertThat(TaskLogs.files(logs)).containsExactly("stdout.log");
        assertThatThrownBy(() -> TaskLogs.read(1, logs, "up.log", 0, 100)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aSymbolicLinkToADirectoryIsNotListedAndItsFilesAreNotReachable() throws Exception {
        Files.createSymbolicLink(logs.resolve("dir"), secret.getParent());

        assertThat(TaskLogs.files(logs)).containsExactly("stdout.log");
        assertThatThrownBy(() -> TaskLogs.read(1, logs, "dir", 0, 100)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> TaskLogs.read(1, logs, "dir/passwd", 0, 100)).isInstanceOf(ValidationException.class);
    }

    @Test
    void aHardLinkToAnotherFileIsNotServed() throws Exception {
        Files.createLink(logs.resolve("hard.log"), secret);

        assertThat(TaskLogs.files(logs)).containsExactly("stdout.log");
        assertThatThrownBy(() -> TaskLogs.read(1, logs, "hard.log", 0, 100)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aFolderReplacedByALinkGivesNothing() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("stdout.log"), "not this task's\n");
        Path linked = root.resolve("logs/task-2");
        Files.createSymbolicLink(linked, elsewhere);

        assertThat(TaskLogs.files(linked)).isEmpty();
        assertThatThrownBy(() -> TaskLogs.read(2, linked, "stdout.log", 0, 100)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void namesThatAreNoSingleSegmentAreRejected() {
        for (String name : new String[] {"..", ".", "", "../outside/passwd", "..\\..\\pid", "a/b", "a\\b", "stdout.log\0.txt",
            "../task-1/stdout.log"}) {
            assertThatThrownBy(() -> TaskLogs.read(1, logs, name, 0, 100)).as(name).isInstanceOf(ValidationException.class);
        }
        assertThatThrownBy(() -> TaskLogs.read(1, logs, null, 0, 100)).isInstanceOf(ValidationException.class);
    }

    @Test
    void aMissingFolderHasNoFiles() {
        assertThat(TaskLogs.files(root.resolve("logs/task-3"))).isEmpty();
        assertThatThrownBy(() -> TaskLogs.read(3, root.resolve("logs/task-3"), "stdout.log", 0, 100)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void readsTheTailOfUtf8Text() throws Exception {
        Files.write(logs.resolve("stdout.log"), "äbc".getBytes(StandardCharsets.UTF_8));
        assertThat(TaskLogs.read(1, logs, "stdout.log", -2, 100).text()).isEqualTo("bc");
    }
}

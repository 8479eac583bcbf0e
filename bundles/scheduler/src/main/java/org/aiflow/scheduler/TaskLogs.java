package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskLog;

/** Reads the log files runners write into a task execution's log directory. */
final class TaskLogs {
    static final int MAX_BYTES = 1024 * 1024;

    private TaskLogs() {
    }

    /** The regular files of a log directory, by name; none if the task never started. */
    static List<String> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UnavailableException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    static TaskLog read(long taskExecutionId, Path directory, String file, long offset, int maxBytes) {
        if (maxBytes < 1 || maxBytes > MAX_BYTES) {
            throw new ValidationException("maxBytes must be between 1 and " + MAX_BYTES);
        }
        // only a file the directory lists: a name like ../../etc/passwd never leaves it
        if (file == null || !files(directory).contains(file)) {
            throw new NotFoundException("task execution " + taskExecutionId + " has no log file '" + file + "' (it has: "
                    + files(directory) + ")");
        }
        try (FileChannel channel = FileChannel.open(directory.resolve(file), StandardOpenOption.READ)) {
            long size = channel.size();
            long start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, size - start));
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
                // read until full or at the end
            }
            buffer.flip();
            String text = StandardCharsets.UTF_8.decode(buffer).toString();
            return new TaskLog(taskExecutionId, file, start, start + buffer.limit(), size, text);
        } catch (IOException e) {
            throw new UnavailableException("cannot read " + file + " of task execution " + taskExecutionId + ": " + e.getMessage(), e);
        }
    }
}

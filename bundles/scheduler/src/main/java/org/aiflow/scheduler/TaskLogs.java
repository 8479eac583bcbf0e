package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskLog;

/**
 * Reads the log files runners write into a task execution's log directory, and nothing else: the
 * task's own code writes into that directory, so it could place a symbolic link (or a hard link)
 * to any file the platform can read there; such entries are neither listed nor opened.
 */
final class TaskLogs {
    static final int MAX_BYTES = 1024 * 1024;

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private TaskLogs() {
    }

    /**
     * The regular files of a log directory, by name; none if the task never started, or if the
     * directory itself is a link (a task that replaced its folder by a link to another one).
     */
    static List<String> files(Path directory) {
        if (!isRealDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(TaskLogs::isPlainFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UnavailableException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    static TaskLog read(long taskExecutionId, Path directory, String file, long offset, int maxBytes) {
        if (maxBytes < 1 || maxBytes > MAX_BYTES) {
            throw new ValidationException("maxBytes must be between 1 and " + MAX_BYTES);
        }
        checkName(file);
        // only a file the directory lists (regular, not a link): a name never leaves the directory
        List<String> listed = files(directory);
        if (!listed.contains(file)) {
            throw new NotFoundException("task execution " + taskExecutionId + " has no log file '" + file + "' (it has: " + listed + ")");
        }
        Path path = directory.resolve(file);
        // O_NOFOLLOW: a link swapped in after the listing fails to open instead of being followed
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, NOFOLLOW)) {
            if (!isPlainFile(path) || !path.toRealPath().getParent().equals(directory.toRealPath())) {
                throw new NotFoundException("task execution " + taskExecutionId + " has no log file '" + file + "'");
            }
            long size = channel.size();
            long start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size);
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(maxBytes, size - start));
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) > 0) {
                // read until full or at the end
            }
            buffer.flip();
            String text = StandardCharsets.UTF_8.decode(buffer).toString();
            return new TaskLog(taskExecutionId, file, start, start + buffer.limit(), size, text);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("task execution " + taskExecutionId + " has no log file '" + file + "'");
        } catch (IOException e) {
            // ELOOP from O_NOFOLLOW ends here too: a link is never read
            throw new NotFoundException("task execution " + taskExecutionId + " has no readable log file '" + file + "'");
        }
    }

    /** A log file name is one plain path segment. */
    static void checkName(String file) {
        if (file == null || file.isEmpty() || file.equals(".") || file.equals("..") || file.contains("/") || file.contains("\\")
                || file.indexOf('\0') >= 0) {
            throw new ValidationException("a log file name is one path segment without '/', '\\', NUL and not '.' or '..': "
                    + (file == null ? "null" : "'" + file.replace("\0", "\\0") + "'"));
        }
    }

    private static boolean isRealDirectory(Path directory) {
        try {
            return Files.readAttributes(directory, BasicFileAttributes.class, NOFOLLOW).isDirectory();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A regular file that is no symbolic link and has one name only: a second hard link would be
     * another file's content (hard links to other users' files are refused by the kernel's
     * protected_hardlinks, but not to the platform user's own files, such as etc/users.properties).
     */
    private static boolean isPlainFile(Path path) {
        try {
            if (!Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW).isRegularFile()) {
                return false;
            }
            return ((Number) Files.getAttribute(path, "unix:nlink", NOFOLLOW)).intValue() == 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return true; // no unix view (Windows): regular and not a symbolic link is all we can tell
        } catch (IOException e) {
            return false;
        }
    }
}

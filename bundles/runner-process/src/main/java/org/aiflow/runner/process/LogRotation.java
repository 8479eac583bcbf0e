package org.aiflow.runner.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Rotates a running process's {@code stdout.log} or {@code stderr.log} once it is larger than
 * {@code maxBytes}: {@code x.log.(keep-1)} becomes {@code x.log.keep} (the oldest is dropped), ...,
 * {@code x.log.1} becomes {@code x.log.2}, then the current content is <em>copied</em> to {@code
 * x.log.1} and {@code x.log} is truncated to zero (copy-truncate).
 *
 * <p>Why copy-truncate: the operating system writes the process's output (the process's fd 1 and 2
 * are the files themselves, opened by {@link ProcessBuilder}); the runner holds no stream it could
 * reopen, and the process must outlive the runner (a platform restart re-attaches to it), so piping
 * the output through a rotating writer in the platform is no option either: the process would lose
 * its output, or get SIGPIPE, whenever the platform stops. A rename alone would leave the process
 * writing into {@code x.log.1} forever. The files are opened with {@code O_APPEND}
 * ({@link ProcessBuilder.Redirect#appendTo}), so after the truncation the next write lands at offset
 * 0 and not at the old offset (which would leave a hole of zeros as large as the old file). Jobs
 * started before the runner opened with {@code O_APPEND} are not rotated (their handle lacks
 * {@link #APPEND_ATTRIBUTE}).
 *
 * <p>The price: what the process writes between the end of the copy and the truncation is lost
 * (the copy is taken twice, the second time only what came during the first, so the window is the
 * few microseconds between the last read and {@code ftruncate}); and a rotation costs one read and
 * one write of {@code maxBytes}, about 0.1–0.5 s for the default 100 MiB on a disk, on the
 * rotation thread, never the scheduler's. A reader that follows the file by offset sees it shrink
 * and starts again at 0 ({@code aiflow:task-log --follow} does).
 *
 * <p>Links: the task's code writes into its log directory and may replace {@code stdout.log} by a
 * symbolic link or a hard link to another file; such a file is never truncated (opened with
 * {@code O_NOFOLLOW}, and rotated only when it is a regular file with one name, checked before and
 * after opening). The process runs as the platform's user, so a task racing these checks could do no
 * more than it can anyway.
 */
final class LogRotation {
    /** Handle attribute of jobs whose log files are opened with O_APPEND: only those are rotated. */
    static final String APPEND_ATTRIBUTE = "logAppend";
    static final long MIN_BYTES = 1024;
    static final int MAX_KEEP = 100;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** {@code maxBytes} 0 turns rotation off; else at least {@value #MIN_BYTES}; {@code keep} 1..{@value #MAX_KEEP} rotated files. */
    record Settings(long maxBytes, int keep) {
        Settings {
            if (maxBytes != 0 && maxBytes < MIN_BYTES) {
                throw new IllegalArgumentException("process runner maxLogBytes must be 0 (no rotation) or at least " + MIN_BYTES + ", not " + maxBytes);
            }
            if (keep < 1 || keep > MAX_KEEP) {
                throw new IllegalArgumentException("process runner keepLogs must be between 1 and " + MAX_KEEP + ", not " + keep);
            }
        }

        boolean enabled() {
            return maxBytes > 0;
        }
    }

    private LogRotation() {
    }

    /** True if the file is a plain file (regular, one name) larger than the limit. */
    static boolean isDue(Path file, Settings settings) {
        BasicFileAttributes a = plain(file);
        return settings.enabled() && a != null && a.size() > settings.maxBytes();
    }

    /** Rotates the file if it is due; true if it did. */
    static boolean rotateIfDue(Path file, Settings settings) throws IOException {
        BasicFileAttributes before = plain(file);
        if (!settings.enabled() || before == null || before.size() <= settings.maxBytes()) {
            return false;
        }
        String name = file.getFileName().toString();
        Path dir = file.getParent();
        // shift: a rename moves a link as a link, never its target
        for (int i = settings.keep() - 1; i >= 1; i--) {
            Path older = dir.resolve(name + "." + i);
            if (Files.exists(older, NOFOLLOW)) {
                Files.move(older, dir.resolve(name + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Path first = dir.resolve(name + ".1");
        Files.deleteIfExists(first); // keep = 1: the only rotated file is replaced
        try (FileChannel source = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, NOFOLLOW)) {
            BasicFileAttributes opened = plain(file);
            if (opened == null || !Objects.equals(opened.fileKey(), before.fileKey())) {
                return false; // swapped between our looks: not the file the process writes
            }
            try (FileChannel target = FileChannel.open(first, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW)) {
                long copied = copy(source, target, 0);
                copied = copy(source, target, copied); // what came during the first copy
                source.truncate(0);
            }
            return true;
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            return false; // the task created x.log.1 meanwhile, or the file went: next time
        }
    }

    private static long copy(FileChannel source, FileChannel target, long from) throws IOException {
        long position = from;
        long end = source.size();
        while (position < end) {
            long n = source.transferTo(position, end - position, target);
            if (n <= 0) {
                break;
            }
            position += n;
        }
        return position;
    }

    /** The file's attributes if it is a regular file with one name (not a link of either kind), else null. */
    private static BasicFileAttributes plain(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW);
            if (!a.isRegularFile()) {
                return null;
            }
            try {
                if (((Number) Files.getAttribute(file, "unix:nlink", NOFOLLOW)).intValue() != 1) {
                    return null;
                }
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                // no unix view: regular and not a symbolic link is all we can tell
            }
            return a;
        } catch (IOException e) {
            return null;
        }
    }
}

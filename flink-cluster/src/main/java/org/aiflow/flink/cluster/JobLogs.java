package org.aiflow.flink.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The per-job log files of the local cluster: what a job's threads print to {@code System.out} /
 * {@code System.err} and Flink's log lines for the job, appended to {@value #STDOUT}, {@value #STDERR}
 * and {@value #FLINK_LOG} in the log directory of the task that runs the job.
 *
 * <p>The flink runner tells the cluster where that is before it submits the job: the file
 * {@code <registry>/<job id>} holds the task's log directory (written atomically). A job without such a
 * file (submitted by hand or by a remote client) has no files of its own: its output stays in the
 * cluster's shared output. Writing straight into the task's directory rather than into a directory of
 * the cluster, copied by the platform, means the platform's log readers (task-log, REST, follow mode),
 * the retention of task logs and a cluster restart need nothing special: the files are opened with
 * O_APPEND, so a restarted cluster (a stream job resumed from its savepoint) writes on at their end.
 *
 * <p>A file past {@code maxBytes} (0: never) is rotated by this writer, the only one: renamed to {@code <file>.1}
 * (older ones shifted up to {@code <file>.<keep>}) and started afresh, as the process runner's logs are.
 * Files idle for {@link #IDLE_CLOSE_MS} are closed, so a task directory deleted by the retention does not
 * keep open files in the cluster; the next write opens them again if the directory still exists.
 */
final class JobLogs {
    static final String STDOUT = "stdout.log";
    static final String STDERR = "stderr.log";
    static final String FLINK_LOG = "flink-job.log";
    static final long IDLE_CLOSE_MS = 30_000;

    private final Path registry;
    private final long maxBytes;
    private final int keep;
    /** Open files by job id and name; guarded by {@code this}. */
    private final Map<String, Map<String, Target>> open = new HashMap<>();
    /** Job ids looked up without a registry entry, and when (ms): not looked up again for a while. */
    private final Map<String, Long> unknown = new HashMap<>();
    private ScheduledExecutorService closer;

    JobLogs(Path registry, long maxBytes, int keep) {
        this.registry = registry;
        this.maxBytes = maxBytes;
        this.keep = Math.max(1, keep);
    }

    /**
     * Removes the registrations whose log directory is gone (the task log retention deleted it, or the
     * runner never saw its job end); the others stay: a suspended stream job is resumed under its id on
     * the next cluster. Returns how many were removed.
     */
    int prune() {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(registry, "[0-9a-f]*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && directory(name).isEmpty() && name.matches("[0-9a-f]{32}")) {
                    Files.deleteIfExists(entry);
                    removed++;
                }
            }
        } catch (IOException e) {
            // a registry that cannot be read is pruned another time
        }
        return removed;
    }

    /** Closes idle files every few seconds (a daemon thread: it does not keep the JVM alive). */
    synchronized void startClosingIdleFiles() {
        if (closer == null) {
            closer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aiflow-job-logs-closer");
                t.setDaemon(true);
                return t;
            });
            closer.scheduleWithFixedDelay(() -> closeIdle(System.currentTimeMillis() - IDLE_CLOSE_MS), 5, 5, TimeUnit.SECONDS);
        }
    }

    /**
     * Appends {@code bytes} to the job's file {@code name}; false if the job has no log directory (or it
     * is gone, or not writable): the caller writes them elsewhere then.
     */
    synchronized boolean write(String jobId, String name, byte[] bytes, int offset, int length) {
        Target target = target(jobId, name);
        if (target == null) {
            return false;
        }
        try {
            if (maxBytes > 0 && target.size > 0 && target.size + length > maxBytes) {
                target = rotate(jobId, name, target);
            }
            target.out.write(bytes, offset, length);
            target.size += length;
            target.lastWrite = System.currentTimeMillis();
            return true;
        } catch (IOException e) {
            close(jobId, name);
            return false;
        }
    }

    private Target target(String jobId, String name) {
        Map<String, Target> files = open.get(jobId);
        Target target = files == null ? null : files.get(name);
        if (target != null) {
            return target;
        }
        Long missed = unknown.get(jobId);
        long now = System.currentTimeMillis();
        if (missed != null && now - missed < 2_000) {
            return null; // looked up a moment ago: not once per printed line
        }
        Optional<Path> directory = directory(jobId);
        if (directory.isEmpty()) {
            unknown.put(jobId, now);
            if (unknown.size() > 10_000) {
                unknown.clear();
            }
            return null;
        }
        unknown.remove(jobId);
        try {
            target = Target.open(directory.get().resolve(name));
        } catch (IOException e) {
            return null; // the directory was deleted (retention) or is not writable
        }
        open.computeIfAbsent(jobId, j -> new HashMap<>()).put(name, target);
        return target;
    }

    /** The log directory the runner registered for the job; only an existing directory, never created here. */
    Optional<Path> directory(String jobId) {
        if (!jobId.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        try {
            Path dir = Paths.get(Files.readString(registry.resolve(jobId), StandardCharsets.UTF_8).strip());
            return dir.isAbsolute() && Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code name} becomes {@code name.1} (older ones shift, the oldest beyond {@link #keep} is dropped), then starts empty. */
    private Target rotate(String jobId, String name, Target full) throws IOException {
        full.out.close();
        Path file = full.file;
        for (int i = keep - 1; i >= 1; i--) {
            Path older = file.resolveSibling(name + "." + i);
            if (Files.exists(older)) {
                Files.move(older, file.resolveSibling(name + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, file.resolveSibling(name + ".1"), StandardCopyOption.REPLACE_EXISTING);
        Target fresh = Target.open(file);
        open.get(jobId).put(name, fresh);
        return fresh;
    }

    synchronized void closeIdle(long idleSince) {
        for (Iterator<Map.Entry<String, Map<String, Target>>> jobs = open.entrySet().iterator(); jobs.hasNext(); ) {
            Map<String, Target> files = jobs.next().getValue();
            files.values().removeIf(t -> {
                if (t.lastWrite <= idleSince) {
                    closeQuietly(t.out);
                    return true;
                }
                return false;
            });
            if (files.isEmpty()) {
                jobs.remove();
            }
        }
    }

    private void close(String jobId, String name) {
        Map<String, Target> files = open.get(jobId);
        Target t = files == null ? null : files.remove(name);
        if (t != null) {
            closeQuietly(t.out);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException e) {
            // nothing to do: the file is given up either way
        }
    }

    private static final class Target {
        final Path file;
        final OutputStream out;
        long size;
        long lastWrite = System.currentTimeMillis();

        private Target(Path file, OutputStream out, long size) {
            this.file = file;
            this.out = out;
            this.size = size;
        }

        /**
         * Appends (O_APPEND): a file written before a cluster restart goes on at its end. A link in its
         * place is not followed (the open fails and the output goes to the cluster's shared output).
         */
        static Target open(Path file) throws IOException {
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
            return new Target(file, out, Files.size(file));
        }
    }
}

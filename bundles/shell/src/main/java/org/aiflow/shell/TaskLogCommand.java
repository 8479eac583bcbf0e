package org.aiflow.shell;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskLog;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Service
@Command(scope = "aiflow", name = "task-log", description = "Prints the end of a log file of a task execution; with --follow, keeps "
        + "printing what is written to it until Ctrl-C or the task execution ends.")
@Needs(Role.VIEWER)
public class TaskLogCommand extends AiflowCommand {
    static final int MAX_READ = 1024 * 1024;
    private static final long PAUSE = Duration.ofMillis(500).toNanos();

    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "id", description = "Task execution id", required = true)
    long id;

    @Option(name = "-f", aliases = "--file", description = "The log file (default stdout.log, or the runner's own log such as flink.log; see --list)")
    String file;

    @Option(name = "--tail", description = "Print only the last N bytes (default 4096; 0 prints the whole file)")
    long tail = 4096;

    @Option(name = "--follow", description = "Keep printing what is written until Ctrl-C or the task execution ends")
    boolean follow;

    @Option(name = "--list", description = "List the log files of the task execution instead")
    boolean list;

    private boolean endsWithNewline = true;

    @Override
    void run() {
        checkNamespace(scheduler.task(id).namespace());
        if (tail < 0) {
            throw new ValidationException("--tail must be 0 (the whole file) or a number of bytes, got " + tail);
        }
        if (list) {
            List<String> files = scheduler.taskLogFiles(id);
            System.out.println(files.isEmpty() ? "Task execution " + id + " has no log files yet." : String.join("\n", files));
            return;
        }
        if (file == null) {
            file = defaultFile(scheduler.taskLogFiles(id));
        }
        if (follow && !waitForFile()) {
            return; // Ctrl-C
        }
        TaskLog log = scheduler.taskLog(id, file, tail == 0 ? 0 : -tail, (int) Math.min(tail == 0 ? MAX_READ : tail, MAX_READ));
        print(log);
        long next = readOn(log.nextOffset(), log.size());
        if (follow) {
            follow(next);
        }
        endLine();
        System.out.flush();
    }

    /**
     * A job's own output if there is one (a process's, or a Flink job's on the local cluster), else the
     * flink runner's account of the job (rather than Flink's verbose flink-job.log), else the first log.
     */
    static String defaultFile(List<String> files) {
        if (files.contains("stdout.log")) {
            return "stdout.log";
        }
        if (files.contains("flink.log")) {
            return "flink.log";
        }
        return files.stream().filter(f -> f.endsWith(".log")).findFirst().orElse("stdout.log");
    }

    /** Prints the rest of the file from {@code offset} up to {@code size} (or beyond); returns where it stopped. */
    private long readOn(long offset, long size) {
        while (offset < size) {
            TaskLog more = scheduler.taskLog(id, file, offset, MAX_READ);
            print(more);
            if (more.nextOffset() == offset) {
                break;
            }
            offset = more.nextOffset();
            size = more.size();
        }
        return offset;
    }

    /** Prints what is appended to the file until the task execution ends or the session is interrupted. */
    private void follow(long offset) {
        try {
            while (true) {
                TaskExecution t = scheduler.task(id); // before reading, so the last read sees all the task wrote
                TaskLog more = scheduler.taskLog(id, file, offset, MAX_READ);
                if (more.size() < offset) {
                    // shrunk: rotated (copied to <file>.1 and truncated, see the process runner): on from its start
                    endLine();
                    System.out.printf("-- %s was rotated; earlier output is in %s.1%n", file, file);
                    more = scheduler.taskLog(id, file, 0, MAX_READ);
                }
                print(more);
                offset = readOn(more.nextOffset(), more.size());
                if (t.status().isFinal()) {
                    endLine();
                    System.out.printf("-- task execution %d ended: %s%n", id, t.status());
                    return;
                }
                if (!pause()) {
                    return; // Ctrl-C
                }
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // Ctrl-C during a read
            }
            throw e;
        }
    }

    /** With --follow, a task that has not started yet has no log: waits for it. False if interrupted. */
    private boolean waitForFile() {
        boolean announced = false;
        while (!scheduler.taskLogFiles(id).contains(file)) {
            TaskExecution t = scheduler.task(id);
            if (t.status().isFinal()) {
                return true; // never wrote it: reading says so
            }
            if (!announced) {
                System.out.printf("-- waiting for %s of task execution %d (%s)%n", file, id, t.status());
                System.out.flush();
                announced = true;
            }
            if (!pause()) {
                return false;
            }
        }
        return true;
    }

    /** Waits a moment; false if the session was interrupted (Ctrl-C). */
    private static boolean pause() {
        LockSupport.parkNanos(PAUSE);
        return !Thread.currentThread().isInterrupted();
    }

    private void print(TaskLog log) {
        if (!log.text().isEmpty()) {
            System.out.print(log.text());
            System.out.flush();
            endsWithNewline = log.text().endsWith("\n");
        }
    }

    private void endLine() {
        if (!endsWithNewline) {
            System.out.println();
            endsWithNewline = true;
        }
    }
}

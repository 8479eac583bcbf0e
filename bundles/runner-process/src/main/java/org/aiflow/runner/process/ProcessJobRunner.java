package org.aiflow.runner.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.api.spi.runner.JobRunner;
import org.aiflow.api.spi.runner.JobRunnerException;
import org.aiflow.api.spi.runner.JobState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job as an operating-system process.
 *
 * <p>Job configuration: {@code command} (a shell command line, run with {@code /bin/sh -c}) or
 * {@code args} (a list: program and arguments, run directly) — exactly one of them; optional
 * {@code env} (map of extra environment variables) and {@code workingDirectory}.
 *
 * <p>The process gets the task environment of the request ({@link JobRequest#taskEnvironment()}:
 * {@code AIFLOW_URL}, {@code AIFLOW_TOKEN}, {@code AIFLOW_NAMESPACE}, {@code AIFLOW_WORKFLOW},
 * {@code AIFLOW_WORKFLOW_EXECUTION_ID}, {@code AIFLOW_TASK}, {@code AIFLOW_TASK_EXECUTION_ID} and,
 * when an event started the task, {@code AIFLOW_EVENT_FILE}, {@code AIFLOW_EVENT_VERSION},
 * {@code AIFLOW_EVENT_NAMESPACE}, {@code AIFLOW_EVENT_KEY}, {@code AIFLOW_EVENT_TYPE}) as environment
 * variables; they override {@code env} entries of the same name, and no other {@code AIFLOW_*}
 * variable of the platform's own environment is passed on. The token is passed in the environment
 * only, never on a command line or in a log.
 *
 * <p>The process runs under a small shell wrapper that writes its exit code to
 * {@code exit_code} in the task's log directory, beside {@code stdout.log} and
 * {@code stderr.log}. That file, the pid and the process start time in the handle are what let any
 * later instance of this runner (after a platform restart or a bundle update) find the job again:
 * processes survive the runner, so deactivation kills nothing.
 *
 * <p>{@code stdout.log} and {@code stderr.log} are opened with {@code O_APPEND} and rotated while the
 * job runs once larger than {@code maxLogBytes}, keeping {@code keepLogs} older files
 * ({@code stdout.log.1} the newest): see {@link LogRotation} for how and why (copy-truncate). The
 * size is checked at each {@link #status} call (the scheduler polls running jobs every tick, 500 ms by
 * default: two {@code lstat}s per job); the copy runs on the runner's rotation thread.
 */
@Component(property = JobRunner.TYPE_PROPERTY + "=" + ProcessJobRunner.TYPE, configurationPid = "org.aiflow.runner.process")
@Designate(ocd = ProcessJobRunner.Config.class)
public class ProcessJobRunner implements JobRunner {
    static final String TYPE = "process";
    static final String EXIT_FILE = "exit_code";
    static final String STOP_FILE = "stop_requested";
    static final String PID_FILE = "pid";
    private static final String MARK = "aiflow-job";
    private static final Logger LOG = LoggerFactory.getLogger(ProcessJobRunner.class);
    private static final Set<String> FIELDS = Set.of("command", "args", "env", "workingDirectory");
    // runs the job, then records its exit code atomically (write then rename)
    private static final String WRAPPER = "printf %s \"$$\" > \"$AIFLOW_PID_FILE\"; \"$@\"; c=$?; printf %s \"$c\" > \"$AIFLOW_EXIT_FILE.tmp\" && "
            + "mv \"$AIFLOW_EXIT_FILE.tmp\" \"$AIFLOW_EXIT_FILE\"; exit $c";

    @ObjectClassDefinition(name = "AI Flow process runner")
    public @interface Config {
        @AttributeDefinition(name = "Stop grace period", description = "Milliseconds between SIGTERM and SIGKILL when a job is stopped")
        long stopGraceMillis() default 10_000;

        @AttributeDefinition(name = "Largest log", description = "Bytes a running job's stdout.log or stderr.log may reach before "
                + "it is rotated (copy-truncate); 0 turns rotation off, else at least 1024")
        long maxLogBytes() default DEFAULT_MAX_LOG_BYTES;

        @AttributeDefinition(name = "Rotated logs kept", description = "How many rotated files (stdout.log.1 ... stdout.log.<n>) "
                + "are kept per log, 1-100; the oldest is deleted at the next rotation")
        int keepLogs() default DEFAULT_KEEP_LOGS;
    }

    /** 100 MiB: a rotation copies this much once, about 0.1-0.5 s of disk time on the rotation thread. */
    static final long DEFAULT_MAX_LOG_BYTES = 100L * 1024 * 1024;
    /** With 3 kept, one stream of a job holds at most 4 x 100 MiB. */
    static final int DEFAULT_KEEP_LOGS = 3;
    private static final List<String> LOGS = List.of("stdout.log", "stderr.log");

    private long stopGraceMillis = 10_000;
    private volatile LogRotation.Settings rotation = new LogRotation.Settings(DEFAULT_MAX_LOG_BYTES, DEFAULT_KEEP_LOGS);
    private final Set<Path> rotating = ConcurrentHashMap.newKeySet();
    private final ExecutorService rotator = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "aiflow-process-log-rotation");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aiflow-process-runner-killer");
        t.setDaemon(true);
        return t;
    });

    public ProcessJobRunner() {
    }

    /** For use outside OSGi. */
    public ProcessJobRunner(long stopGraceMillis) {
        this.stopGraceMillis = stopGraceMillis;
    }

    /** For use outside OSGi, with log rotation settings ({@code maxLogBytes} 0: no rotation). */
    public ProcessJobRunner(long stopGraceMillis, long maxLogBytes, int keepLogs) {
        this.stopGraceMillis = stopGraceMillis;
        this.rotation = new LogRotation.Settings(maxLogBytes, keepLogs);
    }

    @Activate
    void activate(Config config) {
        stopGraceMillis = config.stopGraceMillis();
        rotation = new LogRotation.Settings(config.maxLogBytes(), config.keepLogs()); // a bad value fails activation, named
    }

    @Deactivate
    public void deactivate() {
        // pending forced kills still run: a job asked to stop must stop even if the runner goes away
        killer.shutdown();
        rotator.shutdownNow();
    }

    @Override
    public JobHandle submit(JobRequest request) throws JobRunnerException {
        List<String> command = command(request.config());
        Path logs = request.logDirectory();
        ProcessBuilder builder = new ProcessBuilder();
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, MARK));
        argv.addAll(command);
        builder.command(argv);
        // O_APPEND: after a copy-truncate rotation the process writes at the new end (LogRotation)
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("stdout.log").toFile()));
        builder.redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve("stderr.log").toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        // the platform's own variables win over the job's env and the platform's inherited environment
        environment.keySet().removeIf(name -> name.startsWith("AIFLOW_"));
        environment.putAll(env(request.config()));
        environment.putAll(request.taskEnvironment());
        environment.put("AIFLOW_EXIT_FILE", logs.resolve(EXIT_FILE).toString());
        environment.put("AIFLOW_PID_FILE", logs.resolve(PID_FILE).toString());
        Object dir = request.config().get("workingDirectory");
        if (dir != null) {
            Path wd = Paths.get(dir.toString());
            if (!Files.isDirectory(wd)) {
                throw new JobRunnerException("workingDirectory '" + dir + "' is not a directory");
            }
            builder.directory(wd.toFile());
        }
        try {
            Process process = builder.start();
            ProcessHandle handle = process.toHandle();
            String started = handle.info().startInstant().map(Instant::toString).orElse("");
            return new JobHandle(TYPE, Long.toString(handle.pid()), Map.of("logDirectory", logs.toString(), "startInstant", started,
                    LogRotation.APPEND_ATTRIBUTE, "true"));
        } catch (IOException e) {
            throw new JobRunnerException("cannot start process: " + e.getMessage(), e);
        }
    }

    private static List<String> command(Map<String, Object> config) throws JobRunnerException {
        for (String field : config.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new JobRunnerException("process job has unknown field '" + field + "' (allowed: " + FIELDS + ")");
            }
        }
        Object command = config.get("command");
        Object args = config.get("args");
        if ((command == null) == (args == null)) {
            throw new JobRunnerException("process job needs exactly one of 'command' (a shell command line) or 'args' (a list)");
        }
        if (command != null) {
            if (!(command instanceof String s) || s.isBlank()) {
                throw new JobRunnerException("process job 'command' must be a non-empty string");
            }
            return List.of("/bin/sh", "-c", s);
        }
        if (!(args instanceof List<?> list) || list.isEmpty() || list.stream().anyMatch(a -> !(a instanceof String))) {
            throw new JobRunnerException("process job 'args' must be a non-empty list of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    private static Map<String, String> env(Map<String, Object> config) throws JobRunnerException {
        Object env = config.get("env");
        if (env == null) {
            return Map.of();
        }
        if (!(env instanceof Map<?, ?> map) || map.entrySet().stream().anyMatch(e -> !(e.getKey() instanceof String) || e.getValue() == null)) {
            throw new JobRunnerException("process job 'env' must be a map of names to values");
        }
        Map<String, String> result = new java.util.HashMap<>();
        map.forEach((k, v) -> result.put((String) k, v.toString()));
        return result;
    }

    /**
     * The job started for this request's log directory, found by the pid its wrapper recorded: the
     * live wrapper process (recognised by its command line), or, if it is gone, a handle whose
     * status comes from the recorded exit code alone.
     */
    @Override
    public Optional<JobHandle> find(JobRequest request) {
        Path logs = request.logDirectory();
        String pid;
        try {
            pid = Files.readString(logs.resolve(PID_FILE), StandardCharsets.UTF_8).trim();
            Long.parseLong(pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // never started
        }
        Optional<ProcessHandle> live = ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(MARK)).orElse(false));
        // a gone wrapper gets a start instant no process has, so a reused pid is never taken for it
        String started = live.flatMap(p -> p.info().startInstant()).map(Instant::toString).orElse("gone");
        // find() serves a restart before the handle was stored: the job was started by this code, with O_APPEND
        return Optional.of(new JobHandle(TYPE, pid, Map.of("logDirectory", logs.toString(), "startInstant", started,
                LogRotation.APPEND_ATTRIBUTE, "true")));
    }

    @Override
    public JobState status(JobHandle handle) {
        Path logs = Paths.get(handle.attributes().getOrDefault("logDirectory", ""));
        boolean stopRequested = Files.exists(logs.resolve(STOP_FILE));
        Optional<Integer> exit = exitCode(logs);
        if (exit.isEmpty() && process(handle).isPresent()) {
            rotateLogs(handle, logs);
            return JobState.running();
        }
        if (exit.isEmpty()) {
            // the wrapper records the exit code before it exits: read again, it may have ended in between
            exit = exitCode(logs);
        }
        if (exit.isPresent()) {
            int code = exit.get();
            if (code == 0) {
                return new JobState(JobState.Phase.SUCCEEDED, "exit code 0");
            }
            return stopRequested ? new JobState(JobState.Phase.STOPPED, "stopped (exit code " + code + ")")
                    : new JobState(JobState.Phase.FAILED, "exit code " + code + stderrTail(logs));
        }
        return stopRequested ? new JobState(JobState.Phase.STOPPED, "stopped")
                : new JobState(JobState.Phase.UNKNOWN, "process " + handle.jobId() + " is gone and recorded no exit code");
    }

    /** Hands the job's logs to the rotation thread if one is too large (and not already being rotated). */
    private void rotateLogs(JobHandle handle, Path logs) {
        LogRotation.Settings settings = rotation;
        if (!settings.enabled() || !"true".equals(handle.attributes().get(LogRotation.APPEND_ATTRIBUTE))) {
            return;
        }
        if (LOGS.stream().noneMatch(name -> LogRotation.isDue(logs.resolve(name), settings)) || !rotating.add(logs)) {
            return;
        }
        try {
            rotator.execute(() -> {
                try {
                    for (String name : LOGS) {
                        LogRotation.rotateIfDue(logs.resolve(name), settings);
                    }
                } catch (IOException e) {
                    LOG.warn("Cannot rotate the logs in {}: {}", logs, e.getMessage());
                } finally {
                    rotating.remove(logs);
                }
            });
        } catch (RejectedExecutionException e) {
            rotating.remove(logs); // deactivated meanwhile
        }
    }

    @Override
    public void stop(JobHandle handle, boolean withSavepoint) throws JobRunnerException {
        Path logs = Paths.get(handle.attributes().getOrDefault("logDirectory", ""));
        try {
            Files.writeString(logs.resolve(STOP_FILE), Instant.now().toString());
        } catch (IOException e) {
            throw new JobRunnerException("cannot record the stop request in " + logs + ": " + e.getMessage(), e);
        }
        Optional<ProcessHandle> process = process(handle);
        if (process.isEmpty()) {
            return;
        }
        // the job's own processes first, so the wrapper can still record their exit code
        List<ProcessHandle> tree = new ArrayList<>(process.get().descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        process.get().destroy();
        tree.add(process.get());
        killer.schedule(() -> tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly),
                stopGraceMillis, TimeUnit.MILLISECONDS);
    }

    /** The live process of a handle; empty if it ended or its pid now belongs to another process. */
    private static Optional<ProcessHandle> process(JobHandle handle) {
        long pid;
        try {
            pid = Long.parseLong(handle.jobId());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String started = handle.attributes().getOrDefault("startInstant", "");
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> started.isEmpty() || p.info().startInstant().map(i -> i.toString().equals(started)).orElse(true));
    }

    private static Optional<Integer> exitCode(Path logs) {
        try {
            Path file = logs.resolve(EXIT_FILE);
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Optional.of(Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The last line of a log, for the task's status message. */
    /** The last line of stderr.log, or of stderr.log.1 when a rotation just emptied it. */
    static String stderrTail(Path logs) {
        String last = tail(logs.resolve("stderr.log"));
        return last.isEmpty() ? tail(logs.resolve("stderr.log.1")) : last;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    String line = lines.get(i).strip();
                    return ": " + (line.length() > 300 ? line.substring(0, 300) + "..." : line);
                }
            }
        } catch (IOException e) {
            // no stderr to quote
        }
        return "";
    }
}

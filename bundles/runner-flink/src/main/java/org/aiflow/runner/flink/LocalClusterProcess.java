package org.aiflow.runner.flink;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local mode's Flink cluster: {@code org.aiflow.flink.cluster.LocalFlinkCluster} (a MiniCluster
 * with its REST endpoint) in a child JVM, run as the executable jar {@code flink/lib/org.aiflow.flink.cluster-*.jar}.
 *
 * <p>The child outlives the platform process on purpose: after a crash (kill -9) the platform finds it
 * again through the {@code cluster.json} the child writes into its state directory, and re-attaches
 * to the jobs that kept running. {@link #stop} ends it (the runner does that when the whole framework
 * shuts down, not when only the runner bundle is updated).
 */
final class LocalClusterProcess {
    private static final Logger LOG = LoggerFactory.getLogger(LocalClusterProcess.class);
    static final String JAR_PREFIX = "org.aiflow.flink.cluster-";
    /** LocalFlinkCluster.JOB_LOGS (the runner loads no class of the cluster). */
    static final String JOB_LOGS = "job-logs";
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    private static final Pattern URL = Pattern.compile("\"restUrl\"\\s*:\\s*\"([^\"]+)\"");
    private final String name;
    private final Path libDirectory;
    /** Where the libraries come from when {@link #libDirectory} does not exist (a {@code mvn:} URL of the lib zip), or null. */
    private final String libArtifact;
    private final Path stateDirectory;
    private final Path logFile;
    private final int port;
    private final int slots;
    private final List<String> jvmOptions;
    private final Duration startTimeout;

    LocalClusterProcess(String name, Path libDirectory, Path stateDirectory, Path logFile, int port, int slots,
                        List<String> jvmOptions, Duration startTimeout) {
        this(name, libDirectory, null, stateDirectory, logFile, port, slots, jvmOptions, startTimeout);
    }

    /**
     * A local cluster whose libraries, when {@code libDirectory} does not exist yet, are the zip at
     * {@code libArtifact} (in Karaf a {@code mvn:} URL, resolved like a bundle), unpacked there before the first start.
     */
    LocalClusterProcess(String name, Path libDirectory, String libArtifact, Path stateDirectory, Path logFile, int port, int slots,
                        List<String> jvmOptions, Duration startTimeout) {
        this.name = name;
        this.libDirectory = libDirectory;
        this.libArtifact = libArtifact == null || libArtifact.isBlank() ? null : libArtifact.strip();
        this.stateDirectory = stateDirectory;
        this.logFile = logFile;
        this.port = port;
        this.slots = slots;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.startTimeout = startTimeout;
    }

    Path stateDirectory() {
        return stateDirectory;
    }

    /**
     * Tells the cluster that the job's own output ({@code stdout.log}, {@code stderr.log}) and Flink's log
     * lines about it ({@code flink-job.log}) go to the task's log directory: the cluster's {@code JobLogs}
     * looks up {@code <state>/job-logs/<job id>} at the job's first line. Before the job is submitted, so
     * nothing it prints is missed. Best effort: without it the job runs all the same, its output going to
     * the cluster's {@code process.out}.
     */
    void registerJobLogs(String jobId, Path logDirectory) {
        try {
            Files.createDirectories(stateDirectory.resolve(JOB_LOGS));
            JobFiles.writeAtomically(stateDirectory.resolve(JOB_LOGS).resolve(jobId), logDirectory.toAbsolutePath().toString());
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("Cannot register the log directory of Flink job {} ({}): its output goes to {}", jobId, e.toString(),
                    stateDirectory.resolve("process.out"));
        }
    }

    /** The job has ended: its registration goes (lines after the end go to the cluster's shared output). */
    void forgetJobLogs(String jobId) {
        try {
            Files.deleteIfExists(stateDirectory.resolve(JOB_LOGS).resolve(jobId));
        } catch (IOException e) {
            LOG.debug("Cannot remove the log registration of job {}: {}", jobId, e.toString());
        }
    }

    /** The REST address of the running child, starting one if none runs (blocks until it answers). */
    synchronized URI ensureRunning(Duration requestTimeout) throws FlinkRestException {
        Optional<Running> running = running();
        if (running.isPresent() && answers(running.get().url(), requestTimeout)) {
            return running.get().url();
        }
        return start(requestTimeout);
    }

    /** The child recorded in the state directory, if its process is alive. */
    Optional<Running> running() {
        Path file = stateDirectory.resolve("cluster.json");
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            String json = Files.readString(file, StandardCharsets.UTF_8);
            Matcher pid = PID.matcher(json);
            Matcher url = URL.matcher(json);
            if (!pid.find() || !url.find()) {
                return Optional.empty();
            }
            long p = Long.parseLong(pid.group(1));
            return ProcessHandle.of(p).filter(ProcessHandle::isAlive).map(h -> new Running(p, URI.create(url.group(1))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    record Running(long pid, URI url) {
    }

    private URI start(Duration requestTimeout) throws FlinkRestException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        if (!Files.isDirectory(libDirectory) && libArtifact != null) {
            fetchLibraries();
        }
        if (!Files.isDirectory(libDirectory)) {
            throw new FlinkRestException("the local Flink cluster '" + name + "' cannot start: its library directory "
                    + libDirectory + " does not exist", 0, true);
        }
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-Dlog.file=" + logFile);
        command.add("-Dlog4j2.configurationFile=classpath:aiflow-flink-log4j2.properties");
        // an executable jar: its manifest names the other jars and opens what Flink needs on Java 17
        command.add("-jar");
        command.add(clusterJar().toString());
        command.addAll(List.of("--state-dir", stateDirectory.toString(), "--port", Integer.toString(port), "--slots",
                Integer.toString(slots)));
        Path out = stateDirectory.resolve("process.out");
        Process process;
        try {
            Files.createDirectories(stateDirectory);
            Files.createDirectories(logFile.getParent());
            Files.deleteIfExists(stateDirectory.resolve("cluster.json"));
            // appended: what an earlier cluster printed (e.g. before it crashed) is kept
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new FlinkRestException("the local Flink cluster '" + name + "' cannot start: " + e.getMessage(), 0, true);
        }
        LOG.info("Starting the local Flink cluster '{}' (pid {}, log {})", name, process.pid(), logFile);
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Running> running = running().filter(r -> r.pid() == process.pid());
            if (running.isPresent() && answers(running.get().url(), requestTimeout)) {
                LOG.info("Local Flink cluster '{}' is up at {}", name, running.get().url());
                return running.get().url();
            }
            if (!process.isAlive()) {
                throw new FlinkRestException("the local Flink cluster '" + name + "' exited with code " + process.exitValue()
                        + " while starting: " + tail(out), 0, true);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        process.destroyForcibly();
        throw new FlinkRestException("the local Flink cluster '" + name + "' did not answer within " + startTimeout.toSeconds()
                + " s: " + tail(out), 0, true);
    }

    /** Ends the child (SIGTERM: the cluster closes and removes its cluster file; SIGKILL after the grace period). */
    synchronized void stop(Duration grace) {
        running().ifPresent(r -> ProcessHandle.of(r.pid()).ifPresent(h -> {
            LOG.info("Stopping the local Flink cluster '{}' (pid {})", name, r.pid());
            h.destroy();
            try {
                h.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }));
    }

    /**
     * Unpacks the zip at {@link #libArtifact} (entries {@code lib/*.jar}) into {@link #libDirectory}: into a
     * directory beside it first, moved into place when complete, so a crash midway leaves no half directory.
     */
    void fetchLibraries() throws FlinkRestException {
        long began = System.nanoTime();
        Path tmp = null;
        try {
            Files.createDirectories(libDirectory.toAbsolutePath().getParent());
            tmp = Files.createTempDirectory(libDirectory.toAbsolutePath().getParent(), ".unpacking-");
            int files = 0;
            try (InputStream in = new java.net.URL(libArtifact).openStream(); ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    String entry = e.getName().startsWith("lib/") ? e.getName().substring(4) : e.getName();
                    if (e.isDirectory() || entry.isEmpty()) {
                        continue;
                    }
                    Path out = tmp.resolve(entry).normalize();
                    if (!out.startsWith(tmp)) {
                        throw new IOException("entry " + e.getName() + " points outside the library directory");
                    }
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                    files++;
                }
            }
            Files.move(tmp, libDirectory, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            LOG.info("Unpacked the libraries of the local Flink cluster '{}' ({} files) from {} into {} in {} ms", name, files, libArtifact,
                    libDirectory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        } catch (IOException | RuntimeException e) {
            if (Files.isDirectory(libDirectory)) {
                return; // another instance unpacked them meanwhile
            }
            throw new FlinkRestException("the local Flink cluster '" + name + "' cannot start: its library directory " + libDirectory
                    + " does not exist and " + libArtifact + " could not be unpacked there: " + e, 0, true);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not remove {}: {}", dir, e.toString());
        }
    }

    private Path clusterJar() throws FlinkRestException {
        try (var jars = Files.newDirectoryStream(libDirectory, JAR_PREFIX + "*.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        } catch (IOException e) {
            throw new FlinkRestException("cannot list " + libDirectory + ": " + e.getMessage(), 0, true);
        }
        throw new FlinkRestException("the local Flink cluster '" + name + "' cannot start: no " + JAR_PREFIX + "*.jar in " + libDirectory, 0, true);
    }

    private static boolean answers(URI url, Duration timeout) {
        try {
            new FlinkRest(url, timeout).overview();
            return true;
        } catch (FlinkRestException e) {
            return false;
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }
}

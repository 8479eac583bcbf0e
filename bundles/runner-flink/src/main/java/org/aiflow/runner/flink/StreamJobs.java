package org.aiflow.runner.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The stream jobs running on a local cluster, one small JSON file each in the cluster's state
 * directory ({@code <localStateDirectory>/aiflow-stream-jobs/<handle job id>.json}): what it takes to
 * submit the job again (jar, entry class, resolved arguments, parallelism, configuration) and, once
 * the platform stopped it for a graceful shutdown, the savepoint it resumes from.
 *
 * <p>The file is keyed by the job id of the task's {@link org.aiflow.api.spi.runner.JobHandle} — the
 * id the scheduler stored — and names the job that currently runs for it ({@link Entry#jobId}); they
 * differ only if a job had to be resumed under a new id. The arguments hold the task's token (a
 * secret), so the files are readable by the owner only and never lie in a task's log directory.
 */
final class StreamJobs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;

    StreamJobs(Path directory) {
        this.directory = directory;
    }

    /**
     * One stream job.
     *
     * @param jobId         the Flink job that runs for the handle now
     * @param suspendTrigger the stop-with-savepoint trigger of a suspension under way (or done), else null
     * @param suspendedWith  the savepoint the suspension produced, else null: the job resumes from it
     */
    record Entry(String jobId, String cluster, String logDirectory, String jar, String entryClass, List<String> args,
                 Integer parallelism, boolean allowNonRestoredState, Map<String, String> configuration, String namespace,
                 String workflow, String task, String token, String suspendTrigger, String suspendedWith) {
        Entry {
            args = args == null ? List.of() : List.copyOf(args);
            configuration = configuration == null ? Map.of() : Map.copyOf(configuration);
        }

        Entry suspending(String trigger) {
            return new Entry(jobId, cluster, logDirectory, jar, entryClass, args, parallelism, allowNonRestoredState, configuration,
                    namespace, workflow, task, token, trigger, null);
        }

        Entry suspendedWith(String location) {
            return new Entry(jobId, cluster, logDirectory, jar, entryClass, args, parallelism, allowNonRestoredState, configuration,
                    namespace, workflow, task, token, suspendTrigger, location);
        }

        /** Running again as {@code newJobId}. */
        Entry resumed(String newJobId) {
            return new Entry(newJobId, cluster, logDirectory, jar, entryClass, args, parallelism, allowNonRestoredState, configuration,
                    namespace, workflow, task, token, null, null);
        }

        boolean suspended() {
            return suspendTrigger != null;
        }

        JobFiles files() {
            return logDirectory == null || !Files.isDirectory(Paths.get(logDirectory)) ? null : new JobFiles(Paths.get(logDirectory));
        }
    }

    synchronized void put(String key, Entry e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("jobId", e.jobId());
        n.put("cluster", e.cluster());
        n.put("logDirectory", e.logDirectory());
        n.put("jar", e.jar());
        n.put("entryClass", e.entryClass());
        e.args().forEach(n.putArray("args")::add);
        if (e.args().isEmpty()) {
            n.putArray("args");
        }
        if (e.parallelism() != null) {
            n.put("parallelism", e.parallelism());
        }
        n.put("allowNonRestoredState", e.allowNonRestoredState());
        ObjectNode conf = n.putObject("configuration");
        e.configuration().forEach(conf::put);
        n.put("namespace", e.namespace());
        n.put("workflow", e.workflow());
        n.put("task", e.task());
        n.put("token", e.token());
        n.put("suspendTrigger", e.suspendTrigger());
        n.put("suspendedWith", e.suspendedWith());
        try {
            Files.createDirectories(directory);
            Path file = file(key);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    synchronized Optional<Entry> get(String key) {
        if (!valid(key)) {
            return Optional.empty();
        }
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(JSON.readTree(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    synchronized void remove(String key) {
        if (!valid(key)) {
            return;
        }
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** All entries by key. */
    synchronized Map<String, Entry> all() {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (!Files.isDirectory(directory)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, "*.json")) {
            s.forEach(files::add);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            get(name.substring(0, name.length() - ".json".length())).ifPresent(e -> out.put(name.substring(0, name.length() - 5), e));
        }
        return out;
    }

    private static Entry read(JsonNode n) {
        List<String> args = new ArrayList<>();
        n.path("args").forEach(a -> args.add(a.asText()));
        Map<String, String> conf = new LinkedHashMap<>();
        n.path("configuration").fields().forEachRemaining(f -> conf.put(f.getKey(), f.getValue().asText()));
        return new Entry(text(n, "jobId"), text(n, "cluster"), text(n, "logDirectory"), text(n, "jar"), text(n, "entryClass"), args,
                n.hasNonNull("parallelism") ? n.get("parallelism").asInt() : null, n.path("allowNonRestoredState").asBoolean(false),
                conf, text(n, "namespace"), text(n, "workflow"), text(n, "task"), text(n, "token"), text(n, "suspendTrigger"),
                text(n, "suspendedWith"));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** Flink job ids are 32 hex digits: safe as a file name. */
    private static boolean valid(String key) {
        return key != null && key.matches("[0-9a-fA-F]{1,64}");
    }

    private Path file(String key) {
        if (!valid(key)) {
            throw new IllegalArgumentException("not a Flink job id: " + key);
        }
        return directory.resolve(key + ".json");
    }
}

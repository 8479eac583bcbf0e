package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskExecution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the log directories ({@code <root>/task-<id>}) of finished task executions by the
 * {@link TaskLogRule rules}: first those older than their namespace's {@code age}, then, oldest first,
 * those beyond its {@code size} budget. A directory's age is the newest modification time inside it
 * (a task's left-over process that still writes keeps it young). Only a task whose status is final
 * (SUCCESS, FAILED, STOPPED) loses its directory: a queued, running, stopping, retrying or waiting
 * one is measured (it counts towards its namespace's size) but never touched. A directory whose task
 * execution the store does not know (deleted, or left from another database) is an orphan, held to
 * the {@code *} rule. Deleting goes through {@link TaskLogTree}: never through a link, never outside
 * the root.
 *
 * <p>Status comes from the scheduler's read API, one {@code task(id)} read per directory whose task
 * has not been seen final yet: a final status never changes, so it is remembered (about 100 bytes
 * per directory) and the next runs read only the tasks still going and the new ones.
 */
final class TaskLogRetention {
    private static final Logger LOG = LoggerFactory.getLogger(TaskLogRetention.class);
    private static final Pattern TASK_DIR = Pattern.compile("task-([0-9]{1,18})");

    /** What one run did. */
    record Outcome(int deleted, long freedBytes, int kept) {
    }

    private record Dir(String name, long id, String namespace, boolean finished, TaskLogTree.Measure measure) {
    }

    private final Path root;
    private final List<TaskLogRule> rules;
    private final LongFunction<Optional<TaskExecution>> tasks;
    private final Clock clock;
    /** Namespace of each task execution seen with a final status (ANY for orphans). */
    private final Map<Long, String> finished = new ConcurrentHashMap<>();

    /**
     * @param tasks the task execution of an id, empty if the store has none; throws if the store
     *              cannot answer (the run then stops and deletes nothing more)
     */
    TaskLogRetention(Path root, List<TaskLogRule> rules, LongFunction<Optional<TaskExecution>> tasks, Clock clock) {
        this.root = root;
        this.rules = List.copyOf(rules);
        this.tasks = tasks;
        this.clock = clock;
    }

    Outcome run() throws IOException {
        if (rules.isEmpty() || !Files.isDirectory(root)) {
            return new Outcome(0, 0, 0);
        }
        SecureDirectoryStream<Path> dir = TaskLogTree.open(root);
        if (dir == null) {
            LOG.warn("Task log retention needs secure directory streams (openat), which this platform lacks: nothing is deleted under {}", root);
            return new Outcome(0, 0, 0);
        }
        try (dir) {
            Map<String, List<Dir>> byNamespace = new HashMap<>();
            Map<Long, String> stillFinished = new HashMap<>();
            for (String name : TaskLogTree.names(dir)) {
                Matcher m = TASK_DIR.matcher(name);
                BasicFileAttributes a = m.matches() ? TaskLogTree.attributes(dir, name) : null;
                if (a == null || !a.isDirectory()) {
                    continue; // not a task's directory (or a link in its place): not ours to judge
                }
                long id = Long.parseLong(m.group(1));
                Dir d = describe(dir, name, id);
                if (d.finished()) {
                    stillFinished.put(id, d.namespace());
                }
                byNamespace.computeIfAbsent(d.namespace(), k -> new ArrayList<>()).add(d);
            }
            finished.keySet().retainAll(stillFinished.keySet()); // forget directories gone by other hands
            int deleted = 0;
            long freed = 0;
            int kept = 0;
            for (Map.Entry<String, List<Dir>> e : byNamespace.entrySet()) {
                TaskLogRule rule = TaskLogRule.forNamespace(rules, e.getKey());
                List<Dir> doomed = rule == null ? List.of() : select(rule, e.getValue());
                for (Dir d : doomed) {
                    if (TaskLogTree.delete(dir, d.name())) {
                        deleted++;
                        freed += d.measure().bytes();
                        finished.remove(d.id());
                    } else {
                        LOG.warn("Task log retention could not delete all of {} (nested deeper than {} or written to meanwhile)",
                                root.resolve(d.name()), TaskLogTree.MAX_DEPTH);
                    }
                }
                kept += e.getValue().size() - doomed.size();
            }
            if (deleted > 0) {
                LOG.info("Task log retention deleted {} task log directories ({} bytes) under {}; {} kept", deleted, freed, root, kept);
            }
            return new Outcome(deleted, freed, kept);
        }
    }

    private Dir describe(SecureDirectoryStream<Path> dir, String name, long id) throws IOException {
        String namespace = finished.get(id);
        boolean done = namespace != null;
        if (!done) {
            Optional<TaskExecution> t = tasks.apply(id);
            if (t.isEmpty()) {
                namespace = TaskLogRule.ANY; // orphan: no task says otherwise, the default rule holds
                done = true;
            } else {
                namespace = t.get().namespace();
                done = t.get().status().isFinal();
            }
            if (done) {
                finished.put(id, namespace);
            }
        }
        return new Dir(name, id, namespace, done, TaskLogTree.measure(dir, name));
    }

    /** The finished directories the rule deletes: too old, then oldest first until the namespace fits its budget. */
    private List<Dir> select(TaskLogRule rule, List<Dir> dirs) {
        List<Dir> doomed = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        Instant now = clock.instant();
        List<Dir> oldestFirst = dirs.stream().filter(Dir::finished)
                .sorted(Comparator.comparing((Dir d) -> d.measure().newest()).thenComparingLong(Dir::id)).toList();
        if (rule.maxAge() != null) {
            Instant cutoff = now.minus(rule.maxAge());
            for (Dir d : oldestFirst) {
                if (d.measure().newest().isBefore(cutoff)) {
                    doomed.add(d);
                    ids.add(d.id());
                }
            }
        }
        if (rule.maxBytes() != null) {
            // running tasks count too: their bytes are on the disk, but only finished ones make room
            long total = dirs.stream().filter(d -> !ids.contains(d.id())).mapToLong(d -> d.measure().bytes()).sum();
            for (Dir d : oldestFirst) {
                if (total <= rule.maxBytes()) {
                    break;
                }
                if (ids.add(d.id())) {
                    doomed.add(d);
                    total -= d.measure().bytes();
                }
            }
        }
        return doomed;
    }

    /** How often a run is due; a setting of the component, validated here so that a bad one is named. */
    static Duration interval(long seconds) {
        if (seconds < 1 || seconds > Duration.ofDays(1).toSeconds()) {
            throw new ValidationException("task log retention intervalSeconds must be between 1 and 86400, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}

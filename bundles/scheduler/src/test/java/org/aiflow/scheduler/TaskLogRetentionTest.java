package org.aiflow.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ages come from file times set here, sizes from bytes written here, the clock is fixed. */
class TaskLogRetentionTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path temp;
    private Path root;
    private Path outside;
    private final Map<Long, TaskExecution> tasks = new HashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectories(temp.resolve("logs"));
        outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("precious.txt"), "not a log");
        Files.createDirectories(outside.resolve("sub"));
        Files.writeString(outside.resolve("sub/also.txt"), "not a log either");
    }

    private TaskLogRetention retention(String... rules) {
        return new TaskLogRetention(root, TaskLogRule.parseAll(rules), id -> {
            reads.incrementAndGet();
            return Optional.ofNullable(tasks.get(id));
        }, CLOCK);
    }

    /** A task's directory with {@code bytes} in stdout.log, everything in it last changed {@code age} ago. */
    private Path task(long id, String namespace, TaskStatus status, Duration age, int bytes) throws Exception {
        tasks.put(id, new TaskExecution(id, 1, namespace, "wf", "t" + id, 1, "process", status, null, "", NOW, NOW));
        Path dir = Files.createDirectories(root.resolve("task-" + id));
        Files.write(dir.resolve("stdout.log"), new byte[bytes]);
        age(dir, age);
        return dir;
    }

    private static void age(Path dir, Duration age) throws Exception {
        FileTime time = FileTime.from(NOW.minus(age));
        try (Stream<Path> files = Files.walk(dir)) { // walk does not enter links
            for (Path p : files.toList()) {
                // the link itself (lutimes), never its target
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(time, null, null);
            }
        }
    }

    private List<String> left() throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void deletesFinishedTaskDirectoriesOlderThanTheAge() throws Exception {
        task(1, "ml", TaskStatus.SUCCESS, Duration.ofDays(31), 10);
        task(2, "ml", TaskStatus.FAILED, Duration.ofDays(40), 10);
        task(3, "ml", TaskStatus.STOPPED, Duration.ofDays(29), 10);

        TaskLogRetention.Outcome outcome = retention("* age=30d").run();

        assertThat(outcome).isEqualTo(new TaskLogRetention.Outcome(2, 20, 1));
        assertThat(left()).containsExactly("task-3");
    }

    @Test
    void aRunningTasksDirectoryIsKeptHoweverOldAndLarge() throws Exception {
        task(1, "ml", TaskStatus.RUNNING, Duration.ofDays(365), 5000);
        task(2, "ml", TaskStatus.QUEUED, Duration.ofDays(365), 10);
        task(3, "ml", TaskStatus.STOPPING, Duration.ofDays(365), 10);
        task(4, "ml", TaskStatus.WAITING, Duration.ofDays(365), 10);
        task(5, "ml", TaskStatus.RETRYING, Duration.ofDays(365), 10);

        assertThat(retention("* age=1d size=100").run().deleted()).isZero();
        assertThat(left()).containsExactly("task-1", "task-2", "task-3", "task-4", "task-5");
    }

    @Test
    void beyondTheSizeBudgetTheOldestFinishedGoFirstAndRunningOnesCount() throws Exception {
        task(1, "ml", TaskStatus.SUCCESS, Duration.ofHours(5), 3000);
        task(2, "ml", TaskStatus.SUCCESS, Duration.ofHours(4), 3000);
        task(3, "ml", TaskStatus.RUNNING, Duration.ofHours(6), 3000);
        task(4, "ml", TaskStatus.SUCCESS, Duration.ofHours(1), 3000);
        // budget 10k = 10240 bytes: 12000 -> the oldest finished one goes (not the older running one), then 9000 fit
        retention("* size=10k").run();

        assertThat(left()).containsExactly("task-2", "task-3", "task-4");
    }

    @Test
    void aNamespacesOwnRuleBeatsTheDefaultAndEachNamespaceHasItsOwnBudget() throws Exception {
        task(1, "ml", TaskStatus.SUCCESS, Duration.ofDays(3), 10);
        task(2, "ml", TaskStatus.SUCCESS, Duration.ofHours(1), 10);
        task(3, "etl", TaskStatus.SUCCESS, Duration.ofDays(3), 10);
        task(4, "etl", TaskStatus.SUCCESS, Duration.ofDays(20), 6000);
        task(5, "web", TaskStatus.SUCCESS, Duration.ofDays(20), 6000);

        retention("ml age=2d", "* age=30d size=8k").run();

        // ml: age 2 d, no budget; etl and web: 30 d and 8k each, so each keeps its 6k directory
        assertThat(left()).containsExactly("task-2", "task-3", "task-4", "task-5");
    }

    @Test
    void withoutARuleForTheNamespaceEverythingIsKept() throws Exception {
        task(1, "ml", TaskStatus.SUCCESS, Duration.ofDays(300), 10);

        assertThat(retention("etl age=1d").run().deleted()).isZero();
        assertThat(left()).containsExactly("task-1");
    }

    @Test
    void aSymbolicLinkPlantedInATaskDirectoryIsDeletedAsALinkAndItsTargetStays() throws Exception {
        Path dir = task(1, "ml", TaskStatus.SUCCESS, Duration.ofDays(40), 10);
        Files.createSymbolicLink(dir.resolve("precious.log"), outside.resolve("precious.txt"));
        Files.createSymbolicLink(dir.resolve("sub"), outside.resolve("sub"));
        Files.createSymbolicLink(dir.resolve("up"), Path.of("../../outside"));
        Files.createDirectories(dir.resolve("nested/deeper"));
        Files.createSymbolicLink(dir.resolve("nested/deeper/root"), temp);
        age(dir, Duration.ofDays(40));

        assertThat(retention("* age=30d").run().deleted()).isEqualTo(1);

        assertThat(left()).isEmpty();
        assertThat(Files.readString(outside.resolve("precious.txt"))).isEqualTo("not a log");
        assertThat(Files.readString(outside.resolve("sub/also.txt"))).isEqualTo("not a log either");
    }

    @Test
    void aLinkedTargetsSizeAndAgeDoNotCount() throws Exception {
        Files.write(outside.resolve("huge.bin"), new byte[50_000]);
        Path dir = task(1, "ml", TaskStatus.SUCCESS, Duration.ofHours(1), 10);
        Files.createSymbolicLink(dir.resolve("huge.log"), outside.resolve("huge.bin"));
        Files.createSymbolicLink(dir.resolve("outside"), outside);
        age(dir, Duration.ofHours(1));

        // the 50 kB behind the link are not the task's: the directory fits 10k
        assertThat(retention("* size=10k").run().deleted()).isZero();
        assertThat(left()).containsExactly("task-1");
        assertThat(outside.resolve("huge.bin")).hasSize(50_000);
    }

    @Test
    void aTaskDirectoryThatIsItselfALinkIsLeftAlone() throws Exception {
        Files.createSymbolicLink(root.resolve("task-9"), outside);
        tasks.put(9L, new TaskExecution(9, 1, "ml", "wf", "t", 1, "process", TaskStatus.SUCCESS, null, "", NOW, NOW));

        assertThat(retention("* age=0s size=0").run().deleted()).isZero();
        assertThat(Files.isSymbolicLink(root.resolve("task-9"))).isTrue();
        assertThat(outside.resolve("precious.txt")).exists();
    }

    @Test
    void otherEntriesOfTheRootAreNotTouched() throws Exception {
        Files.createDirectories(root.resolve("flink-cluster"));
        Files.writeString(root.resolve("notes.txt"), "x");
        Files.createDirectories(root.resolve("task-x"));

        assertThat(retention("* age=0s size=0").run().deleted()).isZero();
        assertThat(left()).containsExactly("flink-cluster", "notes.txt", "task-x");
    }

    @Test
    void anOrphanDirectoryIsHeldToTheDefaultRule() throws Exception {
        Path dir = Files.createDirectories(root.resolve("task-77"));
        Files.writeString(dir.resolve("stdout.log"), "from a store we no longer use");
        age(dir, Duration.ofDays(60));

        assertThat(retention("ml age=1d").run().deleted()).isZero();
        assertThat(retention("ml age=1d", "* age=30d").run().deleted()).isEqualTo(1);
    }

    @Test
    void aFinalStatusIsReadOnceARunningOneAtEveryRun() throws Exception {
        task(1, "ml", TaskStatus.SUCCESS, Duration.ofHours(1), 10);
        task(2, "ml", TaskStatus.RUNNING, Duration.ofHours(1), 10);
        TaskLogRetention retention = retention("* age=30d");

        retention.run();
        retention.run();
        retention.run();

        assertThat(reads.get()).isEqualTo(1 + 3);
    }

    @Test
    void aTaskThatFinishesBetweenRunsIsDeletedByTheNextOne() throws Exception {
        task(1, "ml", TaskStatus.RUNNING, Duration.ofDays(40), 10);
        TaskLogRetention retention = retention("* age=30d");
        assertThat(retention.run().deleted()).isZero();

        tasks.put(1L, new TaskExecution(1, 1, "ml", "wf", "t1", 1, "process", TaskStatus.SUCCESS, null, "", NOW, NOW));
        assertThat(retention.run().deleted()).isEqualTo(1);
        assertThat(left()).isEmpty();
    }

    @Test
    void aMissingRootIsNoError() throws Exception {
        Files.delete(root);
        assertThat(retention("* age=1d").run().deleted()).isZero();
    }

    @Test
    void rulesAreParsedWithUnitsAndBadOnesNamed() {
        assertThat(TaskLogRule.parse("ml age=7d size=2g")).isEqualTo(new TaskLogRule("ml", Duration.ofDays(7), 2L << 30));
        assertThat(TaskLogRule.parse("* size=512")).isEqualTo(new TaskLogRule("*", null, 512L));
        assertThat(TaskLogRule.parse("* age=90m, size=3K")).isEqualTo(new TaskLogRule("*", Duration.ofMinutes(90), 3072L));
        assertThat(TaskLogRule.parseAll(new String[] {"", "  "})).isEmpty();
        assertThatThrownBy(() -> TaskLogRule.parse("ml")).isInstanceOf(ValidationException.class).hasMessageContaining("needs age=");
        assertThatThrownBy(() -> TaskLogRule.parse("ml count=5")).hasMessageContaining("unknown part 'count=5'");
        assertThatThrownBy(() -> TaskLogRule.parse("ml age=7w")).hasMessageContaining("age unit must be s, m, h or d");
        assertThatThrownBy(() -> TaskLogRule.parse("ml size=-1")).hasMessageContaining("'-1' is not a non-negative number");
        assertThatThrownBy(() -> TaskLogRule.parse("ml size=99999999999g")).hasMessageContaining("too large");
        assertThatThrownBy(() -> TaskLogRule.parse("bad/ns age=1d")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> TaskLogRule.parseAll(new String[] {"ml age=1d", "ml size=1g"})).hasMessageContaining("'ml' has two rules");
        assertThat(TaskLogRule.forNamespace(TaskLogRule.parseAll(new String[] {"* age=1d", "ml age=2d"}), "ml").maxAge())
                .isEqualTo(Duration.ofDays(2));
        assertThat(TaskLogRule.forNamespace(TaskLogRule.parseAll(new String[] {"ml age=2d"}), "etl")).isNull();
        assertThatThrownBy(() -> TaskLogRetention.interval(0)).hasMessageContaining("between 1 and 86400");
    }
}

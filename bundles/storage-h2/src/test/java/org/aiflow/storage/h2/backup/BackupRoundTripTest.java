package org.aiflow.storage.h2.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.metadata.ModelVersionDraft;
import org.aiflow.api.workflow.Action;
import org.aiflow.api.workflow.ConditionSpec;
import org.aiflow.api.workflow.JobSpec;
import org.aiflow.api.workflow.Rule;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.TaskKind;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.storage.h2.EmbeddedH2;
import org.aiflow.storage.jdbc.JdbcStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup taken while events are being published, restored into another folder and opened as the
 * platform opens its store: events with their versions (a gap-free prefix of what was published),
 * a named subscription's cursor, models and model versions, workflows. Bad targets and bad backups
 * are refused and change nothing.
 */
class BackupRoundTripTest {
    private static final EmbeddedH2.Settings SETTINGS = new EmbeddedH2.Settings(4, 50, 200, "", true);

    @TempDir
    Path dir;

    @Test
    void whatWasCommittedBeforeTheBackupComesBack() throws Exception {
        Path zip = dir.resolve("backup.zip");
        List<Event> before;
        long cursor;
        StorageBackup.Written written;
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("live/aiflow"), SETTINGS)) {
            JdbcStorage storage = JdbcStorage.open(db.dataSource());
            for (int i = 0; i < 20; i++) {
                storage.eventStore().append(drafts("before", i, 50));
            }
            before = all(storage);
            cursor = before.get(700).version();
            storage.eventStore().createSubscription("indexer", 0);
            storage.eventStore().acknowledge("indexer", cursor);
            storage.metadataStore().createModel("ml", "churn", "churn model", Map.of("owner", "team-a"));
            storage.metadataStore().createModelVersion("ml", "churn", new ModelVersionDraft("file:/models/churn/1", "lr", "first", Map.of()),
                    v -> List.of());
            storage.schedulerStore().saveWorkflow(workflow("ml", "train"));

            // a publisher goes on while the backup is taken: the copy holds a consistent prefix of its commits
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread publisher = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        storage.eventStore().append(drafts("during", i, 10));
                    } catch (RuntimeException e) {
                        failure.set(e);
                        return;
                    }
                }
            });
            publisher.start();
            written = new H2Backup(db.dataSource()).backup(zip, false);
            stop.set(true);
            publisher.join();
            assertThat(failure.get()).isNull();
            System.out.printf("backup of %d bytes of database in a %d-byte zip in %d ms while publishing%n",
                    written.databaseBytes(), written.bytes(), written.millis());
        }
        assertThat(written.file()).isEqualTo(zip.toAbsolutePath());
        assertThat(Files.size(zip)).isEqualTo(written.bytes()).isPositive();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactlyInAnyOrder("backup.zip", "live");
        }

        H2Restore.Restored restored = H2Restore.restore(zip, dir.resolve("restored/aiflow"), LocalDateTime.now());
        assertThat(restored.keptAside()).isNull();
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("restored/aiflow"), SETTINGS)) {
            JdbcStorage storage = JdbcStorage.open(db.dataSource());
            List<Event> after = all(storage);
            assertThat(after.subList(0, before.size())).as("events before the backup, with their versions").isEqualTo(before);
            for (int i = 1; i < after.size(); i++) {
                assertThat(after.get(i).version()).as("no gap in the versions").isEqualTo(after.get(i - 1).version() + 1);
            }
            System.out.printf("restored: %d events (%d published before the backup began), subscription cursor %d%n",
                    after.size(), before.size(), storage.eventStore().findSubscription("indexer").orElseThrow().cursor());
            assertThat(storage.eventStore().findSubscription("indexer").orElseThrow().cursor()).isEqualTo(cursor);
            assertThat(storage.metadataStore().findModel("ml", "churn").orElseThrow().properties()).containsEntry("owner", "team-a");
            assertThat(storage.metadataStore().findModelVersion("ml", "churn", 1).orElseThrow().uri()).isEqualTo("file:/models/churn/1");
            assertThat(storage.schedulerStore().findWorkflow("ml", "train")).isPresent();
        }
    }

    @Test
    void aRestoreKeepsTheReplacedDatabaseAsideAndRefusesAnOpenOne() throws Exception {
        Path zip = dir.resolve("b.zip");
        Path base = dir.resolve("data/aiflow");
        try (EmbeddedH2 db = EmbeddedH2.open(base, SETTINGS)) {
            JdbcStorage.open(db.dataSource()).eventStore().append(drafts("one", 0, 1));
            new H2Backup(db.dataSource()).backup(zip, false);
            JdbcStorage.open(db.dataSource()).eventStore().append(drafts("two", 0, 1));
            byte[] live = Files.readAllBytes(db.mvDbFile());
            assertThatThrownBy(() -> H2Restore.restore(zip, base, LocalDateTime.now())).hasMessageContaining("is in use: stop the platform");
            assertThat(Files.readAllBytes(db.mvDbFile())).as("unchanged").isEqualTo(live);
        }
        H2Restore.Restored r = H2Restore.restore(zip, base, LocalDateTime.of(2026, 12, 7, 8, 0));
        assertThat(r.keptAside()).hasFileName("aiflow.mv.db.before-restore-20261207-080000");
        try (EmbeddedH2 db = EmbeddedH2.open(base, SETTINGS)) {
            assertThat(JdbcStorage.open(db.dataSource()).eventStore().list(query(10))).extracting(Event::key).containsExactly("one-0");
        }
        Files.createDirectories(dir.resolve("aside"));
        Files.copy(r.keptAside(), dir.resolve("aside/aiflow.mv.db"));
        try (EmbeddedH2 aside = EmbeddedH2.open(dir.resolve("aside/aiflow"), SETTINGS)) {
            assertThat(JdbcStorage.open(aside.dataSource()).eventStore().list(query(10))).as("the replaced database, kept")
                    .extracting(Event::key).containsExactly("one-0", "two-0");
        }
    }

    @Test
    void badTargetsAndBadBackupsChangeNothing() throws Exception {
        Path zip = dir.resolve("taken.zip");
        Files.writeString(zip, "not mine");
        try (EmbeddedH2 db = EmbeddedH2.open(dir.resolve("db/aiflow"), SETTINGS)) {
            H2Backup backup = new H2Backup(db.dataSource());
            assertThatThrownBy(() -> backup.backup(zip, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists already");
            assertThat(Files.readString(zip)).isEqualTo("not mine");
            assertThatThrownBy(() -> backup.backup(dir.resolve("no/such/folder/b.zip"), false)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> backup.backup(dir, true)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is a folder");
            assertThat(backup.backup(zip, true).bytes()).as("--force replaces it").isGreaterThan(100);
        }
        Path notAZip = dir.resolve("not.zip");
        Files.writeString(notAZip, "hello");
        Path base = dir.resolve("db/aiflow");
        byte[] kept = Files.readAllBytes(dir.resolve("db/aiflow.mv.db"));
        assertThatThrownBy(() -> H2Restore.restore(notAZip, base, LocalDateTime.now())).hasMessageContaining("is no backup");
        assertThatThrownBy(() -> H2Restore.restore(dir.resolve("missing.zip"), base, LocalDateTime.now())).hasMessageContaining("does not exist");
        Path garbage = dir.resolve("garbage.zip");
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(garbage))) {
            out.putNextEntry(new java.util.zip.ZipEntry("aiflow.mv.db"));
            out.write(new byte[8192]);
        }
        assertThatThrownBy(() -> H2Restore.restore(garbage, base, LocalDateTime.now())).hasMessageContaining("not readable by H2");
        assertThat(Files.readAllBytes(dir.resolve("db/aiflow.mv.db"))).isEqualTo(kept);
        try (var files = Files.list(dir.resolve("db"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("nothing restored or put aside").noneMatch(n -> n.contains("restor"));
        }
    }

    private static List<EventDraft> drafts(String key, int batch, int n) {
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            drafts.add(new EventDraft("ml", key + "-" + batch, "v" + i, null, "test", null, null));
        }
        return drafts;
    }

    private static List<Event> all(JdbcStorage storage) {
        List<Event> all = new ArrayList<>();
        for (List<Event> page = storage.eventStore().list(EventQuery.after(0, 5000)); !page.isEmpty();
             page = storage.eventStore().list(EventQuery.after(page.get(page.size() - 1).version(), 5000))) {
            all.addAll(page);
        }
        return all;
    }

    private static EventQuery query(int limit) {
        return new EventQuery(null, null, null, null, 0, null, null, null, limit);
    }

    private static WorkflowDefinition workflow(String namespace, String name) {
        return new WorkflowDefinition(namespace, name, "backup test", List.of(new TaskDefinition("t1", TaskKind.BATCH,
                new JobSpec("process", Map.of("command", "true")), List.of(new Rule(new ConditionSpec("event", Map.of("key", "go")), Action.START)))));
    }
}

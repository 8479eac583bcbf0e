package org.aiflow.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.aiflow.api.event.Event;
import org.aiflow.api.event.EventDraft;
import org.aiflow.api.event.EventQuery;
import org.aiflow.api.execution.ExecutionStatus;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.storage.jdbc.SchemaHistory.Entry;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.zaxxer.hikari.HikariDataSource;

/** Safe upgrades on each backend: old data survives, nodes migrate once, changed scripts are refused, failures resume. */
class SchemaMigratorTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static TestDatabase database(String backend) {
        return switch (backend) {
            case "h2" -> TestDatabases.h2();
            case "mariadb" -> TestDatabases.mariadb();
            case "postgresql" -> TestDatabases.postgresql();
            default -> throw new IllegalArgumentException(backend);
        };
    }

    /** The bundle's scripts for the database, with {@code extra} appended as the next versions. */
    private static SchemaMigrator.Scripts bundledPlus(MigrationScript... extra) {
        return id -> {
            List<MigrationScript> scripts = new ArrayList<>(MigrationScript.bundled(id, SchemaMigrator.MIGRATIONS));
            scripts.addAll(List.of(extra));
            return scripts;
        };
    }

    private static Map<Integer, Entry> history(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return new TreeMap<>(SchemaHistory.read(c));
        }
    }

    private static void execute(TestDatabase db, String... sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
            c.commit();
        }
    }

    private static long count(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            long n = rs.getLong(1);
            c.commit();
            return n;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgresql"})
    void aDatabaseWithOnlyV1AndDataIsUpgradedAndReadableThroughTheStores(String backend) throws Exception {
        try (TestDatabase db = database(backend)) {
            assertThat(SchemaMigrator.migrate(db.dataSource(), 1)).isEqualTo(1);
            execute(db,
                    "INSERT INTO aiflow_events (version, namespace, event_key, event_value, event_type, sender, context_json, create_time, "
                            + "idempotency_key) VALUES (1, 'ns', 'k', 'v1', 'T', 's', '{}', 1000, 'id-1'), (2, 'ns', 'k', 'v2', 'T', 's', '{}', 2000, NULL)",
                    "UPDATE aiflow_sequences SET last_value = 2 WHERE name = 'event'",
                    "INSERT INTO aiflow_workflows (id, namespace, name, enabled, snapshot_id, create_time, update_time) "
                            + "VALUES (1, 'team', 'flow', TRUE, 1, 10, 20)",
                    "INSERT INTO aiflow_workflow_snapshots (id, workflow_id, definition_json, create_time) VALUES (1, 1, '{}', 10)",
                    "INSERT INTO aiflow_workflow_executions (id, workflow_id, workflow_name, snapshot_id, status, start_time) "
                            + "VALUES (7, 1, 'flow', 1, 'RUNNING', 30)",
                    "INSERT INTO aiflow_task_executions (id, workflow_execution_id, workflow_name, task_name, attempt, runner_type, status, "
                            + "message, create_time, update_time) VALUES (70, 7, 'flow', 't', 1, 'process', 'RUNNING', 'started', 40, 50)",
                    "INSERT INTO aiflow_task_status_changes (id, task_execution_id, from_status, to_status, message, change_time) "
                            + "VALUES (1, 70, NULL, 'RUNNING', 'started', 50)",
                    "INSERT INTO aiflow_cursors (consumer, last_version) VALUES ('scheduler', 2)");

            JdbcStorage storage = JdbcStorage.open(db.dataSource()); // V2..V10
            assertThat(history(db).values()).extracting(Entry::script).containsExactlyElementsOf(SchemaMigrator.MIGRATIONS);
            assertThat(history(db).values()).allMatch(e -> SchemaHistory.APPLIED.equals(e.status()));
            EventQuery all = new EventQuery(List.of("ns"), null, null, null, 0, null, null, null, 10);
            assertThat(storage.eventStore().list(all)).extracting(Event::version, Event::value, Event::principal)
                    .containsExactly(tuple(1L, "v1", ""), tuple(2L, "v2", ""));
            assertThat(storage.eventStore().append(List.of(new EventDraft("ns", "k", "v3", null, null, null, null))).get(0).version())
                    .isEqualTo(3);
            assertThat(storage.schedulerStore().findWorkflow("team", "flow").orElseThrow().id()).isEqualTo(1);
            var execution = storage.schedulerStore().findExecution(7).orElseThrow();
            assertThat(execution.namespace()).as("V6 gave the execution its workflow's namespace").isEqualTo("team");
            assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);
            var task = storage.schedulerStore().findTask(70).orElseThrow();
            assertThat(task.namespace()).isEqualTo("team");
            assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(storage.schedulerStore().history(70)).containsExactly(
                    new TaskStatusChange(70, null, TaskStatus.RUNNING, "started", Instant.ofEpochMilli(50)));
            assertThat(storage.schedulerStore().cursor("scheduler")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgresql"})
    void twoNodesStartingTogetherMigrateOnce(String backend) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (TestDatabase db = database(backend); HikariDataSource first = db.newPool(); HikariDataSource second = db.newPool()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> runs = new ArrayList<>();
            for (HikariDataSource node : List.of(first, second)) {
                runs.add(threads.submit(() -> {
                    start.await();
                    return SchemaMigrator.migrate(node, SchemaMigrator::bundledScripts, WAIT);
                }));
            }
            start.countDown();
            int one = runs.get(0).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            int other = runs.get(1).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(List.of(one, other)).as("one node applied every script, the other found them applied")
                    .containsExactlyInAnyOrder(SchemaMigrator.MIGRATIONS.size(), 0);
            assertThat(history(db).values()).extracting(Entry::script).containsExactlyElementsOf(SchemaMigrator.MIGRATIONS);
            assertThat(history(db).values()).allMatch(e -> SchemaHistory.APPLIED.equals(e.status()));
            assertThat(JdbcStorage.open(db.dataSource()).eventStore().append(List.of(new EventDraft("ns", "k", "v", null, null, null, null)))
                    .get(0).version()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgresql"})
    void aNodeWaitsForTheLockABoundedTimeAndSaysWhy(String backend) throws Exception {
        try (TestDatabase db = database(backend)) {
            String id = databaseId(db);
            try (MigrationLock held = MigrationLock.acquire(db.dataSource(), id, WAIT); HikariDataSource other = db.newPool()) {
                assertThatThrownBy(() -> SchemaMigrator.migrate(other, SchemaMigrator::bundledScripts, Duration.ofSeconds(1)))
                        .isInstanceOfSatisfying(SchemaMigrationException.class,
                                e -> assertThat(e.code()).isEqualTo(SchemaMigrationException.LOCK_TIMEOUT))
                        .hasMessageContaining("another node is migrating the schema").hasMessageContaining("within 1 s");
            }
            assertThat(SchemaMigrator.migrate(db.dataSource())).as("the released lock is free").isEqualTo(SchemaMigrator.MIGRATIONS.size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgresql"})
    void aChangedAppliedScriptIsRefusedNamingItAndBothChecksums(String backend) throws Exception {
        try (TestDatabase db = database(backend)) {
            SchemaMigrator.migrate(db.dataSource());
            MigrationScript v11 = new MigrationScript(11, "V11__test.sql", "CREATE TABLE aiflow_test_a (id INT);\n");
            assertThat(SchemaMigrator.migrate(db.dataSource(), bundledPlus(v11), WAIT)).isEqualTo(1);
            String stored = history(db).get(11).checksum();
            assertThat(stored).isEqualTo(v11.checksum());

            MigrationScript commented = new MigrationScript(11, "V11__test.sql", "-- a corrected comment\nCREATE TABLE aiflow_test_a (id INT);   \r\n");
            assertThat(SchemaMigrator.migrate(db.dataSource(), bundledPlus(commented), WAIT))
                    .as("comments, blank lines and trailing spaces are no change").isZero();

            MigrationScript edited = new MigrationScript(11, "V11__test.sql", "CREATE TABLE aiflow_test_a (id BIGINT);\n");
            assertThatThrownBy(() -> SchemaMigrator.migrate(db.dataSource(), bundledPlus(edited), WAIT))
                    .isInstanceOfSatisfying(SchemaMigrationException.class,
                            e -> assertThat(e.code()).isEqualTo(SchemaMigrationException.SCRIPT_CHANGED))
                    .hasMessageContaining("schema migration V11__test.sql was changed after it was applied")
                    .hasMessageContaining("stored checksum " + stored)
                    .hasMessageContaining("current checksum " + edited.checksum());
            assertThat(history(db).get(11).checksum()).as("the refusal changed nothing").isEqualTo(stored);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgresql"})
    void rowsFromBeforeChecksumsAreBaselined(String backend) throws Exception {
        try (TestDatabase db = database(backend)) {
            SchemaMigrator.migrate(db.dataSource());
            // the version table as releases before checksums left it
            execute(db, "ALTER TABLE aiflow_schema_version DROP COLUMN checksum", "ALTER TABLE aiflow_schema_version DROP COLUMN statements",
                    "ALTER TABLE aiflow_schema_version DROP COLUMN status");
            assertThat(SchemaMigrator.migrate(db.dataSource())).isZero();
            String id = databaseId(db);
            for (MigrationScript script : MigrationScript.bundled(id, SchemaMigrator.MIGRATIONS)) {
                Entry entry = history(db).get(script.version());
                assertThat(entry).isEqualTo(new Entry(script.version(), script.name(), script.checksum(), script.statements().size(),
                        SchemaHistory.APPLIED));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "mariadb", "postgresql"})
    void aScriptFailingHalfWayResumesAfterTheFix(String backend) throws Exception {
        try (TestDatabase db = database(backend)) {
            SchemaMigrator.migrate(db.dataSource());
            String first = "CREATE TABLE aiflow_test_a (id INT);\n";
            String last = "CREATE TABLE aiflow_test_b (id INT);\n";
            MigrationScript broken = new MigrationScript(11, "V11__test.sql", first + "INSERT INTO aiflow_test_missing (id) VALUES (1);\n" + last);
            assertThatThrownBy(() -> SchemaMigrator.migrate(db.dataSource(), bundledPlus(broken), WAIT))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("schema migration V11__test.sql failed at statement 2 of 3 (INSERT INTO aiflow_test_missing");
            boolean transactionalDdl = "postgresql".equals(backend);
            if (transactionalDdl) {
                assertThat(history(db)).as("PostgreSQL rolled the whole script back").doesNotContainKey(11);
                assertThat(tableExists(db, "aiflow_test_a")).isFalse();
            } else {
                assertThat(history(db).get(11)).isEqualTo(new Entry(11, "V11__test.sql", broken.checksum(1), 1, SchemaHistory.PARTIAL));
                assertThat(tableExists(db, "aiflow_test_a")).as("MariaDB/H2 committed the first statement's DDL").isTrue();
                MigrationScript prefixEdited = new MigrationScript(11, "V11__test.sql", "CREATE TABLE aiflow_test_a (id BIGINT);\n");
                assertThatThrownBy(() -> SchemaMigrator.migrate(db.dataSource(), bundledPlus(prefixEdited), WAIT))
                        .isInstanceOf(SchemaMigrationException.class)
                        .hasMessageContaining("was changed in the 1 statement(s) already applied");
            }

            MigrationScript fixed = new MigrationScript(11, "V11__test.sql", first + "INSERT INTO aiflow_test_a (id) VALUES (1);\n" + last);
            assertThat(SchemaMigrator.migrate(db.dataSource(), bundledPlus(fixed), WAIT)).isEqualTo(1);
            assertThat(history(db).get(11)).isEqualTo(new Entry(11, "V11__test.sql", fixed.checksum(), 3, SchemaHistory.APPLIED));
            assertThat(count(db, "aiflow_test_a")).isEqualTo(1);
            assertThat(count(db, "aiflow_test_b")).isZero();
            assertThat(SchemaMigrator.migrate(db.dataSource(), bundledPlus(fixed), WAIT)).isZero();
        }
    }

    private static boolean tableExists(TestDatabase db, String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = "
                        + ("MariaDB".equals(c.getMetaData().getDatabaseProductName()) ? "DATABASE()" : "CURRENT_SCHEMA"))) {
            p.setString(1, table);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                boolean exists = rs.getLong(1) > 0;
                c.commit();
                return exists;
            }
        }
    }

    private static String databaseId(TestDatabase db) throws SQLException {
        try (Connection c = db.dataSource().getConnection()) {
            return SchemaMigrator.databaseId(c.getMetaData().getDatabaseProductName());
        }
    }
}

package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.aiflow.storage.jdbc.SchemaHistory.Entry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the plain-SQL migrations shipped in this bundle, in order, recording each in
 * {@code aiflow_schema_version} ({@link SchemaHistory}). Plain SQL rather than Flyway, whose jars are
 * not bundles. A database whose DDL differs has its own form of a script in
 * {@code migration/<databaseId>/} (PostgreSQL: {@code migration/postgresql/}), used instead of the
 * common one ({@code migration/}, H2 in MariaDB mode and MariaDB); a script with no such form is
 * common to all.
 *
 * <p><b>Safe upgrades.</b> Everything runs under the database's {@link MigrationLock}, so of nodes
 * starting together one migrates and the others wait, then find nothing to do. Each applied
 * script's checksum is stored and compared at every start: a shipped script that was edited since
 * it ran is refused ({@link SchemaMigrationException#SCRIPT_CHANGED}) rather than leaving databases
 * that claim one version with different schemas. Rows from before checksums are "baselined": they
 * get the checksum of the script as shipped now on their first start under this release.
 *
 * <p><b>Failures.</b> MariaDB (and H2) commit every DDL statement by themselves, so a script that
 * fails half way cannot be rolled back. Rather than requiring every script to be idempotent
 * ({@code IF NOT EXISTS} has no counterpart for data conversions such as V6's {@code UPDATE}s, and
 * the shipped scripts may not be rewritten: their checksums are fixed), progress is recorded per
 * statement: the version row is inserted as {@code partial} before the first statement and, after
 * each statement, updated with the count of applied statements and their checksum in the same
 * commit (for a data statement that is atomic with it; a DDL statement has committed itself just
 * before). The next start resumes at the first unapplied statement; the rest of a partial script
 * may be fixed meanwhile, only its applied statements are checksummed. PostgreSQL has transactional
 * DDL, so there a script and its row commit together or not at all: nothing is ever partial.
 * The one window left: a process killed between a DDL statement and its record on MariaDB/H2
 * re-runs that statement, which then fails (e.g. "table exists"); the message names it, and undoing
 * it by hand (docs/operations.md) lets the next start run it again.
 */
final class SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    /** Every migration, oldest first. Append; never edit one that has shipped (its checksum is checked). */
    static final List<String> MIGRATIONS = List.of("V1__base.sql", "V2__event_subscriptions.sql", "V3__metadata.sql",
            "V4__metadata_more.sql", "V5__schedules.sql", "V6__execution_namespaces.sql", "V7__security.sql",
            "V8__snapshot_history.sql", "V9__cluster.sql", "V10__cluster_commands.sql");

    /** How long a node waits for another node's migration, in seconds. */
    static final String LOCK_TIMEOUT_PROPERTY = "aiflow.storage.migrationLockTimeout";
    private static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(10);

    /** Where the scripts come from, by databaseId: the bundle's, or a test's. */
    @FunctionalInterface
    interface Scripts {
        List<MigrationScript> forDatabase(String databaseId) throws SQLException;
    }

    private SchemaMigrator() {
    }

    /** @return the number of migrations applied (or completed) now */
    static int migrate(DataSource dataSource) throws SQLException {
        return migrate(dataSource, MIGRATIONS.size());
    }

    /** Applies the migrations up to version {@code upTo} (tests of a migration's data conversion start below it). */
    static int migrate(DataSource dataSource, int upTo) throws SQLException {
        return migrate(dataSource, id -> MigrationScript.bundled(id, MIGRATIONS.subList(0, upTo)), lockTimeout());
    }

    /** Every migration the bundle ships, in the form for {@code databaseId}. */
    static List<MigrationScript> bundledScripts(String databaseId) throws SQLException {
        return MigrationScript.bundled(databaseId, MIGRATIONS);
    }

    /** Applies {@code scripts} (versions 1..n in order) under the migration lock, waiting for it at most {@code lockTimeout}. */
    static int migrate(DataSource dataSource, Scripts scripts, Duration lockTimeout) throws SQLException {
        String databaseId;
        try (Connection c = dataSource.getConnection()) {
            databaseId = databaseId(c.getMetaData().getDatabaseProductName());
        }
        List<MigrationScript> known = scripts.forDatabase(databaseId);
        try (MigrationLock lock = MigrationLock.acquire(dataSource, databaseId, lockTimeout);
             Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                SchemaHistory.prepare(c, databaseId);
                Map<Integer, Entry> history = SchemaHistory.read(c);
                verify(c, known, history);
                int applied = 0;
                for (MigrationScript script : known) {
                    Entry entry = history.get(script.version());
                    if (entry == null || !entry.complete()) {
                        apply(c, databaseId, script, entry);
                        applied++;
                    }
                }
                return applied;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** Baselines rows from before checksums, then refuses any applied script (or applied part) that changed. */
    private static void verify(Connection c, List<MigrationScript> known, Map<Integer, Entry> history) throws SQLException {
        for (MigrationScript script : known) {
            Entry entry = history.get(script.version());
            if (entry == null) {
                continue;
            }
            if (!entry.script().equals(script.name())) {
                throw changed(script, entry, "was applied as " + entry.script() + ", this release names it " + script.name(), null);
            }
            if (entry.checksum() == null) {
                LOG.info("Schema migration {} was applied before checksums were recorded: recording the shipped script's", script.name());
                SchemaHistory.baseline(c, script);
                continue;
            }
            int count = entry.complete() ? script.statements().size() : entry.statements();
            String current = script.checksum(count);
            if (!current.equals(entry.checksum()) || (!entry.complete() && count > script.statements().size())) {
                throw changed(script, entry, entry.complete() ? "was changed after it was applied"
                        : "was changed in the " + count + " statement(s) already applied", current);
            }
        }
        for (Entry entry : history.values()) {
            if (entry.version() > known.size()) {
                LOG.warn("The database has schema migration {} ({}), which this release does not know: it was migrated by a newer one",
                        entry.version(), entry.script());
            }
        }
    }

    private static SchemaMigrationException changed(MigrationScript script, Entry entry, String what, String current) {
        return new SchemaMigrationException(SchemaMigrationException.SCRIPT_CHANGED, "schema migration " + script.name() + " " + what
                + ": stored checksum " + entry.checksum() + ", current checksum " + (current == null ? script.checksum() : current)
                + ". A shipped migration must never be edited: restore the script as it was applied (or add a new migration)", null);
    }

    /** Runs {@code script} from its first unapplied statement; see the class comment for how progress is kept. */
    private static void apply(Connection c, String databaseId, MigrationScript script, Entry entry) throws SQLException {
        List<String> statements = script.statements();
        int from = entry == null ? 0 : entry.statements();
        boolean transactionalDdl = "postgresql".equals(databaseId);
        LOG.info(from == 0 ? "Applying schema migration {}" : "Resuming schema migration {} at statement {} of {}",
                script.name(), from + 1, statements.size());
        boolean insert = entry == null;
        if (insert && !transactionalDdl) {
            SchemaHistory.record(c, script, 0, true);
            c.commit();
            insert = false;
        }
        try (Statement s = c.createStatement()) {
            for (int i = from; i < statements.size(); i++) {
                try {
                    s.execute(statements.get(i));
                } catch (SQLException e) {
                    c.rollback();
                    throw failed(script, i, statements, transactionalDdl, e);
                }
                if (!transactionalDdl) {
                    SchemaHistory.record(c, script, i + 1, false);
                    c.commit();
                }
            }
            if (transactionalDdl) {
                SchemaHistory.record(c, script, statements.size(), insert);
                c.commit();
            } else if (statements.isEmpty()) {
                SchemaHistory.record(c, script, 0, false);
                c.commit();
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private static SQLException failed(MigrationScript script, int index, List<String> statements, boolean transactionalDdl, SQLException e) {
        String sql = statements.get(index).replaceAll("\\s+", " ");
        String done = transactionalDdl
                ? "nothing of it is applied (the database rolled the script back); fix the cause and start again"
                : index + " of its statements are applied and recorded (aiflow_schema_version status " + SchemaHistory.PARTIAL
                        + "); fix the cause and start again: the migration resumes at statement " + (index + 1);
        return new SQLException("schema migration " + script.name() + " failed at statement " + (index + 1) + " of " + statements.size()
                + " (" + (sql.length() > 200 ? sql.substring(0, 200) + "..." : sql) + "): " + e.getMessage() + "; " + done,
                e.getSQLState(), e.getErrorCode(), e);
    }

    /** The wait for another node's migration: {@value #LOCK_TIMEOUT_PROPERTY} seconds, 10 minutes by default. */
    static Duration lockTimeout() {
        String value = System.getProperty(LOCK_TIMEOUT_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_LOCK_TIMEOUT;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
            LOG.warn("System property {}={} is no number of seconds: waiting {} for the migration lock", LOCK_TIMEOUT_PROPERTY, value,
                    DEFAULT_LOCK_TIMEOUT);
            return DEFAULT_LOCK_TIMEOUT;
        }
    }

    /** The MyBatis databaseId of the database product ({@link JdbcStorage#DATABASE_IDS}), null if none. */
    static String databaseId(String productName) {
        if (productName != null) {
            for (Map.Entry<String, String> e : JdbcStorage.DATABASE_IDS.entrySet()) {
                if (productName.contains(e.getKey())) {
                    return e.getValue();
                }
            }
        }
        return null;
    }
}

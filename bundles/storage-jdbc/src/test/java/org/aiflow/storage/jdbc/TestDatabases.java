package org.aiflow.storage.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Fresh, pooled databases for tests: an H2 file database in a temporary directory, a new
 * schema on the MariaDB at {@code AIFLOW_MARIADB_URL} (default 127.0.0.1:3306, root, no password),
 * or a new schema in the PostgreSQL database at {@code AIFLOW_POSTGRESQL_URL} (default
 * 127.0.0.1:5432/test, user and password aiflow; {@code .ci/run} creates them).
 * When MariaDB or PostgreSQL is unreachable its tests are skipped locally but fail when {@code CI} is set.
 */
public final class TestDatabases {
    public static final String MARIADB_SERVER = System.getenv().getOrDefault("AIFLOW_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
    public static final String MARIADB_USER = System.getenv().getOrDefault("AIFLOW_MARIADB_USER", "root");
    public static final String MARIADB_PASSWORD = System.getenv().getOrDefault("AIFLOW_MARIADB_PASSWORD", "");

    public static final String POSTGRESQL_URL = System.getenv().getOrDefault("AIFLOW_POSTGRESQL_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String POSTGRESQL_USER = System.getenv().getOrDefault("AIFLOW_POSTGRESQL_USER", "aiflow");
    public static final String POSTGRESQL_PASSWORD = System.getenv().getOrDefault("AIFLOW_POSTGRESQL_PASSWORD", "aiflow");

    private TestDatabases() {
    }

    /** A pooled database that closes its pool and drops what it created when closed. */
    public record TestDatabase(HikariDataSource pool, Runnable dropper) implements AutoCloseable {
        public DataSource dataSource() {
            return pool;
        }

        /** Another, independent pool on the same database: a second platform instance. */
        public HikariDataSource newPool() {
            return TestDatabases.pool(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword(), false);
        }

        /** A pool of plain autocommit connections to the same database, for raw JDBC baselines. */
        public HikariDataSource newAutoCommitPool() {
            return TestDatabases.pool(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword(), true);
        }

        @Override
        public void close() {
            pool.close();
            dropper.run();
        }
    }

    public static TestDatabase h2() {
        return h2("");
    }

    /** An H2 database with the platform's settings and {@code extraSettings} (e.g. {@code ;CACHE_SIZE=4096}). */
    public static TestDatabase h2(String extraSettings) {
        try {
            Path dir = Files.createTempDirectory("aiflow-h2-");
            // a fresh directory per database isolates tests; closing removes it (benchmark databases grow to gigabytes)
            return new TestDatabase(pool("jdbc:h2:file:" + dir.resolve("db") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0"
                    + extraSettings, "sa", ""),
                    () -> deleteTree(dir));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot delete test database " + dir, e);
        }
    }

    public static TestDatabase mariadb() {
        String schema = "aiflow_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(MARIADB_SERVER, MARIADB_USER, MARIADB_PASSWORD);
             Statement s = c.createStatement()) {
            // the server's default (case-insensitive) collation: the schema must make names exact by itself
            s.execute("CREATE DATABASE " + schema);
        } catch (SQLException e) {
            String why = "MariaDB at " + MARIADB_SERVER + " is unreachable: " + e.getMessage();
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                Assertions.fail(why + " (CI is set, so the MariaDB storage suite must run)");
            }
            Assumptions.abort(why);
        }
        return new TestDatabase(pool(MARIADB_SERVER + schema + System.getenv().getOrDefault("AIFLOW_MARIADB_OPTIONS", ""),
                MARIADB_USER, MARIADB_PASSWORD), () -> {
            try (Connection c = DriverManager.getConnection(MARIADB_SERVER, MARIADB_USER, MARIADB_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + schema);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test schema " + schema, e);
            }
        });
    }

    /** A new schema in the PostgreSQL database, the connections' {@code currentSchema}; closing drops it with what is in it. */
    public static TestDatabase postgresql() {
        String schema = "aiflow_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRESQL_URL, POSTGRESQL_USER, POSTGRESQL_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + POSTGRESQL_URL + " is unreachable: " + e.getMessage();
            if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
                Assertions.fail(why + " (CI is set, so the PostgreSQL storage suite must run)");
            }
            Assumptions.abort(why);
        }
        String url = POSTGRESQL_URL + (POSTGRESQL_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new TestDatabase(pool(url, POSTGRESQL_USER, POSTGRESQL_PASSWORD), () -> {
            try (Connection c = DriverManager.getConnection(POSTGRESQL_URL, POSTGRESQL_USER, POSTGRESQL_PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test schema " + schema, e);
            }
        });
    }

    private static HikariDataSource pool(String url, String user, String password) {
        return pool(url, user, password, false);
    }

    private static HikariDataSource pool(String url, String user, String password, boolean autoCommit) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(20);
        config.setAutoCommit(autoCommit); // the platform's pools: off, as the distribution configures them
        return new HikariDataSource(config);
    }
}

package org.aiflow.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local MariaDB server of the tests ({@code AIFLOW_MARIADB_URL}, default 127.0.0.1:3306, root
 * without a password, as the storage suite uses): reachable or not (a failure when {@code CI} is
 * set), and a distribution's files switched to a fresh database of it before the first start.
 */
final class MariaDb {
    static final String SERVER = System.getenv().getOrDefault("AIFLOW_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
    static final String USER = System.getenv().getOrDefault("AIFLOW_MARIADB_USER", "root");
    static final String PASSWORD = System.getenv().getOrDefault("AIFLOW_MARIADB_PASSWORD", "");

    private MariaDb() {
    }

    /** Whether the server answers; throws when it does not and {@code CI} is set, so CI never skips the MariaDB half. */
    static boolean available() {
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD)) {
            return true;
        } catch (SQLException e) {
            String ci = System.getenv("CI");
            if (ci != null && !ci.isEmpty()) {
                throw new AssertionError("MariaDB at " + SERVER + " is unreachable and CI is set: " + e.getMessage(), e);
            }
            return false;
        }
    }

    /** A fresh database {@code name}, and the distribution at {@code home} booting on it instead of H2. */
    static void configure(Path home, String name) throws IOException, SQLException {
        create(name);
        Path etc = home.resolve("etc");
        Path features = etc.resolve("org.apache.karaf.features.cfg");
        Matcher boot = Pattern.compile("(?m)^([ \\t]*)aiflow/([^,\\s]+),").matcher(Files.readString(features));
        if (!boot.find()) {
            throw new IllegalStateException("no aiflow boot feature in " + features);
        }
        Files.writeString(features, boot.replaceFirst("$1aiflow/$2, aiflow-storage-mariadb/$2,"));
        Files.write(etc.resolve("org.ops4j.datasource-aiflow-mariadb.cfg"), List.of(
                "osgi.jdbc.driver.name = mariadb", "dataSourceName = aiflow-mariadb",
                "url = " + SERVER + name, "user = " + USER, "password = " + PASSWORD, "pool = hikari", "xa = false",
                "hikari.autoCommit = false", "hikari.maximumPoolSize = 20"));
        Files.write(etc.resolve("org.aiflow.storage.jdbc.cfg"), List.of("dataSource.target = (dataSourceName=aiflow-mariadb)"));
    }

    /** A fresh, empty database {@code name} with the collation the tables declare (docs/operations.md). */
    static void create(String name) throws SQLException {
        drop(name);
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
    }

    static void drop(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
        }
    }
}

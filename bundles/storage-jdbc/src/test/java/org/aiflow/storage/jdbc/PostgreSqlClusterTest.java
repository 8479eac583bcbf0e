package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class PostgreSqlClusterTest extends ClusterContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgresql();
    }

    @Override
    long lockWaits(DataSource dataSource) throws Exception {
        // sessions of this database waiting for a lock (the test schemas share one database: tests run one at a time)
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_stat_activity "
                     + "WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
            rs.next();
            long waits = rs.getLong(1);
            c.rollback();
            return waits;
        }
    }
}

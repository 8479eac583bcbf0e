package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import javax.sql.DataSource;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class H2ClusterTest extends ClusterContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2();
    }

    @Override
    long lockWaits(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL")) {
            rs.next();
            long waits = rs.getLong(1);
            c.rollback();
            return waits;
        }
    }
}

package org.aiflow.storage.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import javax.sql.DataSource;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class MariaDbClusterTest extends ClusterContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.mariadb();
    }

    @Override
    long lockWaits(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM information_schema.innodb_trx t "
                     + "JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id "
                     + "WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()")) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long waits = rs.getLong(1);
                c.rollback();
                return waits;
            }
        }
    }
}

package org.aiflow.storage.jdbc;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class MariaDbSecurityStoreTest extends SecurityStoreContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.mariadb();
    }
}

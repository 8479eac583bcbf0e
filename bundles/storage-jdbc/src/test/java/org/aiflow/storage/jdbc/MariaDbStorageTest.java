package org.aiflow.storage.jdbc;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class MariaDbStorageTest extends StorageContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.mariadb();
    }

    @Override
    String expectedBackend() {
        return "MariaDB";
    }
}

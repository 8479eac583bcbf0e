package org.aiflow.storage.jdbc;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class PostgreSqlStorageTest extends StorageContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgresql();
    }

    @Override
    String expectedBackend() {
        return "PostgreSQL";
    }
}

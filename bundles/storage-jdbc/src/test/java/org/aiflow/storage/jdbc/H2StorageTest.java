package org.aiflow.storage.jdbc;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class H2StorageTest extends StorageContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2();
    }

    @Override
    String expectedBackend() {
        return "H2";
    }
}

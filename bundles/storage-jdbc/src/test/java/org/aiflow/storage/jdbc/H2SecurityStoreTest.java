package org.aiflow.storage.jdbc;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class H2SecurityStoreTest extends SecurityStoreContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}

package org.aiflow.storage.jdbc;

import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class PostgreSqlSecurityStoreTest extends SecurityStoreContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgresql();
    }
}

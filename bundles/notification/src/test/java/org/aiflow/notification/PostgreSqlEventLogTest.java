package org.aiflow.notification;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class PostgreSqlEventLogTest extends EventLogContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgresql();
    }
}

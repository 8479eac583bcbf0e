package org.aiflow.scheduler;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class PostgreSqlSchedulerTest extends SchedulerContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgresql();
    }
}

package org.aiflow.scheduler;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class H2SchedulerTest extends SchedulerContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}

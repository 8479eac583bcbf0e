package org.aiflow.notification;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class H2EventLogTest extends EventLogContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}

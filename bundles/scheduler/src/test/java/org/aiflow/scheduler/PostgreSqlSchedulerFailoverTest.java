package org.aiflow.scheduler;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

/** {@link SchedulerFailoverTest}'s nodes on one PostgreSQL database. */
class PostgreSqlSchedulerFailoverTest extends SchedulerFailoverTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgresql();
    }
}

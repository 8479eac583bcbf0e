package org.aiflow.notification;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

/** {@link CrossNodeEventsTest}'s nodes on one PostgreSQL database. */
class PostgreSqlCrossNodeEventsTest extends CrossNodeEventsTest {
    @Override
    TestDatabase createSharedDatabase() {
        return TestDatabases.postgresql();
    }
}

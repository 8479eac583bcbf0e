package org.aiflow.metadata;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class PostgreSqlMetadataTest extends MetadataContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgresql();
    }
}

package org.aiflow.metadata;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class H2MetadataTest extends MetadataContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.h2();
    }
}

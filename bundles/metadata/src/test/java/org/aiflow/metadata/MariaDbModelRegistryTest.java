package org.aiflow.metadata;

import org.aiflow.storage.jdbc.TestDatabases;
import org.aiflow.storage.jdbc.TestDatabases.TestDatabase;

class MariaDbModelRegistryTest extends ModelRegistryContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.mariadb();
    }
}

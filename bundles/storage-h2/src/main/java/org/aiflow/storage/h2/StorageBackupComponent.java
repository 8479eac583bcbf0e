package org.aiflow.storage.h2;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.aiflow.storage.h2.backup.H2Backup;
import org.aiflow.storage.h2.backup.StorageBackup;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The online backup of the embedded H2 store as a service, for the console's {@code aiflow:backup}.
 * Registered with the DataSource's {@code dataSourceName}, so the command can tell whether the
 * storage in use is this one (after a switch to MariaDB the H2 DataSource may still be open).
 */
@Component(service = StorageBackup.class, property = "dataSourceName=" + EmbeddedH2DataSource.NAME)
public class StorageBackupComponent implements StorageBackup {
    @Reference(target = "(dataSourceName=" + EmbeddedH2DataSource.NAME + ")")
    private DataSource dataSource;

    private StorageBackup backup;

    @Activate
    void activate() {
        backup = new H2Backup(dataSource);
    }

    @Override
    public Written backup(Path target, boolean overwrite) {
        return backup.backup(target, overwrite);
    }
}

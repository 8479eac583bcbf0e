package org.aiflow.shell;

import java.nio.file.Path;

import org.aiflow.storage.h2.backup.StorageBackup;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The embedded H2 store's {@link StorageBackup} service, looked up when a backup is asked for. The
 * only class of the shell that names the H2 bundle's package: the shell imports it optionally (a
 * platform on MariaDB may have no H2 bundle), and a class that names a missing package fails only
 * when it is loaded, so {@link BackupCommand} itself never names it.
 */
final class EmbeddedStoreBackups implements BackupCommand.Backups {
    private final BundleContext context;

    EmbeddedStoreBackups(BundleContext context) {
        this.context = context;
    }

    @Override
    public Done backup(Path file, boolean overwrite) {
        ServiceReference<StorageBackup> ref = context.getServiceReference(StorageBackup.class);
        if (ref == null) {
            return null;
        }
        StorageBackup backup = context.getService(ref);
        if (backup == null) {
            return null;
        }
        try {
            StorageBackup.Written w = backup.backup(file, overwrite);
            return new Done(w.file(), w.bytes(), w.databaseBytes(), w.millis());
        } finally {
            context.ungetService(ref);
        }
    }
}

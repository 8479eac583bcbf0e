package org.aiflow.storage.h2.backup;

import java.nio.file.Path;

import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;

/**
 * An online backup of the store the service is registered for (its {@code dataSourceName} service
 * property names the DataSource): a consistent copy taken while the platform runs, written to one
 * file that {@code bin/aiflow-restore} puts back on a stopped platform.
 */
public interface StorageBackup {
    /**
     * Writes a backup to {@code target}; nothing is left under that name if it fails.
     *
     * @param overwrite whether an existing {@code target} may be replaced
     * @throws ValidationException  if {@code target} exists (and not {@code overwrite}), is a directory, or its folder does not exist
     * @throws UnavailableException if the database or the file system fails
     */
    Written backup(Path target, boolean overwrite);

    /**
     * A finished backup.
     *
     * @param file          the backup file (absolute)
     * @param bytes         its size
     * @param databaseBytes the size of the database file it holds
     * @param millis        how long it took
     */
    record Written(Path file, long bytes, long databaseBytes, long millis) {
    }
}

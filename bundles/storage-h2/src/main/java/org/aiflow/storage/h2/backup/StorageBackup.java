package org.aiflow.storage.h2.backup;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * An online backup of the store the service is registered for (its {@code dataSourceName} service
 * property names the DataSource): a consistent copy taken while the platform runs, written to one
 * file that {@code bin/aiflow-restore} puts back on a stopped platform.
 *
 * <p>Its exceptions are the JDK's, so that the H2 bundle needs nothing of the platform's API and its
 * feature installs alone (the console reports an {@link IllegalArgumentException} as
 * {@code invalid_argument} and an {@link UncheckedIOException} as {@code unavailable}).
 */
public interface StorageBackup {
    /**
     * Writes a backup to {@code target}; nothing is left under that name if it fails.
     *
     * @param overwrite whether an existing {@code target} may be replaced
     * @throws IllegalArgumentException if {@code target} exists (and not {@code overwrite}), is a folder, or its folder does not exist
     * @throws UncheckedIOException     if the database or the file system fails (the message says which)
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

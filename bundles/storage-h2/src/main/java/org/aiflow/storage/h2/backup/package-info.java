/**
 * Backup and restore of the embedded H2 store: {@link org.aiflow.storage.h2.backup.StorageBackup},
 * the online backup a running platform offers as a service (the console's {@code aiflow:backup}
 * uses it), and {@link org.aiflow.storage.h2.backup.H2Restore}, which puts a backup in place of the
 * store of a stopped platform ({@code bin/aiflow-restore}).
 */
@Export
@Version("1.0.0")
package org.aiflow.storage.h2.backup;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

package org.aiflow.storage.h2.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;


/**
 * The online backup of an H2 database by H2's {@code BACKUP TO}: a zip holding a consistent copy of
 * the {@code .mv.db} file (MVStore copies the file as of its last stored chunk while writers go
 * on), taken in a few hundred milliseconds for a store of some megabytes.
 *
 * <p>The zip is written under a hidden temporary name next to the target and moved to the target
 * name only once it is complete and checked ({@link BackupFile}): H2 would otherwise replace an
 * existing file silently, and a failure half-way would leave a truncated zip under the name a
 * script expects a good backup at.
 */
public final class H2Backup implements StorageBackup {
    private final DataSource dataSource;

    /** A backup of the H2 database behind {@code dataSource} (its user must be an H2 admin, as {@code sa} is). */
    public H2Backup(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Written backup(Path target, boolean overwrite) {
        Path file = target.toAbsolutePath().normalize();
        checkTarget(file, overwrite);
        long began = System.nanoTime();
        Path part = file.resolveSibling("." + file.getFileName() + ".part-" + UUID.randomUUID());
        try {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("BACKUP TO ?")) {
                s.setString(1, part.toString());
                s.execute();
            }
            long databaseBytes = BackupFile.databaseEntry(part).getSize();
            if (overwrite) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(part, file, StandardCopyOption.ATOMIC_MOVE); // no replace: a file made meanwhile stays
            }
            return new Written(file, Files.size(file), databaseBytes, (System.nanoTime() - began) / 1_000_000);
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException("the backup to " + file + " failed in H2: " + e.getMessage(), e));
        } catch (FileAlreadyExistsException e) {
            throw exists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("the backup to " + file + " failed: " + e, e));
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // nothing to do: a hidden leftover next to the target, named .part-
            }
        }
    }

    /** Refuses a target that is a folder, lies in no existing folder, or exists (unless {@code overwrite}). */
    static void checkTarget(Path file, boolean overwrite) {
        Path folder = file.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("the folder " + folder + " of the backup file does not exist: create it first");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a folder: give the backup a file name, e.g. " + file.resolve("aiflow-backup.zip"));
        }
        if (!overwrite && Files.exists(file)) {
            throw exists(file);
        }
        if (!Files.isWritable(folder)) {
            throw new IllegalArgumentException("the folder " + folder + " of the backup file is not writable by the platform");
        }
    }

    private static IllegalArgumentException exists(Path file) {
        return new IllegalArgumentException(file + " exists already: give another file name, or --force to replace it");
    }
}

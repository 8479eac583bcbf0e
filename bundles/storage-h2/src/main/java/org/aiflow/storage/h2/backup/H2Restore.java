package org.aiflow.storage.h2.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.h2.mvstore.MVStore;

/**
 * Puts a backup ({@link H2Backup}) in place of the database file of a stopped platform, keeping the
 * file it replaces aside as {@code <name>.mv.db.before-restore-<time>}. Run by
 * {@code bin/aiflow-restore} with only this bundle and H2 on the class path (no OSGi):
 * {@code java -cp ... org.aiflow.storage.h2.backup.H2Restore <backup.zip> <database file without .mv.db>}.
 *
 * <p>Refuses, changing nothing, while a process holds the database (H2 locks the file while it is
 * open: a running platform), and when the backup is no zip with one {@code .mv.db} file or that file
 * is no readable H2 store. The new file is written next to the old one under a temporary name and
 * moved in place, so a failure half-way leaves the old database as it was.
 */
public final class H2Restore {
    private static final DateTimeFormatter ASIDE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /**
     * A restore done.
     *
     * @param database the database file now holding the backup
     * @param keptAside where the file it replaced went (null: there was none)
     * @param bytes    the size of the restored database file
     */
    public record Restored(Path database, Path keptAside, long bytes) {
    }

    private H2Restore() {
    }

    /** Restores {@code backup} as the database {@code base} ({@code base.mv.db}); an {@link IOException} saying why not. */
    public static Restored restore(Path backup, Path base, LocalDateTime now) throws IOException {
        if (!Files.isRegularFile(backup)) {
            throw new IOException("the backup file " + backup + " does not exist");
        }
        Path database = Paths.get(base.toAbsolutePath() + BackupFile.SUFFIX);
        Path folder = database.getParent();
        ZipEntry entry = BackupFile.databaseEntry(backup);
        if (Files.exists(database)) {
            refuseWhileOpen(database);
        }
        Files.createDirectories(folder);
        Path restoring = folder.resolve(database.getFileName() + ".restoring");
        try {
            try (ZipFile zip = new ZipFile(backup.toFile()); InputStream in = zip.getInputStream(entry)) {
                // our own name, never the entry's: a crafted entry name cannot write elsewhere
                Files.copy(in, restoring, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel c = FileChannel.open(restoring, StandardOpenOption.WRITE)) {
                c.force(true);
            }
            checkReadable(restoring, backup);
            Path aside = null;
            if (Files.exists(database)) {
                aside = folder.resolve(database.getFileName() + ".before-restore-" + ASIDE.format(now));
                Files.move(database, aside);
            }
            try {
                Files.move(restoring, database, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (aside != null) {
                    Files.move(aside, database); // the old database back where it was
                }
                throw e;
            }
            return new Restored(database, aside, Files.size(database));
        } finally {
            Files.deleteIfExists(restoring);
        }
    }

    /** H2 holds a lock on the file of an open database; another process's lock makes {@code tryLock} answer null. */
    private static void refuseWhileOpen(Path database) throws IOException {
        try (FileChannel c = FileChannel.open(database, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = c.tryLock()) {
            if (lock == null) {
                throw inUse(database);
            }
        } catch (OverlappingFileLockException e) {
            throw inUse(database); // held by this JVM (a platform embedded in it)
        }
    }

    private static IOException inUse(Path database) {
        return new IOException(database + " is in use: stop the platform (bin/stop) before restoring; nothing was changed");
    }

    private static void checkReadable(Path file, Path backup) throws IOException {
        try {
            new MVStore.Builder().fileName(file.toString()).readOnly().open().close();
        } catch (RuntimeException e) {
            throw new IOException("the database in " + backup + " is not readable by H2 (" + e.getMessage() + "); nothing was changed", e);
        }
    }

    /** {@code H2Restore <backup.zip> <database file without .mv.db>}: exit 0 when restored, 1 when refused, 2 on bad usage. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: H2Restore <backup.zip> <database file without .mv.db>");
            System.exit(2);
        }
        try {
            Restored r = restore(Paths.get(args[0]).toAbsolutePath(), Paths.get(args[1]), LocalDateTime.now());
            System.out.println("Restored " + r.database() + " (" + r.bytes() + " bytes) from " + Paths.get(args[0]).toAbsolutePath() + ".");
            System.out.println(r.keptAside() == null ? "There was no database before." : "The database it replaced is kept as " + r.keptAside() + ".");
        } catch (IOException e) {
            System.err.println("aiflow-restore: " + e.getMessage());
            System.exit(1);
        }
    }
}

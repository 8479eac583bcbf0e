package org.aiflow.storage.h2.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** What a backup file holds: a zip whose one entry is the database file ({@code <name>.mv.db}). */
final class BackupFile {
    static final String SUFFIX = ".mv.db";

    private BackupFile() {
    }

    /** The database entry of {@code zip}; an {@link IOException} that says why if it is not a backup of ours. */
    static ZipEntry databaseEntry(Path zip) throws IOException {
        List<? extends ZipEntry> entries;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            entries = Collections.list(z.entries());
        } catch (IOException e) {
            throw new IOException(zip + " is no backup (not a zip file: " + e.getMessage() + ")", e);
        }
        if (entries.size() != 1 || entries.get(0).isDirectory() || !entries.get(0).getName().endsWith(SUFFIX)) {
            List<String> names = entries.stream().map(ZipEntry::getName).toList();
            throw new IOException(zip + " is no backup of the embedded H2 store: it should hold one " + SUFFIX + " file, it holds " + names);
        }
        return entries.get(0);
    }
}

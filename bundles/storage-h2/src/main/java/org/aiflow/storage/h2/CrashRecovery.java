package org.aiflow.storage.h2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.h2.mvstore.MVStore;

/**
 * Brings an H2 file that was not closed cleanly (the platform was killed) back to its last
 * committed version before H2 opens it.
 *
 * <p>Why: H2 2.5.252 writes each commit as a chunk, often into free space in the middle of the
 * file, and predicts where the next chunk will go. When a chunk lands elsewhere, it rewrites the
 * file header, but with the chunk <em>before</em> the new one (its {@code lastChunk} is set after
 * the write). After a {@code kill -9}, H2's normal open follows that header and the wrong
 * prediction, and silently reopens the file at an older version: the last commits, already
 * acknowledged, are gone and their event versions are given out again. Measured: 2 of 12 and 1 of
 * 12 kills under 16 publishers lost the last 2-3 acknowledged events; on one such file a normal
 * open found version 8750, while the file held every commit up to 8753 (a full scan found them).
 *
 * <p>What: if the header does not say the file was closed cleanly, open it read-only twice, as H2
 * would (header and chain) and in recovery mode (a scan of every block for the newest complete
 * chunk). Only if the scan finds a newer version, open it in recovery mode for writing and close
 * it, which writes a clean header naming the newest chunk; a normal open must then reach that
 * version, else this fails loudly rather than lose data. A clean file costs one read of its header.
 */
final class CrashRecovery {
    /** What was found and done; versions are MVStore versions, {@code -1} where not looked at. */
    record Outcome(boolean closedCleanly, long normalOpenVersion, long newestVersion, boolean recovered, long millis) {
        String describe(Path file) {
            if (closedCleanly) {
                return file + " was closed cleanly";
            }
            return String.format(java.util.Locale.ROOT, "%s was not closed cleanly: H2 alone would reopen it at version %d, "
                    + "the newest complete version in the file is %d%s (%d ms)", file, normalOpenVersion, newestVersion,
                    recovered ? ": recovered to it" : ": nothing to recover", millis);
        }
    }

    private CrashRecovery() {
    }

    /** Recovers {@code mvDb} (an H2 {@code .mv.db} file) if it needs it; nothing if it does not exist. */
    static Outcome recover(Path mvDb) throws IOException {
        long began = System.nanoTime();
        if (!Files.exists(mvDb) || Files.size(mvDb) == 0 || closedCleanly(mvDb)) {
            return new Outcome(true, -1, -1, false, 0);
        }
        String name = mvDb.toString();
        long normal = versionOf(name, false);
        long newest = versionOf(name, true);
        boolean recovered = false;
        if (newest > normal) {
            new MVStore.Builder().fileName(name).recoveryMode().open().close();
            long after = versionOf(name, false);
            if (after != newest) {
                throw new IOException("recovering " + name + " failed: the newest complete version is " + newest
                        + ", but after recovery a normal open finds " + after + "; the file is left as it is for inspection");
            }
            recovered = true;
        }
        return new Outcome(false, normal, newest, recovered, (System.nanoTime() - began) / 1_000_000);
    }

    /**
     * The version an open of the file reaches, read-only, normally or by scanning every block;
     * {@code -1} if a normal open fails (the scan may still find a complete version).
     */
    static long versionOf(String file, boolean scan) {
        MVStore.Builder builder = new MVStore.Builder().fileName(file).readOnly();
        if (scan) {
            builder.recoveryMode();
        }
        try {
            MVStore store = builder.open();
            try {
                return store.getCurrentVersion();
            } finally {
                store.closeImmediately();
            }
        } catch (RuntimeException e) {
            if (scan) {
                throw e;
            }
            return -1;
        }
    }

    /**
     * Whether the file header (two copies in the first two 4 KiB blocks, {@code key:value} pairs)
     * carries {@code clean:1}, which H2 writes when it closes the file and removes at its first write.
     */
    static boolean closedCleanly(Path mvDb) throws IOException {
        try (FileChannel channel = FileChannel.open(mvDb, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            while (block.hasRemaining() && channel.read(block) >= 0) {
                // read the first block whole
            }
            String header = new String(block.array(), 0, block.position(), StandardCharsets.ISO_8859_1);
            int end = header.indexOf('\n');
            for (String pair : (end < 0 ? header : header.substring(0, end)).split(",")) {
                if (pair.trim().equals("clean:1")) {
                    return true;
                }
            }
            return false;
        }
    }
}

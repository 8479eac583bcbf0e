package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures and deletes one task's log directory relative to an open directory ({@link
 * SecureDirectoryStream}: {@code openat}/{@code unlinkat} on Linux) and never through a link: the
 * task's own code writes into its directory and may leave a symbolic link to anywhere, or swap a
 * sub-directory for one while we walk. Every step opens the next directory by name relative to the
 * one already open, with {@code O_NOFOLLOW}: a link is read as a link (its own few bytes), deleted as
 * a link (the target stays), and never entered, so nothing outside the directory is measured or
 * deleted whatever the task does meanwhile. A hard link is a name in the directory: deleting it
 * leaves the other names and the content alone.
 *
 * <p>Nesting deeper than {@value #MAX_DEPTH} levels is left in place (and the directory with it):
 * a task that nests that deep gets its logs kept rather than a walk that could run out of stack or
 * file descriptors (one open per level).
 */
final class TaskLogTree {
    static final int MAX_DEPTH = 32;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /**
     * Bytes of the regular files in the directory (directories and links count nothing: the number
     * then means the same on every file system, and a link's target is not the task's) and the newest
     * modification time of anything in it, the directory included.
     */
    record Measure(long bytes, Instant newest) {
    }

    private TaskLogTree() {
    }

    /** The names in an open directory (read once: a directory stream iterates once). */
    static List<String> names(SecureDirectoryStream<Path> directory) {
        List<String> names = new ArrayList<>();
        for (Path p : directory) {
            names.add(p.getFileName().toString());
        }
        return names;
    }

    /** The entry's attributes, never following a link; null if it is gone. */
    static BasicFileAttributes attributes(SecureDirectoryStream<Path> parent, String name) throws IOException {
        try {
            return parent.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static Measure measure(SecureDirectoryStream<Path> parent, String name) throws IOException {
        BasicFileAttributes a = attributes(parent, name);
        if (a == null) {
            return new Measure(0, Instant.EPOCH);
        }
        long[] bytes = {a.isRegularFile() ? a.size() : 0};
        Instant[] newest = {a.lastModifiedTime().toInstant()};
        if (a.isDirectory()) {
            measureInside(parent, name, 1, bytes, newest);
        }
        return new Measure(bytes[0], newest[0]);
    }

    private static void measureInside(SecureDirectoryStream<Path> parent, String name, int depth, long[] bytes, Instant[] newest)
            throws IOException {
        if (depth > MAX_DEPTH) {
            return;
        }
        try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(Path.of(name), NOFOLLOW)) {
            for (String child : names(dir)) {
                BasicFileAttributes a = attributes(dir, child);
                if (a == null) {
                    continue;
                }
                if (a.isRegularFile()) {
                    bytes[0] += a.size();
                }
                Instant modified = a.lastModifiedTime().toInstant();
                if (modified.isAfter(newest[0])) {
                    newest[0] = modified;
                }
                if (a.isDirectory()) {
                    measureInside(dir, child, depth + 1, bytes, newest);
                }
            }
        } catch (NoSuchFileException e) {
            // gone meanwhile
        } catch (IOException e) {
            if (isLink(parent, name)) {
                return; // swapped for a link after we looked: O_NOFOLLOW refused it, as meant
            }
            throw e;
        }
    }

    /**
     * Deletes the entry {@code name} of {@code parent} and all inside it. True if it is gone; false if
     * something was left (too deep, or it could not be deleted).
     */
    static boolean delete(SecureDirectoryStream<Path> parent, String name) throws IOException {
        return delete(parent, name, 1);
    }

    private static boolean delete(SecureDirectoryStream<Path> parent, String name, int depth) throws IOException {
        BasicFileAttributes a = attributes(parent, name);
        if (a == null) {
            return true;
        }
        if (!a.isDirectory()) {
            return deleteFile(parent, name);
        }
        if (depth > MAX_DEPTH) {
            return false;
        }
        boolean empty = true;
        try (SecureDirectoryStream<Path> dir = parent.newDirectoryStream(Path.of(name), NOFOLLOW)) {
            for (String child : names(dir)) {
                empty &= delete(dir, child, depth + 1);
            }
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            if (isLink(parent, name)) {
                return deleteFile(parent, name); // became a link: the link goes, its target stays
            }
            throw e;
        }
        if (!empty) {
            return false;
        }
        try {
            parent.deleteDirectory(Path.of(name));
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            return false; // the task's left-over process wrote again meanwhile: next run
        }
    }

    private static boolean deleteFile(SecureDirectoryStream<Path> parent, String name) throws IOException {
        try {
            parent.deleteFile(Path.of(name)); // unlinkat: a link itself, never its target
        } catch (NoSuchFileException e) {
            // gone meanwhile
        }
        return true;
    }

    private static boolean isLink(SecureDirectoryStream<Path> parent, String name) throws IOException {
        BasicFileAttributes a = attributes(parent, name);
        return a != null && a.isSymbolicLink();
    }

    /** The directory opened as a secure stream, or null where the platform has none (then nothing is deleted). */
    @SuppressWarnings("resource")
    static SecureDirectoryStream<Path> open(Path directory) throws IOException {
        DirectoryStream<Path> stream = java.nio.file.Files.newDirectoryStream(directory);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        return null;
    }
}

package org.aiflow.sample.exporter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.aiflow.api.event.Event;

/**
 * Appends events to a file as JSON lines and forces them to disk before the exporter acknowledges
 * them. After a crash the file may end in a torn line, or hold a page that was never acknowledged:
 * {@link #lastExported()} cuts the torn line off and reads the version of the last whole line, and the
 * exporter skips events up to it. So the file gets every event exactly once, as long as only this
 * exporter writes it (rotating it away is fine: a new file starts empty).
 */
final class FileSink implements Sink {
    private static final int CHUNK = 8192;

    private final Path file;
    private FileChannel channel;

    FileSink(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    @Override
    public void export(List<Event> events) throws IOException {
        if (channel == null) {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(JsonLines.lines(events).getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            close(); // reopened, and its end repaired by lastExported(), before the next try
            throw e;
        }
    }

    @Override
    public long lastExported() throws IOException {
        close();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long lastNewline = lastIndexOfNewline(ch, size);
            if (lastNewline != size - 1) {
                ch.truncate(lastNewline + 1); // a torn line, written when the platform died: its page comes again
                ch.force(false);
            }
            if (lastNewline < 0) {
                return 0;
            }
            long lineStart = lastIndexOfNewline(ch, lastNewline) + 1;
            ByteBuffer head = ByteBuffer.allocate(JsonLines.VERSION_PREFIX.length() + 20);
            ch.read(head, lineStart);
            String start = new String(head.array(), 0, head.position(), StandardCharsets.UTF_8);
            if (!start.startsWith(JsonLines.VERSION_PREFIX)) {
                return 0;
            }
            int end = JsonLines.VERSION_PREFIX.length();
            while (end < start.length() && Character.isDigit(start.charAt(end))) {
                end++;
            }
            return end == JsonLines.VERSION_PREFIX.length() ? 0 : Long.parseLong(start.substring(JsonLines.VERSION_PREFIX.length(), end));
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Position of the last '\n' before {@code before}, -1 if none. */
    private static long lastIndexOfNewline(FileChannel ch, long before) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        long end = before;
        while (end > 0) {
            long start = Math.max(0, end - CHUNK);
            buffer.clear().limit((int) (end - start));
            while (buffer.hasRemaining() && ch.read(buffer, start + buffer.position()) >= 0) {
                // read the whole chunk
            }
            for (int i = buffer.position() - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n') {
                    return start + i;
                }
            }
            end = start;
        }
        return -1;
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing is lost: what was forced is on disk, the rest is exported again
            }
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "file " + file;
    }
}

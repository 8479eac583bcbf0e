package org.aiflow.examples.ml;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A Sink V2 that appends each record as one line to a local file and flushes it at once, so readers
 * see every line as soon as it is written and a restarted job appends after the lines of the run
 * before. Meant for parallelism 1 (several writers would interleave lines of one file).
 */
public final class AppendingLineSink implements Sink<String> {
    private static final long serialVersionUID = 1L;
    private final String file;

    public AppendingLineSink(String file) {
        this.file = file;
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) throws IOException {
        return new Writer(Path.of(file));
    }

    private static final class Writer implements SinkWriter<String> {
        private final BufferedWriter out;

        Writer(Path file) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        }

        @Override
        public void write(String line, Context context) throws IOException {
            out.write(line);
            out.write('\n');
            out.flush();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}

package org.aiflow.examples.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.metadata.Dataset;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What the jobs share: reading the CSV files, finding a dataset's file, the summary line. */
final class Jobs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Jobs() {
    }

    /** The file of a dataset and whether it still has to be registered. */
    record Input(String datasetName, String path, String uri, boolean registered) implements java.io.Serializable {
    }

    /**
     * Which file to read for a dataset: the uri of the registered dataset {@code --dataset-name}
     * (so updating the dataset's uri points the next run at new data), else {@code --dataset}, which
     * the job then registers. The name defaults to {@code --dataset}'s file name without extension.
     */
    static Input input(Args args, Registry registry) {
        String name = args.has("dataset-name") ? args.required("dataset-name") : defaultName(args);
        Optional<Dataset> registered = registry.enabled() ? registry.dataset(name) : Optional.empty();
        if (registered.isPresent()) {
            return new Input(name, registered.get().uri(), registered.get().uri(), true);
        }
        if (!args.has("dataset")) {
            throw new IllegalArgumentException(args.job() + ": argument --dataset is required"
                    + (registry.enabled() ? " (dataset '" + name + "' is not registered)" : ""));
        }
        String path = args.required("dataset");
        return new Input(name, path, uri(path), false);
    }

    private static String defaultName(Args args) {
        if (!args.has("dataset")) {
            throw new IllegalArgumentException(args.job() + ": argument --dataset or --dataset-name is required");
        }
        String file = new Path(args.required("dataset")).getName();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    /** The absolute URI of a path or URI: {@code file:///...} for a local file. */
    static String uri(String path) {
        Path p = new Path(path);
        try {
            return uri(p.makeQualified(p.getFileSystem()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path, e);
        }
    }

    /** The URI of a qualified path, local files written {@code file:///...} like {@link java.nio.file.Path#toUri()} does. */
    static String uri(Path qualified) {
        java.net.URI u = qualified.toUri();
        return "file".equals(u.getScheme()) ? java.nio.file.Path.of(u).toUri().toString() : u.toString();
    }

    /** The rows of a CSV file {@code x1,x2,label} (header and blank lines skipped), read by a FileSource. */
    static DataStream<LabeledPoint> readCsv(StreamExecutionEnvironment env, Input input) {
        FileSource<String> source = FileSource.forRecordStreamFormat(new TextLineInputFormat(), new Path(input.path())).build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "read " + input.datasetName())
                .flatMap(new ParseRows()).name("parse " + input.datasetName());
    }

    static final class ParseRows implements FlatMapFunction<String, LabeledPoint> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(String line, Collector<LabeledPoint> out) {
            LabeledPoint p = LabeledPoint.parse(line);
            if (p != null) {
                out.collect(p);
            }
        }
    }

    /** A one-line JSON object of the entries, in order. */
    static String json(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a summary line back. */
    static Map<String, Object> parseJson(String json) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(json, Map.class);
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON object: " + json, e);
        }
    }
}

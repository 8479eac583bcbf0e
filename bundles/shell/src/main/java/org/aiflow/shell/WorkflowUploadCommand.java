package org.aiflow.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

@Service
@Command(scope = "aiflow", name = "workflow-upload",
        description = "Uploads a workflow file (JSON or YAML): a new workflow, or a new snapshot of an existing one.")
@Needs(Role.AUTHOR)
public class WorkflowUploadCommand extends AiflowCommand {
    private static final ObjectMapper TREES = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    private static final YAMLFactory YAML = YAMLFactory.builder().enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Reference
    SchedulerService scheduler;

    @Argument(index = 0, name = "file", description = "The workflow file", required = true)
    @Completion(FileCompleter.class)
    String file;

    @Override
    void run() {
        Path path = Paths.get(file);
        String document;
        try {
            document = Files.readString(path);
        } catch (IOException e) {
            throw new ValidationException("cannot read workflow file " + path + ": " + e.getMessage());
        }
        String source = path.getFileName().toString();
        if (!caller.caller().mayEverywhere(Role.AUTHOR)) {
            // an author of some namespaces only: the file's namespace must be one of them, before anything is stored
            checkNamespace(namespaceOf(source, document));
        }
        Workflow w = scheduler.upload(source, document);
        caller.audit("workflow.upload", w.namespace(), w.name(), "snapshot " + w.snapshotId() + " from " + source);
        System.out.printf("Workflow %s/%s uploaded as snapshot %d.%n", w.namespace(), w.name(), w.snapshotId());
    }

    /**
     * The namespace a workflow file names ({@code default} if none), read as the scheduler tells
     * JSON from YAML: YAML by a {@code .yaml}/{@code .yml} name or a first character other than
     * <code>{</code>. A key given twice is refused, as the scheduler refuses it.
     */
    static String namespaceOf(String source, String document) {
        JsonNode root;
        try (JsonParser p = isYaml(source, document) ? YAML.createParser(document) : TREES.getFactory().createParser(document)) {
            root = TREES.readTree(p);
        } catch (IOException | RuntimeException e) {
            throw new ValidationException(source + ": cannot read the workflow's namespace: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException(source + ": a workflow file holds one object (mapping)");
        }
        JsonNode ns = root.get("namespace");
        if (ns == null || ns.isNull()) {
            return ConsoleCaller.DEFAULT_NAMESPACE;
        }
        if (!ns.isTextual()) {
            throw new ValidationException(source + ": 'namespace' must be text");
        }
        return ConsoleCaller.namespace(ns.asText());
    }

    static boolean isYaml(String source, String document) {
        String name = source.toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return true;
        }
        for (int i = 0; i < document.length(); i++) {
            char c = document.charAt(i);
            if (!Character.isWhitespace(c) && c != '\uFEFF') {
                return c != '{';
            }
        }
        return true;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

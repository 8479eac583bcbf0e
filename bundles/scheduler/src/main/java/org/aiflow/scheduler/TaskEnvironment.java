package org.aiflow.scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.aiflow.api.event.Event;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.spi.runner.JobRequest;
import org.aiflow.json.AiflowJson;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The task environment the scheduler gives each job ({@link JobRequest#taskEnvironment()}): where the
 * platform is, which execution the task is, the event that started it (also written as
 * {@value JobRequest#EVENT_FILE_NAME} into the task's log directory) and, added only for the submit
 * call, the task's own token.
 */
final class TaskEnvironment {
    private static final ObjectMapper JSON = AiflowJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TaskEnvironment() {
    }

    /** Everything but the token. {@code eventFile} is where {@link #writeEvent} put the event, if there is one. */
    static Map<String, String> of(String platformUrl, TaskExecution t, Optional<Event> event, Path eventFile) {
        Map<String, String> env = new HashMap<>();
        put(env, JobRequest.AIFLOW_URL, platformUrl);
        put(env, JobRequest.AIFLOW_WORKFLOW_EXECUTION_ID, Long.toString(t.workflowExecutionId()));
        event.ifPresent(e -> {
            put(env, JobRequest.AIFLOW_EVENT_FILE, eventFile.toAbsolutePath().toString());
            put(env, JobRequest.AIFLOW_EVENT_VERSION, Long.toString(e.version()));
            put(env, JobRequest.AIFLOW_EVENT_NAMESPACE, e.namespace());
            put(env, JobRequest.AIFLOW_EVENT_KEY, e.key());
            put(env, JobRequest.AIFLOW_EVENT_TYPE, e.type());
        });
        return env;
    }

    /** The environment with the task's token. */
    static Map<String, String> withToken(Map<String, String> env, String secret) {
        Map<String, String> out = new HashMap<>(env);
        put(out, JobRequest.AIFLOW_TOKEN, secret);
        return out;
    }

    /** The text without the token. */
    static String redact(String text, Optional<String> token) {
        if (text == null || token.isEmpty() || token.get().isEmpty()) {
            return text;
        }
        return text.replace(token.get(), "***");
    }

    /** An environment variable cannot hold NUL: it is left out of values (keys and types are free text). */
    private static void put(Map<String, String> env, String name, String value) {
        if (value != null) {
            env.put(name, value.indexOf('\0') < 0 ? value : value.replace("\0", ""));
        }
    }

    /**
     * Writes the event as JSON (the REST API's form) to {@code file}: through a new file renamed over
     * it, so a link a job left at that name is replaced, never followed.
     */
    static void writeEvent(Path file, Event event) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".event-", ".tmp");
        try {
            Files.write(tmp, JSON.writeValueAsBytes(event));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

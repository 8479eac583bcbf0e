package org.aiflow.scheduler;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.spi.runner.JobHandle;
import org.aiflow.api.workflow.WorkflowDefinition;
import org.aiflow.json.AiflowJson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/** JSON for workflow files and persisted job handles. */
final class SchedulerJson {
    private static final ObjectMapper MAPPER = AiflowJson.newMapper();

    private SchedulerJson() {
    }

    /**
     * Reads a workflow definition file.
     *
     * @throws ValidationException with the file name and what is wrong in it
     */
    static WorkflowDefinition readWorkflow(String source, String document) {
        try {
            return MAPPER.readValue(document, WorkflowDefinition.class);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw new ValidationException(source + ": " + (cause instanceof ValidationException ? cause.getMessage() : e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new ValidationException(source + ": " + e.getOriginalMessage() + location(e));
        }
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    static String writeHandle(JobHandle handle) {
        try {
            return MAPPER.writeValueAsString(handle);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job handle", e);
        }
    }

    static JobHandle readHandle(String json) {
        try {
            return MAPPER.readValue(json, JobHandle.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored job handle is unreadable: " + e.getOriginalMessage(), e);
        }
    }
}

package org.aiflow.rest;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;

import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.scheduler.SchedulerService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * Read views of what the scheduler writes: {@code /aiflow/v1/workflows} (with their current
 * snapshot), {@code /executions} and {@code /tasks} (with their status history).
 */
public final class WorkflowsResource {
    private WorkflowsResource() {
    }

    public record Workflows(List<Workflow> workflows) {
    }

    public record Executions(List<WorkflowExecution> executions) {
    }

    public record Tasks(List<TaskExecution> tasks) {
    }

    public record History(List<TaskStatusChange> changes) {
    }

    @Component(service = WorkflowList.class)
    @JaxrsResource
    @JaxrsApplicationSelect(Rest.APP_SELECT)
    @Path("workflows")
    @Produces(MediaType.APPLICATION_JSON)
    public static class WorkflowList {
        private final SchedulerService scheduler;

        @Activate
        public WorkflowList(@Reference SchedulerService scheduler) {
            this.scheduler = scheduler;
        }

        @GET
        public Workflows list(@QueryParam("namespace") String namespace) {
            return new Workflows(scheduler.listWorkflows().stream()
                    .filter(w -> namespace == null || namespace.equals(w.namespace())).toList());
        }

        @GET
        @Path("{name}")
        public Workflow get(@PathParam("name") String name, @QueryParam("namespace") String namespace) {
            return scheduler.workflow(namespace(namespace), name);
        }

        @GET
        @Path("{name}/snapshot")
        public WorkflowSnapshot snapshot(@PathParam("name") String name, @QueryParam("namespace") String namespace) {
            return scheduler.snapshot(scheduler.workflow(namespace(namespace), name).snapshotId());
        }
    }

    @Component(service = ExecutionList.class)
    @JaxrsResource
    @JaxrsApplicationSelect(Rest.APP_SELECT)
    @Path("executions")
    @Produces(MediaType.APPLICATION_JSON)
    public static class ExecutionList {
        private final SchedulerService scheduler;

        @Activate
        public ExecutionList(@Reference SchedulerService scheduler) {
            this.scheduler = scheduler;
        }

        @GET
        public Executions list(@QueryParam("namespace") String namespace, @QueryParam("workflow") String workflow,
                               @QueryParam("limit") String limit) {
            return new Executions(scheduler.listExecutions(namespace(namespace), workflow,
                    (int) Rest.longParam(limit, "limit", 100, 1, 10_000)));
        }

        @GET
        @Path("{id}")
        public WorkflowExecution get(@PathParam("id") String id) {
            return scheduler.execution(Rest.longParam(id, "id", 0, 0, Long.MAX_VALUE));
        }

        @GET
        @Path("{id}/snapshot")
        public WorkflowSnapshot snapshot(@PathParam("id") String id) {
            return scheduler.snapshot(get(id).snapshotId());
        }
    }

    @Component(service = TaskList.class)
    @JaxrsResource
    @JaxrsApplicationSelect(Rest.APP_SELECT)
    @Path("tasks")
    @Produces(MediaType.APPLICATION_JSON)
    public static class TaskList {
        private final SchedulerService scheduler;

        @Activate
        public TaskList(@Reference SchedulerService scheduler) {
            this.scheduler = scheduler;
        }

        @GET
        public Tasks list(@QueryParam("workflow") String workflow, @QueryParam("executionId") String executionId,
                          @QueryParam("status") String status, @QueryParam("limit") String limit) {
            TaskStatus s = null;
            if (status != null && !status.isEmpty()) {
                try {
                    s = TaskStatus.valueOf(status);
                } catch (IllegalArgumentException e) {
                    throw new ValidationException("query parameter 'status' must be one of " + List.of(TaskStatus.values()));
                }
            }
            return new Tasks(scheduler.listTasks(new TaskQuery(workflow, Rest.optionalLong(executionId, "executionId"), s,
                    (int) Rest.longParam(limit, "limit", 100, 1, 10_000))));
        }

        @GET
        @Path("{id}")
        public TaskExecution get(@PathParam("id") String id) {
            return scheduler.task(Rest.longParam(id, "id", 0, 0, Long.MAX_VALUE));
        }

        @GET
        @Path("{id}/history")
        public History history(@PathParam("id") String id) {
            return new History(scheduler.taskHistory(Rest.longParam(id, "id", 0, 0, Long.MAX_VALUE)));
        }
    }

    private static String namespace(String namespace) {
        return namespace == null || namespace.isEmpty() ? org.aiflow.api.event.EventDraft.DEFAULT_NAMESPACE : namespace;
    }
}

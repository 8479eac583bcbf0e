package org.aiflow.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.aiflow.api.execution.ScheduleInfo;
import org.aiflow.api.execution.SnapshotInfo;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.execution.TaskLog;
import org.aiflow.api.execution.TaskQuery;
import org.aiflow.api.execution.TaskStatus;
import org.aiflow.api.execution.TaskStatusChange;
import org.aiflow.api.execution.Workflow;
import org.aiflow.api.execution.WorkflowExecution;
import org.aiflow.api.execution.WorkflowSnapshot;
import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Role;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The scheduler over REST: {@code /aiflow/v1/workflows} (upload, enable, disable, delete, start an
 * execution; read with the current snapshot and the snapshot history), {@code /executions} (stop; start or restart a task
 * by hand), {@code /tasks} (stop; status history; log files), {@code /snapshots} and
 * {@code /plugins} (the runners, condition types and policies bound right now).
 */
public final class WorkflowsResource {
    private WorkflowsResource() {
    }

    /** All workflows, or a page of them when asked with {@code limit} or {@code pageToken}. */
    public record Workflows(List<Workflow> workflows, String nextPageToken) implements Paged {
    }

    public record Schedules(List<ScheduleInfo> schedules) {
    }

    /** A page of a workflow's snapshot history; {@code nextBeforeId} is the last id of a full page, null after the last. */
    public record Snapshots(List<SnapshotInfo> snapshots, String nextPageToken, Long nextBeforeId) implements Paged {
    }

    /** A page newest first; {@code nextBeforeId} is the older form of {@code nextPageToken} (the last id of a full page). */
    public record Executions(List<WorkflowExecution> executions, String nextPageToken, Long nextBeforeId) implements Paged {
    }

    /** A page newest first; {@code nextBeforeId} is the older form of {@code nextPageToken} (the last id of a full page). */
    public record Tasks(List<TaskExecution> tasks, String nextPageToken, Long nextBeforeId) implements Paged {
    }

    public record History(List<TaskStatusChange> changes) {
    }

    public record LogFiles(long taskExecutionId, List<String> files) {
    }

    public record Plugins(List<String> runners, List<String> conditions, List<String> policies) {
    }

    /** Default and largest slice of a log file one read returns. */
    static final int LOG_SLICE = 64 * 1024;
    static final int MAX_LOG_SLICE = 1024 * 1024;

    @Component(service = WorkflowList.class)
    @Path("workflows")
    @Produces(MediaType.APPLICATION_JSON)
    public static class WorkflowList {
        private final SchedulerService scheduler;
        private final AuditLog audit;

        @Activate
        public WorkflowList(@Reference SchedulerService scheduler, @Reference AuditLog audit) {
            this.scheduler = scheduler;
            this.audit = audit;
        }

        @GET
        public Workflows list(@QueryParam("namespace") String namespace, @QueryParam("pageToken") String pageToken,
                              @QueryParam("limit") String limit, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            if (namespace != null) {
                caller.require(Role.VIEWER, namespace);
            }
            List<Workflow> all = caller.readable(scheduler.listWorkflows().stream()
                    .filter(w -> namespace == null || namespace.equals(w.namespace())).toList(), Workflow::namespace);
            if ((limit == null || limit.isEmpty()) && (pageToken == null || pageToken.isEmpty())) {
                return new Workflows(all, null); // as before paging: every workflow, for clients that know no pages
            }
            String filters = PageToken.filters(namespace);
            // NUL sorts before every identifier character: the key order is (namespace, name)
            Rest.Slice<Workflow> page = Rest.slice(all, w -> w.namespace() + "\u0000" + w.name(),
                    Rest.after("workflows", filters, pageToken, null, "afterName"), (int) Rest.longParam(limit, "limit", 100, 1, 1000));
            return new Workflows(page.items(), PageToken.encode("workflows", filters, page.next()));
        }

        @GET
        @Path("{name}")
        public Workflow get(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
            Callers.of(sc).require(Role.VIEWER, namespace(namespace));
            return scheduler.workflow(namespace(namespace), name);
        }

        @GET
        @Path("{name}/snapshot")
        public WorkflowSnapshot snapshot(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                                         @Context SecurityContext sc) {
            Callers.of(sc).require(Role.VIEWER, namespace(namespace));
            return scheduler.snapshot(scheduler.workflow(namespace(namespace), name).snapshotId());
        }

        /**
         * The workflow's snapshot history, newest first, without definitions: {@code limit} (1–1000,
         * default 100) of them older than {@code beforeId}; read one with {@code /snapshots/{id}}.
         */
        @GET
        @Path("{name}/snapshots")
        public Snapshots snapshots(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                                   @QueryParam("limit") String limit, @QueryParam("beforeId") String beforeId,
                                   @QueryParam("pageToken") String pageToken, @Context SecurityContext sc) {
            Callers.of(sc).require(Role.VIEWER, namespace(namespace));
            int max = (int) Rest.longParam(limit, "limit", 100, 1, SchedulerService.MAX_SNAPSHOT_PAGE);
            String filters = PageToken.filters(namespace(namespace), name);
            String before = Rest.after("snapshots", filters, pageToken, beforeId, "beforeId");
            List<SnapshotInfo> page = scheduler.snapshots(namespace(namespace), name, Rest.optionalLong(before, "beforeId"), max);
            Long next = page.size() < max ? null : page.get(page.size() - 1).id();
            return new Snapshots(page, PageToken.encode("snapshots", filters, next == null ? null : next.toString()), next);
        }

        /**
         * Uploads a workflow file (the JSON document {@code workflow-upload} reads): a new workflow or a
         * new snapshot of one. {@code source} names the document in error messages.
         */
        @POST
        @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON, "application/yaml", "application/x-yaml", "text/yaml"})
        public Response upload(InputStream body, @QueryParam("source") String source,
                               @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            if (!caller.mayAnywhere(Role.AUTHOR)) {
                // refused before the document is read: no parse details for callers who may not upload at all
                throw new org.aiflow.api.error.ForbiddenException(caller.principal() + " needs the role author for this");
            }
            String document;
            try {
                document = WorkflowDocuments.check(contentType, body.readAllBytes());
            } catch (IOException e) {
                throw JsonProvider.translate(e); // 413 past the body limit
            }
            String name = source == null || source.isEmpty() ? "request body" : source;
            // the role that decides which commands run, checked in the namespace the scheduler itself reads
            // from the document (not a second parser that could read another one), before anything is stored
            caller.require(Role.AUTHOR, scheduler.readWorkflow(name, document).namespace());
            Workflow w = scheduler.upload(name, document);
            audit.record(caller, "workflow.upload", w.namespace(), w.name(), "snapshot " + w.snapshotId());
            return Response.created(URI.create("workflows/" + w.name() + "?namespace=" + w.namespace())).entity(w).build();
        }

        @DELETE
        @Path("{name}")
        public Response delete(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            caller.require(Role.AUTHOR, namespace(namespace));
            scheduler.deleteWorkflow(namespace(namespace), name);
            audit.record(caller, "workflow.delete", namespace(namespace), name, "");
            return Response.noContent().build();
        }

        @GET
        @Path("{name}/schedules")
        public Schedules schedules(@PathParam("name") String name, @QueryParam("namespace") String namespace,
                                   @Context SecurityContext sc) {
            Callers.of(sc).require(Role.VIEWER, namespace(namespace));
            return new Schedules(scheduler.schedules(namespace(namespace), name));
        }

        @POST
        @Path("{name}/schedules/{schedule}/pause")
        public ScheduleInfo pause(@PathParam("name") String name, @PathParam("schedule") String schedule,
                                  @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
            return pauseSchedule(name, schedule, namespace, true, Callers.of(sc));
        }

        @POST
        @Path("{name}/schedules/{schedule}/resume")
        public ScheduleInfo resume(@PathParam("name") String name, @PathParam("schedule") String schedule,
                                   @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
            return pauseSchedule(name, schedule, namespace, false, Callers.of(sc));
        }

        private ScheduleInfo pauseSchedule(String name, String schedule, String namespace, boolean paused, Caller caller) {
            caller.require(Role.OPERATOR, namespace(namespace));
            ScheduleInfo info = scheduler.pauseSchedule(namespace(namespace), name, schedule, paused);
            audit.record(caller, paused ? "schedule.pause" : "schedule.resume", namespace(namespace), name + "/" + schedule, "");
            return info;
        }

        @POST
        @Path("{name}/enable")
        public Workflow enable(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
            return setEnabled(name, namespace, true, Callers.of(sc));
        }

        @POST
        @Path("{name}/disable")
        public Workflow disable(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
            return setEnabled(name, namespace, false, Callers.of(sc));
        }

        private Workflow setEnabled(String name, String namespace, boolean enabled, Caller caller) {
            caller.require(Role.AUTHOR, namespace(namespace));
            Workflow w = scheduler.setEnabled(namespace(namespace), name, enabled);
            audit.record(caller, enabled ? "workflow.enable" : "workflow.disable", w.namespace(), w.name(), "");
            return w;
        }

        /** Starts an execution of the workflow's current snapshot. */
        @POST
        @Path("{name}/executions")
        public Response start(@PathParam("name") String name, @QueryParam("namespace") String namespace, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            caller.require(Role.OPERATOR, namespace(namespace));
            WorkflowExecution x = scheduler.startExecution(namespace(namespace), name);
            audit.record(caller, "execution.start", x.namespace(), Long.toString(x.id()), x.workflowName());
            return Response.created(URI.create("executions/" + x.id())).entity(x).build();
        }
    }

    @Component(service = ExecutionList.class)
    @Path("executions")
    @Produces(MediaType.APPLICATION_JSON)
    public static class ExecutionList {
        private final SchedulerService scheduler;
        private final AuditLog audit;

        @Activate
        public ExecutionList(@Reference SchedulerService scheduler, @Reference AuditLog audit) {
            this.scheduler = scheduler;
            this.audit = audit;
        }

        @GET
        public Executions list(@QueryParam("namespace") String namespace, @QueryParam("workflow") String workflow,
                               @QueryParam("beforeId") String beforeId, @QueryParam("pageToken") String pageToken,
                               @QueryParam("limit") String limit, @Context SecurityContext sc) {
            Callers.of(sc).require(Role.VIEWER, namespace(namespace));
            int max = (int) Rest.longParam(limit, "limit", 100, 1, 10_000);
            String filters = PageToken.filters(namespace(namespace), workflow);
            Long before = Rest.optionalLong(Rest.after("executions", filters, pageToken, beforeId, "beforeId"), "beforeId");
            List<WorkflowExecution> page = scheduler.listExecutions(namespace(namespace), workflow, before, max);
            Long next = page.size() < max ? null : page.get(page.size() - 1).id();
            return new Executions(page, PageToken.encode("executions", filters, next == null ? null : next.toString()), next);
        }

        @GET
        @Path("{id}")
        public WorkflowExecution get(@PathParam("id") String id, @Context SecurityContext sc) {
            return execution(id, Role.VIEWER, Callers.of(sc));
        }

        @GET
        @Path("{id}/snapshot")
        public WorkflowSnapshot snapshot(@PathParam("id") String id, @Context SecurityContext sc) {
            return scheduler.snapshot(execution(id, Role.VIEWER, Callers.of(sc)).snapshotId());
        }

        /** The execution, if the caller holds {@code role} in its namespace (403 otherwise). */
        private WorkflowExecution execution(String id, Role role, Caller caller) {
            WorkflowExecution x = scheduler.execution(id(id));
            caller.require(role, x.namespace());
            return x;
        }

        /** Stops the execution and its running tasks; stopping an ended one changes nothing. */
        @POST
        @Path("{id}/stop")
        public WorkflowExecution stop(@PathParam("id") String id, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            WorkflowExecution x = execution(id, Role.OPERATOR, caller);
            WorkflowExecution stopped = scheduler.stopExecution(x.id());
            audit.record(caller, "execution.stop", x.namespace(), Long.toString(x.id()), x.workflowName());
            return stopped;
        }

        /** Starts a task by hand (a new attempt, as a START rule would); 409 if it is queued or running. */
        @POST
        @Path("{id}/tasks/{task}/start")
        public Response startTask(@PathParam("id") String id, @PathParam("task") String task, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            WorkflowExecution x = execution(id, Role.OPERATOR, caller);
            TaskExecution t = scheduler.startTask(x.id(), task);
            audit.record(caller, "task.start", x.namespace(), Long.toString(t.id()), x.workflowName() + "/" + task);
            return created(t);
        }

        /** Stops the task's running attempt, if any, and starts a new one, as a RESTART rule would. */
        @POST
        @Path("{id}/tasks/{task}/restart")
        public Response restartTask(@PathParam("id") String id, @PathParam("task") String task, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            WorkflowExecution x = execution(id, Role.OPERATOR, caller);
            TaskExecution t = scheduler.restartTask(x.id(), task);
            audit.record(caller, "task.restart", x.namespace(), Long.toString(t.id()), x.workflowName() + "/" + task);
            return created(t);
        }

        private static Response created(TaskExecution t) {
            return Response.created(URI.create("tasks/" + t.id())).entity(t).build();
        }
    }

    @Component(service = TaskList.class)
    @Path("tasks")
    @Produces(MediaType.APPLICATION_JSON)
    public static class TaskList {
        private final SchedulerService scheduler;
        private final AuditLog audit;

        @Activate
        public TaskList(@Reference SchedulerService scheduler, @Reference AuditLog audit) {
            this.scheduler = scheduler;
            this.audit = audit;
        }

        /** The task execution, if the caller holds {@code role} in its namespace (403 otherwise). */
        private TaskExecution task(String id, Role role, Caller caller) {
            TaskExecution t = scheduler.task(id(id));
            caller.require(role, t.namespace());
            return t;
        }

        @GET
        public Tasks list(@QueryParam("namespace") String namespace, @QueryParam("workflow") String workflow,
                          @QueryParam("executionId") String executionId,
                          @QueryParam("status") String status, @QueryParam("beforeId") String beforeId,
                          @QueryParam("pageToken") String pageToken, @QueryParam("limit") String limit, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            String ns = namespace == null || namespace.isEmpty() ? null : namespace;
            if (ns != null) {
                caller.require(Role.VIEWER, ns);
            }
            TaskStatus s = null;
            if (status != null && !status.isEmpty()) {
                try {
                    s = TaskStatus.valueOf(status);
                } catch (IllegalArgumentException e) {
                    throw new ValidationException("query parameter 'status' must be one of " + List.of(TaskStatus.values()));
                }
            }
            int max = (int) Rest.longParam(limit, "limit", 100, 1, 10_000);
            String filters = PageToken.filters(ns, workflow, executionId, s);
            Long before = Rest.optionalLong(Rest.after("tasks", filters, pageToken, beforeId, "beforeId"), "beforeId");
            List<TaskExecution> page = scheduler.listTasks(new TaskQuery(ns, workflow, Rest.optionalLong(executionId, "executionId"), s, before, max));
            // the position comes from the store's page, before the rows the caller may not read are left out
            Long next = page.size() < max ? null : page.get(page.size() - 1).id();
            return new Tasks(caller.readable(page, TaskExecution::namespace),
                    PageToken.encode("tasks", filters, next == null ? null : next.toString()), next);
        }

        @GET
        @Path("{id}")
        public TaskExecution get(@PathParam("id") String id, @Context SecurityContext sc) {
            return task(id, Role.VIEWER, Callers.of(sc));
        }

        @GET
        @Path("{id}/history")
        public History history(@PathParam("id") String id, @Context SecurityContext sc) {
            return new History(scheduler.taskHistory(task(id, Role.VIEWER, Callers.of(sc)).id()));
        }

        /** Stops the task execution (stream tasks: with a savepoint); stopping an ended one changes nothing. */
        @POST
        @Path("{id}/stop")
        public TaskExecution stop(@PathParam("id") String id, @Context SecurityContext sc) {
            Caller caller = Callers.of(sc);
            TaskExecution t = task(id, Role.OPERATOR, caller);
            TaskExecution stopped = scheduler.stopTask(t.id());
            audit.record(caller, "task.stop", t.namespace(), Long.toString(t.id()), t.workflowName() + "/" + t.taskName());
            return stopped;
        }

        @GET
        @Path("{id}/logs")
        public LogFiles logs(@PathParam("id") String id, @Context SecurityContext sc) {
            long taskExecutionId = task(id, Role.VIEWER, Callers.of(sc)).id();
            return new LogFiles(taskExecutionId, scheduler.taskLogFiles(taskExecutionId));
        }

        /**
         * A slice of a log file: from {@code offset} (negative: from the end; default 0) at most
         * {@code maxBytes} (default 64 KiB, at most 1 MiB). Follow a growing file by reading on from
         * the answer's {@code nextOffset}.
         */
        @GET
        @Path("{id}/logs/{file}")
        public TaskLog log(@PathParam("id") String id, @PathParam("file") String file, @QueryParam("offset") String offset,
                           @QueryParam("maxBytes") String maxBytes, @Context SecurityContext sc) {
            task(id, Role.VIEWER, Callers.of(sc));
            // a log file is one name in the task's folder: "..", separators and control characters never reach the file system
            Names.name("log file name", file);
            return scheduler.taskLog(id(id), file, Rest.longParam(offset, "offset", 0, Long.MIN_VALUE, Long.MAX_VALUE),
                    (int) Rest.longParam(maxBytes, "maxBytes", LOG_SLICE, 1, MAX_LOG_SLICE));
        }
    }

    @Component(service = SnapshotList.class)
    @Path("snapshots")
    @Produces(MediaType.APPLICATION_JSON)
    public static class SnapshotList {
        private final SchedulerService scheduler;

        @Activate
        public SnapshotList(@Reference SchedulerService scheduler) {
            this.scheduler = scheduler;
        }

        @GET
        @Path("{id}")
        public WorkflowSnapshot get(@PathParam("id") String id, @Context SecurityContext sc) {
            WorkflowSnapshot snapshot = scheduler.snapshot(id(id));
            Callers.of(sc).require(Role.VIEWER, snapshot.definition().namespace());
            return snapshot;
        }
    }

    /** {@code /plugins}: what the scheduler can use right now; policies in the order they are consulted. */
    @Component(service = PluginList.class)
    @Path("plugins")
    @Produces(MediaType.APPLICATION_JSON)
    public static class PluginList {
        private final SchedulerService scheduler;

        @Activate
        public PluginList(@Reference SchedulerService scheduler) {
            this.scheduler = scheduler;
        }

        @GET
        public Plugins list(@Context SecurityContext sc) {
            Access.requireSomeViewer(Callers.of(sc));
            return new Plugins(scheduler.runnerTypes(), scheduler.conditionTypes(), scheduler.policies());
        }
    }

    private static long id(String raw) {
        return Rest.pathNumber(raw, "id", 0, Long.MAX_VALUE);
    }

    private static String namespace(String namespace) {
        return Rest.namespace(namespace);
    }
}

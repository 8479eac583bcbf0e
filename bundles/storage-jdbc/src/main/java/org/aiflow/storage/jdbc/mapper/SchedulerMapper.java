package org.aiflow.storage.jdbc.mapper;

import java.util.Collection;
import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.ExecutionRow;
import org.aiflow.storage.jdbc.mapper.Rows.ScheduleStateRow;
import org.aiflow.storage.jdbc.mapper.Rows.RuleStateRow;
import org.aiflow.storage.jdbc.mapper.Rows.SnapshotRow;
import org.aiflow.storage.jdbc.mapper.Rows.StatusChangeRow;
import org.aiflow.storage.jdbc.mapper.Rows.TaskRow;
import org.aiflow.storage.jdbc.mapper.Rows.WorkflowRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Workflow, execution and task SQL. Parameters only through #{}; never string-built. */
public interface SchedulerMapper {

    String WORKFLOW = "id, namespace, name, enabled, snapshot_id, create_time, update_time";
    String EXECUTION = "id, workflow_id, namespace, workflow_name, snapshot_id, status, start_time, end_time";
    String TASK = "id, workflow_execution_id, namespace, workflow_name, task_name, attempt, runner_type, status, handle_json, "
            + "message, create_time, update_time";

    @Insert("INSERT INTO aiflow_workflows (namespace, name, enabled, snapshot_id, create_time, update_time) "
            + "VALUES (#{namespace}, #{name}, #{enabled}, #{snapshotId}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertWorkflow(WorkflowRow row);

    @Select("SELECT " + WORKFLOW + " FROM aiflow_workflows WHERE namespace = #{namespace} AND name = #{name}")
    WorkflowRow findWorkflow(@Param("namespace") String namespace, @Param("name") String name);

    @Select("SELECT " + WORKFLOW + " FROM aiflow_workflows WHERE id = #{id}")
    WorkflowRow findWorkflowById(@Param("id") long id);

    @Select("SELECT " + WORKFLOW + " FROM aiflow_workflows ORDER BY namespace, name")
    List<WorkflowRow> listWorkflows();

    @Update("UPDATE aiflow_workflows SET snapshot_id = #{snapshotId}, update_time = #{time} WHERE id = #{id}")
    int setCurrentSnapshot(@Param("id") long id, @Param("snapshotId") long snapshotId, @Param("time") long time);

    @org.apache.ibatis.annotations.Delete("DELETE FROM aiflow_workflows WHERE id = #{id}")
    int deleteWorkflow(@Param("id") long id);

    @Update("UPDATE aiflow_workflows SET enabled = #{enabled}, update_time = #{time} WHERE id = #{id}")
    int setEnabled(@Param("id") long id, @Param("enabled") boolean enabled, @Param("time") long time);

    @Insert("INSERT INTO aiflow_workflow_snapshots (workflow_id, definition_json, create_time) "
            + "VALUES (#{workflowId}, #{definitionJson}, #{createTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertSnapshot(SnapshotRow row);

    @Select("SELECT id, workflow_id, definition_json, create_time FROM aiflow_workflow_snapshots WHERE id = #{id}")
    SnapshotRow findSnapshot(@Param("id") long id);

    /** A workflow's snapshots newest first, without definitions (index aiflow_snapshots_by_workflow). */
    @Select("<script>SELECT id, workflow_id, create_time FROM aiflow_workflow_snapshots WHERE workflow_id = #{workflowId}"
            + "<if test='beforeId != null'> AND id &lt; #{beforeId}</if>"
            + " ORDER BY id DESC LIMIT #{limit}</script>")
    List<SnapshotRow> listSnapshots(@Param("workflowId") long workflowId, @Param("beforeId") Long beforeId,
                                    @Param("limit") int limit);

    @Insert("INSERT INTO aiflow_workflow_executions (workflow_id, namespace, workflow_name, snapshot_id, status, start_time) "
            + "VALUES (#{workflowId}, #{namespace}, #{workflowName}, #{snapshotId}, #{status}, #{startTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertExecution(ExecutionRow row);

    @Select("SELECT " + EXECUTION + " FROM aiflow_workflow_executions WHERE id = #{id}")
    ExecutionRow findExecution(@Param("id") long id);

    @Select("<script>SELECT " + EXECUTION + " FROM aiflow_workflow_executions <where>"
            + "<if test='status != null'>status = #{status}</if>"
            + "<if test='workflowId != null'> AND workflow_id = #{workflowId}</if>"
            + "<if test='beforeId != null'> AND id &lt; #{beforeId}</if></where>"
            + " ORDER BY id DESC LIMIT #{limit}</script>")
    List<ExecutionRow> listExecutions(@Param("status") String status, @Param("workflowId") Long workflowId,
                                      @Param("beforeId") Long beforeId, @Param("limit") int limit);

    @Update("UPDATE aiflow_workflow_executions SET status = #{status}, end_time = #{time} "
            + "WHERE id = #{id} AND status = 'RUNNING'")
    int finishExecution(@Param("id") long id, @Param("status") String status, @Param("time") long time);

    @Select("SELECT last_version FROM aiflow_cursors WHERE consumer = #{consumer}")
    Long cursor(@Param("consumer") String consumer);

    @Insert(value = "INSERT INTO aiflow_cursors (consumer, last_version) VALUES (#{consumer}, #{version}) "
            + "ON CONFLICT (consumer) DO UPDATE SET last_version = EXCLUDED.last_version", databaseId = "postgresql")
    @Insert("INSERT INTO aiflow_cursors (consumer, last_version) VALUES (#{consumer}, #{version}) "
            + "ON DUPLICATE KEY UPDATE last_version = #{version}")
    int saveCursor(@Param("consumer") String consumer, @Param("version") long version);

    @Select("SELECT COALESCE(MAX(attempt), 0) FROM aiflow_task_executions "
            + "WHERE workflow_execution_id = #{executionId} AND task_name = #{taskName}")
    int lastAttempt(@Param("executionId") long executionId, @Param("taskName") String taskName);

    @Insert("INSERT INTO aiflow_task_executions (workflow_execution_id, namespace, workflow_name, task_name, attempt, runner_type, "
            + "status, handle_json, message, create_time, update_time) VALUES (#{workflowExecutionId}, #{namespace}, #{workflowName}, "
            + "#{taskName}, #{attempt}, #{runnerType}, #{status}, #{handleJson}, #{message}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertTask(TaskRow row);

    @Select("SELECT " + TASK + " FROM aiflow_task_executions WHERE id = #{id}")
    TaskRow findTask(@Param("id") long id);

    /** The rows of the ids, in no particular order (those that exist). */
    @Select("<script>SELECT " + TASK + " FROM aiflow_task_executions WHERE id IN "
            + "<foreach collection='ids' item='i' open='(' separator=',' close=')'>#{i}</foreach></script>")
    List<TaskRow> findTasks(@Param("ids") Collection<Long> ids);

    @Select("<script>SELECT " + TASK + " FROM aiflow_task_executions <where>"
            + "<if test='namespace != null'>namespace = #{namespace}</if>"
            + "<if test='workflowName != null'> AND workflow_name = #{workflowName}</if>"
            + "<if test='executionId != null'> AND workflow_execution_id = #{executionId}</if>"
            + "<if test='status != null'> AND status = #{status}</if>"
            + "<if test='beforeId != null'> AND id &lt; #{beforeId}</if></where>"
            + " ORDER BY id DESC LIMIT #{limit}</script>")
    List<TaskRow> listTasks(@Param("namespace") String namespace, @Param("workflowName") String workflowName, @Param("executionId") Long executionId,
                            @Param("status") String status, @Param("beforeId") Long beforeId, @Param("limit") int limit);

    @Select("<script>SELECT " + TASK + " FROM aiflow_task_executions WHERE status IN "
            + "<foreach collection='statuses' item='s' open='(' separator=',' close=')'>#{s}</foreach> ORDER BY id</script>")
    List<TaskRow> tasksInStatus(@Param("statuses") Collection<String> statuses);

    @Update("<script>UPDATE aiflow_task_executions SET status = #{to}, message = #{message}, update_time = #{time}"
            + "<if test='handleJson != null'>, handle_json = #{handleJson}</if>"
            + " WHERE id = #{id} AND status = #{expected}</script>")
    int transitionTask(@Param("id") long id, @Param("expected") String expected, @Param("to") String to,
                       @Param("message") String message, @Param("handleJson") String handleJson,
                       @Param("time") long time);

    @Insert("INSERT INTO aiflow_task_status_changes (task_execution_id, from_status, to_status, message, change_time) "
            + "VALUES (#{taskExecutionId}, #{fromStatus}, #{toStatus}, #{message}, #{changeTime})")
    int insertStatusChange(StatusChangeRow row);

    @Select("SELECT task_execution_id, from_status, to_status, message, change_time FROM aiflow_task_status_changes "
            + "WHERE task_execution_id = #{taskId} ORDER BY id")
    List<StatusChangeRow> history(@Param("taskId") long taskId);

    @Insert(value = "INSERT INTO aiflow_rule_states (workflow_execution_id, task_name, rule_index, state_json) "
            + "VALUES (#{executionId}, #{taskName}, #{ruleIndex}, #{stateJson}) "
            + "ON CONFLICT (workflow_execution_id, task_name, rule_index) DO UPDATE SET state_json = EXCLUDED.state_json",
            databaseId = "postgresql")
    @Insert("INSERT INTO aiflow_rule_states (workflow_execution_id, task_name, rule_index, state_json) "
            + "VALUES (#{executionId}, #{taskName}, #{ruleIndex}, #{stateJson}) ON DUPLICATE KEY UPDATE state_json = #{stateJson}")
    int saveRuleState(@Param("executionId") long executionId, @Param("taskName") String taskName,
                      @Param("ruleIndex") int ruleIndex, @Param("stateJson") String stateJson);

    @Select("SELECT workflow_execution_id, task_name, rule_index, state_json FROM aiflow_rule_states "
            + "WHERE workflow_execution_id = #{executionId} ORDER BY task_name, rule_index")
    List<RuleStateRow> ruleStates(@Param("executionId") long executionId);

    @Select("SELECT workflow_id, schedule_name, next_fire_time, paused FROM aiflow_schedule_states "
            + "WHERE workflow_id = #{workflowId} AND schedule_name = #{name}")
    ScheduleStateRow scheduleState(@Param("workflowId") long workflowId, @Param("name") String name);

    @Insert(value = "INSERT INTO aiflow_schedule_states (workflow_id, schedule_name, next_fire_time, paused) VALUES (#{workflowId}, "
            + "#{scheduleName}, #{nextFireTime,jdbcType=BIGINT}, #{paused}) ON CONFLICT (workflow_id, schedule_name) DO UPDATE SET "
            + "next_fire_time = EXCLUDED.next_fire_time, paused = EXCLUDED.paused", databaseId = "postgresql")
    @Insert("INSERT INTO aiflow_schedule_states (workflow_id, schedule_name, next_fire_time, paused) VALUES (#{workflowId}, "
            + "#{scheduleName}, #{nextFireTime,jdbcType=BIGINT}, #{paused}) ON DUPLICATE KEY UPDATE "
            + "next_fire_time = #{nextFireTime,jdbcType=BIGINT}, paused = #{paused}")
    int saveScheduleState(ScheduleStateRow row);
}

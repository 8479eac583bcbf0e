package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.LineageRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** Lineage SQL. Parameters only through #{}; never string-built. */
public interface LineageMapper {

    String EDGE = "id, namespace, task_execution_id, direction, entity_kind, entity_name, entity_version, create_time";

    @Insert("INSERT INTO aiflow_lineage (namespace, task_execution_id, direction, entity_kind, entity_name, entity_version, "
            + "create_time) VALUES (#{namespace}, #{taskExecutionId}, #{direction}, #{entityKind}, #{entityName}, "
            + "#{entityVersion}, #{createTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(LineageRow row);

    @Select("SELECT " + EDGE + " FROM aiflow_lineage WHERE task_execution_id = #{r.taskExecutionId} AND direction = #{r.direction} "
            + "AND entity_kind = #{r.entityKind} AND namespace = #{r.namespace} AND entity_name = #{r.entityName} "
            + "AND entity_version = #{r.entityVersion}")
    LineageRow find(@Param("r") LineageRow edge);

    @Select("SELECT " + EDGE + " FROM aiflow_lineage WHERE task_execution_id = #{taskExecutionId} ORDER BY id")
    List<LineageRow> ofTask(@Param("taskExecutionId") long taskExecutionId);

    @Select("SELECT " + EDGE + " FROM aiflow_lineage WHERE namespace = #{namespace} AND entity_kind = #{kind} "
            + "AND entity_name = #{name} AND entity_version = #{version} ORDER BY id")
    List<LineageRow> ofEntity(@Param("namespace") String namespace, @Param("kind") String kind, @Param("name") String name,
                              @Param("version") int version);

    @Select("SELECT COUNT(*) FROM aiflow_task_executions WHERE id = #{id}")
    int taskExists(@Param("id") long taskExecutionId);
}

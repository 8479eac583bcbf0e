package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.MetricRow;
import org.aiflow.storage.jdbc.mapper.Rows.MetricValueRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** Metric SQL. Parameters only through #{}; never string-built. */
public interface MetricMapper {

    String METRIC = "id, namespace, name, kind, dataset_name, model_name, description, properties_json, revision, create_time, update_time";
    String VALUE = "id, metric_id, metric_key, metric_value, measure_time, step, model_version, task_execution_id";

    @Insert("INSERT INTO aiflow_metrics (namespace, name, kind, dataset_name, model_name, description, properties_json, revision, "
            + "create_time, update_time) VALUES (#{namespace}, #{name}, #{kind}, #{datasetName}, #{modelName}, #{description}, "
            + "#{propertiesJson}, #{revision}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(MetricRow row);

    @Select("SELECT " + METRIC + " FROM aiflow_metrics WHERE namespace = #{namespace} AND name = #{name}")
    MetricRow find(@Param("namespace") String namespace, @Param("name") String name);

    @Select("<script>SELECT " + METRIC + " FROM aiflow_metrics WHERE namespace = #{namespace}"
            + "<if test='namePattern != null'> AND name LIKE #{namePattern} ESCAPE '!'</if>"
            + "<if test='kind != null'> AND kind = #{kind}</if>"
            + "<if test='afterName != null'> AND name &gt; #{afterName}</if> ORDER BY name LIMIT #{limit}</script>")
    List<MetricRow> list(@Param("namespace") String namespace, @Param("namePattern") String namePattern,
                         @Param("kind") String kind, @Param("afterName") String afterName, @Param("limit") int limit);

    @Insert("INSERT INTO aiflow_metric_values (metric_id, metric_key, metric_value, measure_time, step, model_version, "
            + "task_execution_id) VALUES (#{metricId}, #{metricKey}, #{metricValue}, #{measureTime}, #{step,jdbcType=BIGINT}, "
            + "#{modelVersion,jdbcType=INTEGER}, #{taskExecutionId,jdbcType=BIGINT})")
    int insertValue(MetricValueRow row);

    @Select("<script>SELECT " + VALUE + " FROM aiflow_metric_values WHERE metric_id = #{metricId} AND id &gt; #{afterId}"
            + "<if test='key != null'> AND metric_key = #{key}</if>"
            + "<if test='modelVersion != null'> AND model_version = #{modelVersion}</if>"
            + "<if test='taskExecutionId != null'> AND task_execution_id = #{taskExecutionId}</if>"
            + "<if test='from != null'> AND measure_time &gt;= #{from}</if>"
            + "<if test='until != null'> AND measure_time &lt; #{until}</if> ORDER BY id LIMIT #{limit}</script>")
    List<MetricValueRow> listValues(@Param("metricId") long metricId, @Param("key") String key,
                                    @Param("modelVersion") Integer modelVersion, @Param("taskExecutionId") Long taskExecutionId,
                                    @Param("from") Long from, @Param("until") Long until, @Param("afterId") long afterId,
                                    @Param("limit") int limit);
}

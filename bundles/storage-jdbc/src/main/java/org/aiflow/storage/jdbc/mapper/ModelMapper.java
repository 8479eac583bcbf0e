package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.ModelRow;
import org.aiflow.storage.jdbc.mapper.Rows.ModelVersionRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Result;
import org.apache.ibatis.annotations.ResultMap;
import org.apache.ibatis.annotations.Results;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Model registry SQL. Parameters only through #{}; never string-built. */
public interface ModelMapper {

    String MODEL = "id, namespace, name, description, properties_json, revision, create_time, update_time";
    String VERSION = "id, model_id, namespace, model_name, version, uri, model_type, description, stage, properties_json, "
            + "revision, create_time, update_time";

    @Insert("INSERT INTO aiflow_models (namespace, name, description, properties_json, revision, create_time, update_time) "
            + "VALUES (#{namespace}, #{name}, #{description}, #{propertiesJson}, #{revision}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertModel(ModelRow row);

    /*
     * Model rows are mapped column by column: MyBatis' automatic mapping works out the mapping again for
     * every result set, a tenth of the platform's CPU per GET /models/{name}.
     */
    @Select("SELECT " + MODEL + " FROM aiflow_models WHERE namespace = #{namespace} AND name = #{name}")
    @Results(id = "modelRow", value = {
        @Result(column = "id", property = "id", id = true),
        @Result(column = "namespace", property = "namespace"),
        @Result(column = "name", property = "name"),
        @Result(column = "description", property = "description"),
        @Result(column = "properties_json", property = "propertiesJson"),
        @Result(column = "revision", property = "revision"),
        @Result(column = "create_time", property = "createTime"),
        @Result(column = "update_time", property = "updateTime")})
    ModelRow findModel(@Param("namespace") String namespace, @Param("name") String name);

    /** Locks the model's row until commit: serializes version numbering and stage changes per model. */
    @Select("SELECT " + MODEL + " FROM aiflow_models WHERE namespace = #{namespace} AND name = #{name} FOR UPDATE")
    @ResultMap("modelRow")
    ModelRow lockModel(@Param("namespace") String namespace, @Param("name") String name);

    @Select("<script>SELECT " + MODEL + " FROM aiflow_models WHERE namespace = #{namespace}"
            + "<if test='namePattern != null'> AND name LIKE #{namePattern} ESCAPE '!'</if>"
            + "<if test='afterName != null'> AND name &gt; #{afterName}</if> ORDER BY name LIMIT #{limit}</script>")
    @ResultMap("modelRow")
    List<ModelRow> listModels(@Param("namespace") String namespace, @Param("namePattern") String namePattern,
                              @Param("afterName") String afterName, @Param("limit") int limit);

    @Update("UPDATE aiflow_models SET description = #{description}, properties_json = #{propertiesJson}, "
            + "revision = revision + 1, update_time = #{time} WHERE id = #{id} AND revision = #{expectedRevision}")
    int updateModel(@Param("id") long id, @Param("expectedRevision") long expectedRevision, @Param("description") String description,
                    @Param("propertiesJson") String propertiesJson, @Param("time") long time);

    @Select("SELECT COALESCE(MAX(version), 0) FROM aiflow_model_versions WHERE model_id = #{modelId}")
    int lastVersion(@Param("modelId") long modelId);

    @Insert("INSERT INTO aiflow_model_versions (model_id, namespace, model_name, version, uri, model_type, description, stage, "
            + "properties_json, revision, create_time, update_time) VALUES (#{modelId}, #{namespace}, #{modelName}, #{version}, "
            + "#{uri}, #{modelType}, #{description}, #{stage}, #{propertiesJson}, #{revision}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertVersion(ModelVersionRow row);

    @Select("SELECT " + VERSION + " FROM aiflow_model_versions WHERE namespace = #{namespace} AND model_name = #{modelName} "
            + "AND version = #{version}")
    ModelVersionRow findVersion(@Param("namespace") String namespace, @Param("modelName") String modelName,
                                @Param("version") int version);

    @Select("SELECT " + VERSION + " FROM aiflow_model_versions WHERE id = #{id}")
    ModelVersionRow findVersionById(@Param("id") long id);

    @Select("<script>SELECT " + VERSION + " FROM aiflow_model_versions WHERE namespace = #{namespace} "
            + "AND model_name = #{modelName} AND version &gt; #{afterVersion}"
            + "<if test='stage != null'> AND stage = #{stage}</if> ORDER BY version LIMIT #{limit}</script>")
    List<ModelVersionRow> listVersions(@Param("namespace") String namespace, @Param("modelName") String modelName,
                                       @Param("stage") String stage, @Param("afterVersion") int afterVersion,
                                       @Param("limit") int limit);

    @Select("SELECT " + VERSION + " FROM aiflow_model_versions WHERE namespace = #{namespace} AND model_name = #{modelName} "
            + "AND stage = #{stage} ORDER BY version DESC LIMIT 1")
    ModelVersionRow latestVersion(@Param("namespace") String namespace, @Param("modelName") String modelName,
                                  @Param("stage") String stage);

    @Update("UPDATE aiflow_model_versions SET stage = #{stage}, revision = revision + 1, update_time = #{time}, "
            + "deployed_model_id = CASE WHEN #{stage} = 'DEPLOYED' THEN model_id ELSE NULL END "
            + "WHERE id = #{id} AND revision = #{expectedRevision} AND stage = #{expectedStage}")
    int changeStage(@Param("id") long id, @Param("expectedRevision") long expectedRevision,
                    @Param("expectedStage") String expectedStage, @Param("stage") String stage, @Param("time") long time);
}

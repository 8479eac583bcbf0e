package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.ArtifactRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Artifact SQL. Parameters only through #{}; never string-built. */
public interface ArtifactMapper {

    String ARTIFACT = "id, namespace, name, artifact_type, uri, description, properties_json, deleted, revision, create_time, update_time";

    @Insert("INSERT INTO aiflow_artifacts (namespace, name, artifact_type, uri, description, properties_json, deleted, revision, "
            + "create_time, update_time) VALUES (#{namespace}, #{name}, #{artifactType}, #{uri}, #{description}, #{propertiesJson}, "
            + "#{deleted}, #{revision}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(ArtifactRow row);

    @Select("SELECT " + ARTIFACT + " FROM aiflow_artifacts WHERE namespace = #{namespace} AND name = #{name}")
    ArtifactRow find(@Param("namespace") String namespace, @Param("name") String name);

    @Select("<script>SELECT " + ARTIFACT + " FROM aiflow_artifacts WHERE namespace = #{namespace}"
            + "<if test='namePattern != null'> AND name LIKE #{namePattern} ESCAPE '!'</if>"
            + "<if test='type != null'> AND artifact_type = #{type}</if>"
            + "<if test='afterName != null'> AND name &gt; #{afterName}</if>"
            + "<if test='!includeDeleted'> AND deleted = FALSE</if> ORDER BY name LIMIT #{limit}</script>")
    List<ArtifactRow> list(@Param("namespace") String namespace, @Param("namePattern") String namePattern,
                           @Param("type") String type, @Param("afterName") String afterName,
                           @Param("includeDeleted") boolean includeDeleted, @Param("limit") int limit);

    @Update("UPDATE aiflow_artifacts SET artifact_type = #{r.artifactType}, uri = #{r.uri}, description = #{r.description}, "
            + "properties_json = #{r.propertiesJson}, deleted = #{r.deleted}, revision = revision + 1, update_time = #{r.updateTime} "
            + "WHERE id = #{r.id} AND revision = #{expectedRevision}")
    int update(@Param("r") ArtifactRow row, @Param("expectedRevision") long expectedRevision);
}

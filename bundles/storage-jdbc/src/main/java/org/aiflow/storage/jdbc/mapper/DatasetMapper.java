package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.DatasetRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Dataset SQL. Parameters only through #{}; never string-built. */
public interface DatasetMapper {

    String DATASET = "id, namespace, name, uri, format, schema_json, description, catalog_json, properties_json, deleted, "
            + "revision, create_time, update_time";

    @Insert("INSERT INTO aiflow_datasets (namespace, name, uri, format, schema_json, description, catalog_json, properties_json, "
            + "deleted, revision, create_time, update_time) VALUES (#{namespace}, #{name}, #{uri}, #{format}, #{schemaJson}, "
            + "#{description}, #{catalogJson}, #{propertiesJson}, #{deleted}, #{revision}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(DatasetRow row);

    @Select("SELECT " + DATASET + " FROM aiflow_datasets WHERE namespace = #{namespace} AND name = #{name}")
    DatasetRow find(@Param("namespace") String namespace, @Param("name") String name);

    @Select("<script>SELECT " + DATASET + " FROM aiflow_datasets WHERE namespace = #{namespace}"
            + "<if test='namePattern != null'> AND name LIKE #{namePattern} ESCAPE '!'</if>"
            + "<if test='format != null'> AND format = #{format}</if>"
            + "<if test='afterName != null'> AND name &gt; #{afterName}</if>"
            + "<if test='!includeDeleted'> AND deleted = FALSE</if> ORDER BY name LIMIT #{limit}</script>")
    List<DatasetRow> list(@Param("namespace") String namespace, @Param("namePattern") String namePattern,
                          @Param("format") String format, @Param("afterName") String afterName,
                          @Param("includeDeleted") boolean includeDeleted, @Param("limit") int limit);

    @Update("UPDATE aiflow_datasets SET uri = #{r.uri}, format = #{r.format}, schema_json = #{r.schemaJson}, "
            + "description = #{r.description}, catalog_json = #{r.catalogJson}, properties_json = #{r.propertiesJson}, "
            + "deleted = #{r.deleted}, revision = revision + 1, update_time = #{r.updateTime} "
            + "WHERE id = #{r.id} AND revision = #{expectedRevision}")
    int update(@Param("r") DatasetRow row, @Param("expectedRevision") long expectedRevision);
}

package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.ProjectRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Project SQL. Parameters only through #{}; never string-built. */
public interface ProjectMapper {

    String PROJECT = "id, name, description, uri, properties_json, revision, create_time, update_time";

    @Insert("INSERT INTO aiflow_projects (name, description, uri, properties_json, revision, create_time, update_time) "
            + "VALUES (#{name}, #{description}, #{uri}, #{propertiesJson}, #{revision}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insert(ProjectRow row);

    @Select("SELECT " + PROJECT + " FROM aiflow_projects WHERE name = #{name}")
    ProjectRow find(@Param("name") String name);

    @Select("<script>SELECT " + PROJECT + " FROM aiflow_projects WHERE 1 = 1"
            + "<if test='namePattern != null'> AND name LIKE #{namePattern} ESCAPE '!'</if>"
            + "<if test='afterName != null'> AND name &gt; #{afterName}</if> ORDER BY name LIMIT #{limit}</script>")
    List<ProjectRow> list(@Param("namePattern") String namePattern, @Param("afterName") String afterName, @Param("limit") int limit);

    @Update("UPDATE aiflow_projects SET description = #{r.description}, uri = #{r.uri}, properties_json = #{r.propertiesJson}, "
            + "revision = revision + 1, update_time = #{r.updateTime} WHERE id = #{r.id} AND revision = #{expectedRevision}")
    int update(@Param("r") ProjectRow row, @Param("expectedRevision") long expectedRevision);
}

package org.aiflow.storage.jdbc.mapper;

import java.util.Collection;
import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.AuditFilter;
import org.aiflow.storage.jdbc.mapper.Rows.AuditRow;
import org.aiflow.storage.jdbc.mapper.Rows.GrantRow;
import org.aiflow.storage.jdbc.mapper.Rows.TokenRow;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Tokens, stored grants and the audit log. Parameters only through #{}; never string-built. */
public interface SecurityMapper {

    String TOKEN = "id, name, live_name, principal, grants_text, created_at, created_by, expires_at, revoked_at, revoked_by, "
            + "task_execution_id, prefix, hash";

    @Insert("INSERT INTO aiflow_tokens (name, live_name, principal, grants_text, created_at, created_by, expires_at, "
            + "task_execution_id, prefix, hash) VALUES (#{name}, #{liveName}, #{principal}, #{grantsText}, #{createdAt}, "
            + "#{createdBy}, #{expiresAt,jdbcType=BIGINT}, #{taskExecutionId,jdbcType=BIGINT}, #{prefix}, #{hash})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertToken(TokenRow row);

    @Select("SELECT " + TOKEN + " FROM aiflow_tokens WHERE id = #{id}")
    TokenRow token(@Param("id") long id);

    @Select("SELECT " + TOKEN + " FROM aiflow_tokens WHERE hash = #{hash}")
    TokenRow tokenByHash(@Param("hash") String hash);

    @Select("SELECT " + TOKEN + " FROM aiflow_tokens WHERE live_name = #{name}")
    TokenRow liveTokenNamed(@Param("name") String name);

    /** Newest first; {@code beforeId} 0: from the newest. */
    @Select("<script>SELECT " + TOKEN + " FROM aiflow_tokens<where>"
            + "<if test='!includeRevoked'>revoked_at IS NULL</if><if test='beforeId &gt; 0'> AND id &lt; #{beforeId}</if>"
            + "</where> ORDER BY id DESC LIMIT #{limit}</script>")
    List<TokenRow> tokens(@Param("includeRevoked") boolean includeRevoked, @Param("beforeId") long beforeId, @Param("limit") int limit);

    /** Revokes a token not yet revoked, freeing its name; 1 if it did. */
    @Update("UPDATE aiflow_tokens SET revoked_at = #{at}, revoked_by = #{by}, live_name = NULL "
            + "WHERE id = #{id} AND revoked_at IS NULL")
    int revokeToken(@Param("id") long id, @Param("at") long at, @Param("by") String by);

    @Update("UPDATE aiflow_tokens SET revoked_at = #{at}, revoked_by = #{by}, live_name = NULL "
            + "WHERE task_execution_id = #{taskExecutionId} AND revoked_at IS NULL")
    int revokeTaskTokens(@Param("taskExecutionId") long taskExecutionId, @Param("at") long at, @Param("by") String by);

    String GRANT = "principal, grant_text, created_at, created_by";

    @Select("SELECT " + GRANT + " FROM aiflow_grants ORDER BY principal, grant_text")
    List<GrantRow> grants();

    @Select("<script>SELECT " + GRANT + " FROM aiflow_grants WHERE principal IN "
            + "<foreach collection='principals' item='p' open='(' separator=',' close=')'>#{p}</foreach>"
            + " ORDER BY principal, grant_text</script>")
    List<GrantRow> grantsOf(@Param("principals") Collection<String> principals);

    @Select("SELECT COUNT(*) FROM aiflow_grants WHERE principal = #{principal} AND grant_text = #{grantText}")
    int countGrant(@Param("principal") String principal, @Param("grantText") String grantText);

    @Insert("INSERT INTO aiflow_grants (" + GRANT + ") VALUES (#{principal}, #{grantText}, #{createdAt}, #{createdBy})")
    int insertGrant(GrantRow row);

    @Delete("DELETE FROM aiflow_grants WHERE principal = #{principal} AND grant_text = #{grantText}")
    int deleteGrant(@Param("principal") String principal, @Param("grantText") String grantText);

    String AUDIT = "id, audit_time, principal, action, namespace, target, detail";

    @Insert("INSERT INTO aiflow_audit (audit_time, principal, action, namespace, target, detail) "
            + "VALUES (#{auditTime}, #{principal}, #{action}, #{namespace}, #{target}, #{detail})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertAudit(AuditRow row);

    @Select("<script>SELECT " + AUDIT + " FROM aiflow_audit <where>"
            + "<if test='f.principal != null'> AND principal = #{f.principal}</if>"
            + "<if test='f.namespace != null'> AND namespace = #{f.namespace}</if>"
            + "<if test='f.action != null'> AND action = #{f.action}</if>"
            + "<if test='f.fromMillis != null'> AND audit_time &gt;= #{f.fromMillis}</if>"
            + "<if test='f.toMillis != null'> AND audit_time &lt; #{f.toMillis}</if>"
            + "<if test='f.beforeId != null'> AND id &lt; #{f.beforeId}</if>"
            + "</where> ORDER BY id DESC LIMIT #{f.limit}</script>")
    List<AuditRow> audit(@Param("f") AuditFilter filter);
}

package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.CommandRow;
import org.aiflow.storage.jdbc.mapper.Rows.LeaseRow;
import org.aiflow.storage.jdbc.mapper.Rows.NodeRow;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * Lease, node-heartbeat and leader-command SQL. Parameters only through #{}; never string-built. Times are epoch
 * milliseconds read from the database's clock ({@link #now()}). Statements with a {@code databaseId} are that
 * database's form (see {@code JdbcStorage.DATABASE_IDS}); the one without is for every other (H2 in MariaDB
 * mode and MariaDB).
 */
public interface ClusterMapper {

    String LEASE = "name, owner, epoch, acquire_time, renew_time, expire_time";
    String COMMAND = "id, node, command, arguments, state, result, create_time, update_time";

    /**
     * The database's time in epoch milliseconds. PostgreSQL's {@code CURRENT_TIMESTAMP} is the
     * transaction's start, so its form reads the clock itself.
     */
    @Select(value = "SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000)", databaseId = "mariadb")
    @Select(value = "SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000)", databaseId = "mysql")
    @Select(value = "SELECT CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)", databaseId = "postgresql")
    @Select("SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(3)) * 1000 AS BIGINT)")
    long now();

    @Select("SELECT " + LEASE + " FROM aiflow_leases WHERE name = #{name}")
    LeaseRow findLease(@Param("name") String name);

    /** Reads the lease and locks its row shared until the transaction ends: a takeover's update waits (MariaDB, PostgreSQL). */
    @Select(value = "SELECT " + LEASE + " FROM aiflow_leases WHERE name = #{name} FOR SHARE", databaseId = "postgresql")
    @Select("SELECT " + LEASE + " FROM aiflow_leases WHERE name = #{name} LOCK IN SHARE MODE")
    LeaseRow findLeaseShared(@Param("name") String name);

    /** Reads the lease and locks its row until the transaction ends (H2, which has no shared row locks). */
    @Select("SELECT " + LEASE + " FROM aiflow_leases WHERE name = #{name} FOR UPDATE")
    LeaseRow findLeaseForUpdate(@Param("name") String name);

    /**
     * Inserts the lease: 1, or a duplicate-key error if another node inserted it first; on PostgreSQL
     * 0 instead (an error there would abort the transaction, which then could not even commit).
     */
    @Insert(value = "INSERT INTO aiflow_leases (" + LEASE + ") "
            + "VALUES (#{name}, #{owner}, #{epoch}, #{acquireTime}, #{renewTime}, #{expireTime}) ON CONFLICT (name) DO NOTHING",
            databaseId = "postgresql")
    @Insert("INSERT INTO aiflow_leases (" + LEASE + ") "
            + "VALUES (#{name}, #{owner}, #{epoch}, #{acquireTime}, #{renewTime}, #{expireTime})")
    int insertLease(LeaseRow row);

    /** Hands the lease to a new owner if it is still as read (compare-and-set on owner and epoch). */
    @Update("UPDATE aiflow_leases SET owner = #{owner}, epoch = #{epoch} + 1, acquire_time = #{now}, renew_time = #{now}, "
            + "expire_time = #{expire} WHERE name = #{name} AND owner = #{previousOwner} AND epoch = #{epoch}")
    int takeLease(@Param("name") String name, @Param("previousOwner") String previousOwner, @Param("epoch") long epoch,
                  @Param("owner") String owner, @Param("now") long now, @Param("expire") long expire);

    /** Extends the lease if {@code owner} still holds it at {@code epoch}. */
    @Update("UPDATE aiflow_leases SET renew_time = #{now}, expire_time = #{expire} "
            + "WHERE name = #{name} AND owner = #{owner} AND epoch = #{epoch}")
    int renewLease(@Param("name") String name, @Param("owner") String owner, @Param("epoch") long epoch,
                   @Param("now") long now, @Param("expire") long expire);

    /** Makes the lease expire at {@code now} if {@code owner} still holds it at {@code epoch}. */
    @Update("UPDATE aiflow_leases SET expire_time = #{now} WHERE name = #{name} AND owner = #{owner} AND epoch = #{epoch}")
    int releaseLease(@Param("name") String name, @Param("owner") String owner, @Param("epoch") long epoch, @Param("now") long now);

    @Insert(value = "INSERT INTO aiflow_cluster_nodes (id, url, host, start_time, last_seen) "
            + "VALUES (#{id}, #{url}, #{host}, #{startTime}, #{now}) "
            + "ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, host = EXCLUDED.host, start_time = EXCLUDED.start_time, "
            + "last_seen = EXCLUDED.last_seen", databaseId = "postgresql")
    @Insert("INSERT INTO aiflow_cluster_nodes (id, url, host, start_time, last_seen) "
            + "VALUES (#{id}, #{url}, #{host}, #{startTime}, #{now}) "
            + "ON DUPLICATE KEY UPDATE url = #{url}, host = #{host}, start_time = #{startTime}, last_seen = #{now}")
    int heartbeat(@Param("id") String id, @Param("url") String url, @Param("host") String host,
                  @Param("startTime") long startTime, @Param("now") long now);

    @Select("SELECT id, url, host, start_time, last_seen FROM aiflow_cluster_nodes WHERE last_seen >= #{since} ORDER BY id")
    List<NodeRow> nodesSeenSince(@Param("since") long since);

    @Insert("INSERT INTO aiflow_cluster_commands (node, command, arguments, state, result, create_time, update_time) "
            + "VALUES (#{node}, #{command}, #{arguments}, #{state}, #{result}, #{createTime}, #{updateTime})")
    @Options(useGeneratedKeys = true, keyProperty = "id", keyColumn = "id")
    int insertCommand(CommandRow row);

    /** The commands in {@code state}, oldest first (index on state, id). */
    @Select("SELECT " + COMMAND + " FROM aiflow_cluster_commands WHERE state = #{state} ORDER BY id LIMIT #{limit}")
    List<CommandRow> commandsIn(@Param("state") String state, @Param("limit") int limit);

    @Select("SELECT " + COMMAND + " FROM aiflow_cluster_commands WHERE id = #{id}")
    CommandRow findCommand(@Param("id") long id);

    /** Moves the command from {@code from} to {@code to} if it is still in {@code from} (compare-and-set); 1 if it moved. */
    @Update("UPDATE aiflow_cluster_commands SET state = #{to}, update_time = #{now} WHERE id = #{id} AND state = #{from}")
    int moveCommand(@Param("id") long id, @Param("from") String from, @Param("to") String to, @Param("now") long now);

    /** Answers the command ({@code to}: DONE or FAILED) if it is still in {@code from}; 1 if it did. */
    @Update("UPDATE aiflow_cluster_commands SET state = #{to}, result = #{result}, update_time = #{now} "
            + "WHERE id = #{id} AND state = #{from}")
    int answerCommand(@Param("id") long id, @Param("from") String from, @Param("to") String to, @Param("result") String result,
                      @Param("now") long now);

    /** Answers every command in {@code from} with {@code to} and {@code result}; how many. */
    @Update("UPDATE aiflow_cluster_commands SET state = #{to}, result = #{result}, update_time = #{now} WHERE state = #{from}")
    int answerAllCommands(@Param("from") String from, @Param("to") String to, @Param("result") String result, @Param("now") long now);

    /** Deletes the answered (DONE, FAILED) commands last changed before {@code before}. */
    @Delete("DELETE FROM aiflow_cluster_commands WHERE state IN ('DONE', 'FAILED') AND update_time < #{before}")
    int deleteFinishedCommands(@Param("before") long before);
}

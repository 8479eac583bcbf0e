package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.LeaseRow;
import org.aiflow.storage.jdbc.mapper.Rows.NodeRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * Lease and node-heartbeat SQL. Parameters only through #{}; never string-built. Times are epoch
 * milliseconds read from the database's clock ({@link #nowMariaDb()} or {@link #nowH2()}, chosen by
 * the store for its backend).
 */
public interface ClusterMapper {

    String LEASE = "name, owner, epoch, acquire_time, renew_time, expire_time";

    /** The database's time in epoch milliseconds (MariaDB, MySQL). */
    @Select("SELECT ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000)")
    long nowMariaDb();

    /** The database's time in epoch milliseconds (H2). */
    @Select("SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(3)) * 1000 AS BIGINT)")
    long nowH2();

    @Select("SELECT " + LEASE + " FROM aiflow_leases WHERE name = #{name}")
    LeaseRow findLease(@Param("name") String name);

    /** Reads the lease and locks its row shared until the transaction ends: a takeover's update waits (MariaDB). */
    @Select("SELECT " + LEASE + " FROM aiflow_leases WHERE name = #{name} LOCK IN SHARE MODE")
    LeaseRow findLeaseShared(@Param("name") String name);

    /** Reads the lease and locks its row until the transaction ends (H2, which has no shared row locks). */
    @Select("SELECT " + LEASE + " FROM aiflow_leases WHERE name = #{name} FOR UPDATE")
    LeaseRow findLeaseForUpdate(@Param("name") String name);

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

    @Insert("INSERT INTO aiflow_cluster_nodes (id, url, host, start_time, last_seen) "
            + "VALUES (#{id}, #{url}, #{host}, #{startTime}, #{now}) "
            + "ON DUPLICATE KEY UPDATE url = #{url}, host = #{host}, start_time = #{startTime}, last_seen = #{now}")
    int heartbeat(@Param("id") String id, @Param("url") String url, @Param("host") String host,
                  @Param("startTime") long startTime, @Param("now") long now);

    @Select("SELECT id, url, host, start_time, last_seen FROM aiflow_cluster_nodes WHERE last_seen >= #{since} ORDER BY id")
    List<NodeRow> nodesSeenSince(@Param("since") long since);
}

package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.EventFilter;
import org.aiflow.storage.jdbc.mapper.Rows.EventRow;
import org.aiflow.storage.jdbc.mapper.Rows.SenderCount;
import org.aiflow.storage.jdbc.mapper.Rows.SequenceAdvance;
import org.aiflow.storage.jdbc.mapper.Rows.SubscriptionRow;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Event log SQL. Parameters only through #{}; never string-built. */
public interface EventMapper {

    String COLUMNS = "version, namespace, event_key, event_value, event_type, sender, context_json, create_time, idempotency_key, principal";

    /**
     * Allocates {@code count} versions: advances the event sequence and so locks its row until
     * commit, the writers' serialization point that keeps versions gap-safe (commit order equals
     * version order). The transaction reads the new value with {@link #eventSequence()}. An UPDATE
     * rather than a {@code SELECT ... FOR UPDATE}: one write of the row instead of a lock and a
     * write, and H2 caches its parsed form (it parses every {@code FOR UPDATE} query anew).
     */
    @Update("UPDATE aiflow_sequences SET last_value = last_value + #{count} WHERE name = 'event'")
    int advanceEventSequence(@Param("count") long count);

    /**
     * MariaDB, MySQL and PostgreSQL: {@link #advanceEventSequence} that also returns the new value, read
     * as the generated key into {@code advance.last}: one round trip instead of two while the lock is
     * held. MariaDB sends it in the statement's OK packet ({@code LAST_INSERT_ID(expr)}); PostgreSQL's
     * driver asks for the key column with {@code RETURNING last_value}.
     */
    @Update(value = "UPDATE aiflow_sequences SET last_value = last_value + #{count} WHERE name = 'event'", databaseId = "postgresql")
    @Update("UPDATE aiflow_sequences SET last_value = LAST_INSERT_ID(last_value + #{count}) WHERE name = 'event'")
    @Options(useGeneratedKeys = true, keyProperty = "last", keyColumn = "last_value")
    int advanceEventSequenceReturning(SequenceAdvance advance);

    /** Sets the sequence back to the versions actually used; only by the transaction that advanced it (it holds the lock). */
    @Update("UPDATE aiflow_sequences SET last_value = #{lastValue} WHERE name = 'event'")
    int setEventSequence(@Param("lastValue") long lastValue);

    @Select("SELECT last_value FROM aiflow_sequences WHERE name = 'event'")
    long eventSequence();

    @Select("<script>SELECT " + COLUMNS + " FROM aiflow_events WHERE idempotency_key IN "
            + "<foreach collection='keys' item='k' open='(' separator=',' close=')'>#{k}</foreach></script>")
    List<EventRow> findByIdempotencyKeys(@Param("keys") List<String> keys);

    @Insert("INSERT INTO aiflow_events (" + COLUMNS + ") VALUES (#{version}, #{namespace}, #{eventKey}, #{eventValue}, "
            + "#{eventType}, #{sender}, #{contextJson}, #{createTime}, #{idempotencyKey}, #{principal})")
    int insertEvent(EventRow row);

    /** The WHERE clause of every filtered read; {@code f} is an {@link EventFilter}. */
    String WHERE = "<where>version &gt; #{f.afterVersion}"
            + "<if test='f.untilVersion != null'> AND version &lt;= #{f.untilVersion}</if>"
            + "<if test='f.namespaces.size() &gt; 0'> AND namespace IN <foreach collection='f.namespaces' item='n' open='(' separator=',' close=')'>#{n}</foreach></if>"
            + "<if test='f.keys.size() &gt; 0'> AND event_key IN <foreach collection='f.keys' item='k' open='(' separator=',' close=')'>#{k}</foreach></if>"
            + "<if test='f.types.size() &gt; 0'> AND event_type IN <foreach collection='f.types' item='t' open='(' separator=',' close=')'>#{t}</foreach></if>"
            + "<if test='f.senders.size() &gt; 0'> AND sender IN <foreach collection='f.senders' item='s' open='(' separator=',' close=')'>#{s}</foreach></if>"
            + "<if test='f.fromMillis != null'> AND create_time &gt;= #{f.fromMillis}</if>"
            + "<if test='f.toMillis != null'> AND create_time &lt; #{f.toMillis}</if>"
            + "</where>";

    /**
     * A page by version, ascending or (when {@code f.descending}) descending. Measured with 100,000
     * events: MariaDB reads a page along an index in either direction (the primary key unfiltered
     * or for a common namespace, {@code aiflow_events_by_key} for a namespace and key,
     * {@code aiflow_events_by_sender} for a sender; a rare namespace sorts only its own rows); H2
     * walks the primary key unfiltered and otherwise takes the top {@code limit} of the filter's
     * index entries. No sort of the whole table either way: a page takes milliseconds.
     */
    @Select("<script>SELECT " + COLUMNS + " FROM aiflow_events " + WHERE
            + " ORDER BY version<if test='f.descending'> DESC</if> LIMIT #{f.limit}</script>")
    List<EventRow> list(@Param("f") EventFilter filter);

    @Select("<script>SELECT COUNT(*) FROM aiflow_events " + WHERE + "</script>")
    long count(@Param("f") EventFilter filter);

    @Select("<script>SELECT sender, COUNT(*) AS total FROM aiflow_events " + WHERE + " GROUP BY sender ORDER BY sender</script>")
    List<SenderCount> countBySender(@Param("f") EventFilter filter);

    @Select("SELECT COALESCE(MAX(version), 0) FROM aiflow_events WHERE namespace = #{namespace} AND event_key = #{key}")
    long latestVersionOfKey(@Param("namespace") String namespace, @Param("key") String key);

    @Select("SELECT COALESCE(MAX(version), 0) FROM aiflow_events WHERE create_time < #{millis}")
    long versionBefore(@Param("millis") long millis);

    @Select("SELECT DISTINCT namespace FROM aiflow_events ORDER BY namespace")
    List<String> namespaces();

    @Delete("DELETE FROM aiflow_events WHERE namespace = #{namespace} AND create_time < #{millis} AND version <= #{maxVersion}")
    int deleteOlderThan(@Param("namespace") String namespace, @Param("millis") long millis, @Param("maxVersion") long maxVersion);

    /** The version of the (keep+1)-th newest event of a namespace: it and everything older is beyond a keep-newest limit. */
    @Select("SELECT version FROM aiflow_events WHERE namespace = #{namespace} ORDER BY version DESC LIMIT 1 OFFSET #{keep}")
    Long versionBeyondNewest(@Param("namespace") String namespace, @Param("keep") long keep);

    @Delete("DELETE FROM aiflow_events WHERE namespace = #{namespace} AND version <= #{maxVersion}")
    int deleteUpTo(@Param("namespace") String namespace, @Param("maxVersion") long maxVersion);

    String SUBSCRIPTION = "name, last_version, create_time, update_time";

    @Insert(value = "INSERT INTO aiflow_event_subscriptions (" + SUBSCRIPTION + ") VALUES (#{name}, #{version}, #{time}, #{time}) "
            + "ON CONFLICT (name) DO NOTHING", databaseId = "postgresql")
    @Insert("INSERT INTO aiflow_event_subscriptions (" + SUBSCRIPTION + ") VALUES (#{name}, #{version}, #{time}, #{time}) "
            + "ON DUPLICATE KEY UPDATE name = name")
    int createSubscription(@Param("name") String name, @Param("version") long version, @Param("time") long time);

    @Select("SELECT " + SUBSCRIPTION + " FROM aiflow_event_subscriptions WHERE name = #{name}")
    SubscriptionRow findSubscription(@Param("name") String name);

    @Select("SELECT " + SUBSCRIPTION + " FROM aiflow_event_subscriptions ORDER BY name")
    List<SubscriptionRow> listSubscriptions();

    @Update("UPDATE aiflow_event_subscriptions SET last_version = #{version}, update_time = #{time} "
            + "WHERE name = #{name} AND last_version < #{version}")
    int acknowledge(@Param("name") String name, @Param("version") long version, @Param("time") long time);

    @Delete("DELETE FROM aiflow_event_subscriptions WHERE name = #{name}")
    int deleteSubscription(@Param("name") String name);
}

package org.aiflow.storage.jdbc.mapper;

import java.util.List;

import org.aiflow.storage.jdbc.mapper.Rows.EventRow;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** Event log SQL. Parameters only through #{}; never string-built. */
public interface EventMapper {

    String COLUMNS = "version, namespace, event_key, event_value, event_type, sender, context_json, create_time, idempotency_key";

    /** Locks the event sequence row until commit: the writers' serialization point that keeps versions gap-safe. */
    @Select("SELECT last_value FROM aiflow_sequences WHERE name = 'event' FOR UPDATE")
    long lockEventSequence();

    @Update("UPDATE aiflow_sequences SET last_value = #{lastValue} WHERE name = 'event'")
    int setEventSequence(@Param("lastValue") long lastValue);

    @Select("SELECT last_value FROM aiflow_sequences WHERE name = 'event'")
    long eventSequence();

    @Select("<script>SELECT " + COLUMNS + " FROM aiflow_events WHERE idempotency_key IN "
            + "<foreach collection='keys' item='k' open='(' separator=',' close=')'>#{k}</foreach></script>")
    List<EventRow> findByIdempotencyKeys(@Param("keys") List<String> keys);

    @Insert("<script>INSERT INTO aiflow_events (" + COLUMNS + ") VALUES "
            + "<foreach collection='rows' item='r' separator=','>"
            + "(#{r.version}, #{r.namespace}, #{r.eventKey}, #{r.eventValue}, #{r.eventType}, #{r.sender}, "
            + "#{r.contextJson}, #{r.createTime}, #{r.idempotencyKey})</foreach></script>")
    int insertEvents(@Param("rows") List<EventRow> rows);

    @Select("<script>SELECT " + COLUMNS + " FROM aiflow_events WHERE version &gt; #{afterVersion}"
            + "<if test='namespaces.size() &gt; 0'> AND namespace IN <foreach collection='namespaces' item='n' open='(' separator=',' close=')'>#{n}</foreach></if>"
            + "<if test='keys.size() &gt; 0'> AND event_key IN <foreach collection='keys' item='k' open='(' separator=',' close=')'>#{k}</foreach></if>"
            + "<if test='types.size() &gt; 0'> AND event_type IN <foreach collection='types' item='t' open='(' separator=',' close=')'>#{t}</foreach></if>"
            + " ORDER BY version LIMIT #{limit}</script>")
    List<EventRow> list(@Param("namespaces") List<String> namespaces, @Param("keys") List<String> keys,
                        @Param("types") List<String> types, @Param("afterVersion") long afterVersion,
                        @Param("limit") int limit);
}

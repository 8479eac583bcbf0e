package org.aiflow.storage.jdbc.mapper;

import java.util.List;

/**
 * Mutable row objects MyBatis maps columns onto (snake_case to camelCase); the stores convert them
 * to the API's immutable records.
 */
public final class Rows {
    private Rows() {
    }

    public static class EventRow {
        public long version;
        public String namespace;
        public String eventKey;
        public String eventValue;
        public String eventType;
        public String sender;
        public String contextJson;
        public long createTime;
        public String idempotencyKey;
        /** who published it, as authenticated; '' for the platform itself */
        public String principal;
    }

    public static class WorkflowRow {
        public Long id;
        public String namespace;
        public String name;
        public boolean enabled;
        public long snapshotId;
        public long createTime;
        public long updateTime;
    }

    public static class SnapshotRow {
        public Long id;
        public long workflowId;
        public String definitionJson;
        public long createTime;
    }

    public static class ExecutionRow {
        public Long id;
        public long workflowId;
        public String namespace;
        public String workflowName;
        public long snapshotId;
        public String status;
        public long startTime;
        public Long endTime;
    }

    public static class TaskRow {
        public Long id;
        public long workflowExecutionId;
        public String namespace;
        public String workflowName;
        public String taskName;
        public int attempt;
        public String runnerType;
        public String status;
        public String handleJson;
        public String message;
        public long createTime;
        public long updateTime;
    }

    public static class StatusChangeRow {
        public long taskExecutionId;
        public String fromStatus;
        public String toStatus;
        public String message;
        public long changeTime;
    }

    public static class RuleStateRow {
        public long workflowExecutionId;
        public String taskName;
        public int ruleIndex;
        public String stateJson;
    }

    /**
     * The parameter of a sequence advance that returns the new value: {@code count} versions to
     * allocate in, the sequence's new {@code last} value (the newest allocated version) out.
     */
    public static class SequenceAdvance {
        public long count;
        public long last;
    }

    /** The filters of an event query, as MyBatis reads them. */
    public static class EventFilter {
        public List<String> namespaces;
        public List<String> keys;
        public List<String> types;
        public List<String> senders;
        public long afterVersion;
        public Long untilVersion;
        public Long fromMillis;
        public Long toMillis;
        public int limit;
        /** newest first (lists only) */
        public boolean descending;
    }

    public static class SenderCount {
        public String sender;
        public long total;
    }

    public static class SubscriptionRow {
        public String name;
        public long lastVersion;
        public long createTime;
        public long updateTime;
    }

    public static class ModelRow {
        public Long id;
        public String namespace;
        public String name;
        public String description;
        public String propertiesJson;
        public long revision;
        public long createTime;
        public long updateTime;
    }

    public static class ModelVersionRow {
        public Long id;
        public long modelId;
        public String namespace;
        public String modelName;
        public int version;
        public String uri;
        public String modelType;
        public String description;
        public String stage;
        public String propertiesJson;
        public long revision;
        public long createTime;
        public long updateTime;
    }

    public static class DatasetRow {
        public Long id;
        public String namespace;
        public String name;
        public String uri;
        public String format;
        public String schemaJson;
        public String description;
        public String catalogJson;
        public String propertiesJson;
        public boolean deleted;
        public long revision;
        public long createTime;
        public long updateTime;
    }

    public static class ProjectRow {
        public Long id;
        public String name;
        public String description;
        public String uri;
        public String propertiesJson;
        public long revision;
        public long createTime;
        public long updateTime;
    }

    public static class ArtifactRow {
        public Long id;
        public String namespace;
        public String name;
        public String artifactType;
        public String uri;
        public String description;
        public String propertiesJson;
        public boolean deleted;
        public long revision;
        public long createTime;
        public long updateTime;
    }

    public static class MetricRow {
        public Long id;
        public String namespace;
        public String name;
        public String kind;
        public String datasetName;
        public String modelName;
        public String description;
        public String propertiesJson;
        public long revision;
        public long createTime;
        public long updateTime;
    }

    public static class MetricValueRow {
        public Long id;
        public long metricId;
        public String metricKey;
        public double metricValue;
        public long measureTime;
        public Long step;
        public Integer modelVersion;
        public Long taskExecutionId;
    }

    public static class LineageRow {
        public Long id;
        public String namespace;
        public long taskExecutionId;
        public String direction;
        public String entityKind;
        public String entityName;
        public int entityVersion;
        public long createTime;
    }

    public static class ScheduleStateRow {
        public long workflowId;
        public String scheduleName;
        public Long nextFireTime;
        public boolean paused;
    }

    public static class TokenRow {
        public Long id;
        public String name;
        public String liveName;
        public String principal;
        /** the grants written role or role@namespace, comma-separated */
        public String grantsText;
        public long createdAt;
        public String createdBy;
        public Long expiresAt;
        public Long revokedAt;
        public String revokedBy;
        public Long taskExecutionId;
        public String prefix;
        public String hash;
    }

    public static class GrantRow {
        public String principal;
        public String grantText;
        public long createdAt;
        public String createdBy;
    }

    public static class AuditRow {
        public Long id;
        public long auditTime;
        public String principal;
        public String action;
        public String namespace;
        public String target;
        public String detail;
    }

    /** The filters of an audit listing, as MyBatis reads them; null: no filter. */
    public static class AuditFilter {
        public String principal;
        public String namespace;
        public String action;
        public Long fromMillis;
        public Long toMillis;
        public Long beforeId;
        public int limit;
    }

    /** A lease (aiflow_leases); times in epoch milliseconds by the database's clock. */
    public static class LeaseRow {
        public String name;
        public String owner;
        public long epoch;
        public long acquireTime;
        public long renewTime;
        public long expireTime;
    }

    /** A platform node's heartbeat (aiflow_cluster_nodes). */
    public static class NodeRow {
        public String id;
        public String url;
        public String host;
        public long startTime;
        public long lastSeen;
    }

    /** A command for the scheduling leader (aiflow_cluster_commands). */
    public static class CommandRow {
        public Long id;
        public String node;
        public String command;
        public String arguments;
        public String state;
        public String result;
        public long createTime;
        public long updateTime;
    }
}

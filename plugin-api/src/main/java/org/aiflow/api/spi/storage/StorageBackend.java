package org.aiflow.api.spi.storage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One storage backend: the stores the platform keeps its state in, handed out together. The core
 * (notification, metadata, scheduler, security) references this one service and takes every store
 * from it, so it can never bind the stores of two backends at once (an {@link EventStore} of one
 * database beside a {@link SchedulerStore} of another), and a backend switch replaces all of them at
 * the same moment.
 *
 * <p><b>Contract.</b> All stores of one backend work on one database and share its transactions:
 * <ul>
 * <li>{@link SchedulerStore#inTransaction} opens a transaction on the calling thread that the
 *     other stores of the same backend join: the scheduler's outbox appends events
 *     ({@link EventStore}) and records its decisions ({@link SchedulerStore}) and takes commands
 *     ({@link ClusterStore}) all or nothing;</li>
 * <li>metadata changes and the events they emit commit together ({@link MetadataStore});</li>
 * <li>the stores stay usable for as long as this service is registered, and each call returns the
 *     same instance: a consumer may keep them until the service goes away.</li>
 * </ul>
 * A backend registers this service once its database is reachable and its schema is current, and
 * unregisters it before it closes the stores.
 *
 * @since 1.6
 */
@ProviderType
public interface StorageBackend {

    /** Name of the database in use, e.g. {@code H2}, {@code MariaDB} or {@code PostgreSQL}; the same as {@link EventStore#backend()}. */
    String name();

    EventStore eventStore();

    SchedulerStore schedulerStore();

    MetadataStore metadataStore();

    SecurityStore securityStore();

    /**
     * Leases, heartbeats and commands for the leader. Every backend provides it, also a single-node
     * one (embedded H2): the scheduler leads only while it holds the lease, and a scheduler without
     * one would lead unfenced on a database another node may share.
     */
    ClusterStore clusterStore();
}

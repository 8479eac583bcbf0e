package org.aiflow.api.scheduler;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which node of a cluster schedules. Every node on one database serves the API, publishes and
 * reads; exactly one, the holder of the scheduling lease, decides on events and runs jobs.
 *
 * @since 1.4
 */
@ProviderType
public interface ClusterService {

    ClusterStatus status();
}

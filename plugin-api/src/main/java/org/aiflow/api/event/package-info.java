/**
 * Events and the notification service: the durable, versioned event log that drives scheduling.
 */
@Export
@Version("1.2.0")
package org.aiflow.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The Java client of the AI Flow REST API: publish with automatic idempotency keys and retries,
 * listen with automatic resume and reconnect, list and count, wait until the platform is ready.
 * Works with or without OSGi.
 */
@Export
@Version("1.2.0")
package org.aiflow.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

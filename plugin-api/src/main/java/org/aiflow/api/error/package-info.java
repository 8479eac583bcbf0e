/**
 * Errors raised by every AI Flow service. Each carries a stable machine-readable {@code code} that the REST layer maps to an HTTP status and a JSON problem body, and the console prints as a one-line message.
 */
@Export
@Version("1.3.0")
package org.aiflow.api.error;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The platform's metrics as a service: other bundles record into it (the REST API its requests)
 * and read its exposition, without depending on the metrics library, which stays private to this
 * bundle.
 */
@Export
@Version("1.0.0")
package org.aiflow.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

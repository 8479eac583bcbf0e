/**
 * The scheduler service: uploads workflows, starts and stops executions, reports task executions.
 */
@Export
@Version("1.2.0")
package org.aiflow.api.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

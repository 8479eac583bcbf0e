/**
 * What the scheduler records: workflows, snapshots, workflow executions, task executions and their status changes.
 */
@Export
@Version("2.2.0")
package org.aiflow.api.execution;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

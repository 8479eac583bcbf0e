/**
 * Workflow definitions: tasks, job specs and rules (condition + action). Immutable records validated on construction.
 */
@Export
@Version("1.1.0")
package org.aiflow.api.workflow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

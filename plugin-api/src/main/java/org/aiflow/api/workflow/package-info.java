/**
 * Workflow definitions: tasks, job specs and rules (condition + action). Immutable records validated on construction.
 * The built-in condition types and their configuration: {@link org.aiflow.api.workflow.BuiltInConditionTypes}.
 */
@Export
@Version("1.2.0")
package org.aiflow.api.workflow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

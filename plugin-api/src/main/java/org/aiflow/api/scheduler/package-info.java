/**
 * The scheduler service: uploads workflows, starts and stops executions, reports task executions;
 * the events it publishes ({@link org.aiflow.api.scheduler.TaskStatusEvents},
 * {@link org.aiflow.api.scheduler.ScheduleEvents}).
 */
@Export
@Version("1.5.0")
package org.aiflow.api.scheduler;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

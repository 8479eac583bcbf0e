package org.aiflow.api.workflow;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * A time-based schedule of a workflow: a 5-field {@code cron} expression (with {@code timeZone},
 * default UTC) or an {@code intervalSeconds} — exactly one. Without {@code task} each fire time
 * starts a workflow execution; with it, each fire time starts that task in every running execution.
 * The scheduler checks the expression at upload; schedules can be paused and resumed.
 */
public record Schedule(String name, String cron, Long intervalSeconds, String timeZone, String task, CatchUp catchUp) {
    public Schedule {
        Names.identifier("schedule name", name);
        cron = cron == null || cron.isBlank() ? null : cron.trim();
        if ((cron == null) == (intervalSeconds == null)) {
            throw new ValidationException("schedule '" + name + "' needs exactly one of 'cron' and 'intervalSeconds'");
        }
        if (intervalSeconds != null && intervalSeconds < 1) {
            throw new ValidationException("schedule '" + name + "': intervalSeconds must be at least 1");
        }
        timeZone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone;
        if (task != null) {
            Names.identifier("schedule '" + name + "' task", task);
        }
        catchUp = catchUp == null ? CatchUp.LATEST : catchUp;
    }
}

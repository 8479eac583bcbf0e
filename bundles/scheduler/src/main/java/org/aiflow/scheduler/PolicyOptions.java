package org.aiflow.scheduler;

import java.util.Map;
import java.util.function.Consumer;

import org.aiflow.api.error.ValidationException;
import org.aiflow.api.workflow.TaskDefinition;
import org.aiflow.api.workflow.WorkflowDefinition;

/** Reads the numeric {@code options} that the built-in policies understand. */
final class PolicyOptions {
    private PolicyOptions() {
    }

    /** A number option of at least {@code min}, or {@code defaultValue} if absent. */
    static double number(Map<String, Object> options, String name, double min, double defaultValue) {
        Object v = options.get(name);
        if (v == null) {
            return defaultValue;
        }
        if (!(v instanceof Number n) || Double.isNaN(n.doubleValue()) || n.doubleValue() < min) {
            throw new ValidationException("option '" + name + "' must be a number of at least " + (min == (long) min ? Long.toString((long) min) : min)
                    + ", got " + v);
        }
        return n.doubleValue();
    }

    /** Whole-number option. */
    static long whole(Map<String, Object> options, String name, long min, long defaultValue) {
        double v = number(options, name, min, defaultValue);
        if (v != Math.rint(v)) {
            throw new ValidationException("option '" + name + "' must be a whole number, got " + options.get(name));
        }
        return (long) v;
    }

    /** Checks the options of every task of a workflow, naming the task in the error. */
    static void checkTasks(WorkflowDefinition workflow, Consumer<Map<String, Object>> check) {
        for (TaskDefinition t : workflow.tasks()) {
            try {
                check.accept(t.options());
            } catch (ValidationException e) {
                throw new ValidationException("task '" + t.name() + "': " + e.getMessage());
            }
        }
    }
}

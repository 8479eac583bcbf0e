package org.aiflow.shell;

import org.aiflow.api.error.AiflowException;
import org.apache.karaf.shell.api.action.Action;

/**
 * Base of the aiflow: commands. An {@link AiflowException} is a user's mistake or an unavailable
 * backend, not a bug: it is printed as one clear line (with its stable code) instead of being
 * logged with a stack trace by the shell.
 */
abstract class AiflowCommand implements Action {

    @Override
    public final Object execute() {
        try {
            run();
        } catch (AiflowException e) {
            System.err.println("Error [" + e.code() + "]: " + e.getMessage());
        }
        return null;
    }

    /** Does the command's work, printing to {@code System.out} (the session's console). */
    abstract void run();
}

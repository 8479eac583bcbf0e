package org.aiflow.shell;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.Authenticator;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;

/**
 * Base of the aiflow: commands: finds who runs the command ({@link ConsoleCaller}), checks the role
 * the command {@link Needs}, and reports errors to whoever runs it.
 *
 * <p>An {@link AiflowException} is a user's mistake, a refusal or an unavailable backend, not a bug:
 * it ends the command with a {@link CommandException} whose text is one line with the stable code,
 * {@code Error [forbidden]: bob needs the role author in namespace 'default' for this}. Karaf prints
 * that line in the session (so over ssh and {@code bin/client} too, where {@code System.err} is the
 * server's), exits a {@code bin/client} run with status 1, and logs no stack trace.
 */
abstract class AiflowCommand implements Action {
    @Reference
    Authenticator authenticator;

    @Reference
    AuditLog auditLog;

    /** Who runs the command; set before {@link #run()}. */
    ConsoleCaller caller;

    @Override
    public final Object execute() throws CommandException {
        try {
            caller = ConsoleCaller.current(authenticator, auditLog);
            caller.requireSomewhere(needs());
            run();
        } catch (AiflowException e) {
            throw failure(e);
        }
        return null;
    }

    /** The role of the command's {@link Needs} annotation; admin if it has none. */
    Role needs() {
        Needs needs = getClass().getAnnotation(Needs.class);
        return needs == null ? Role.ADMIN : needs.value();
    }

    /**
     * Checks the command's role ({@link Needs}) in the namespace it acts on (none: {@code default}).
     *
     * @return that namespace
     */
    String checkNamespace(String namespace) {
        return caller.require(needs(), namespace);
    }

    /** The exception that ends a command: Karaf prints its text as it is. */
    static CommandException failure(AiflowException e) {
        String line = "Error [" + e.code() + "]: " + e.getMessage();
        return new CommandException(line, line, e);
    }

    /** Does the command's work, printing to {@code System.out} (the session's console). */
    abstract void run();
}

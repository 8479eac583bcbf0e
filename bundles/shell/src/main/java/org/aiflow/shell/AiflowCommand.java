package org.aiflow.shell;

import java.io.UncheckedIOException;
import java.time.DateTimeException;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.Authenticator;
import org.aiflow.api.security.Role;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(AiflowCommand.class);

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
        } catch (RuntimeException e) {
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
        String line = "Error [" + e.code() + "]: " + oneLine(e.getMessage());
        return new CommandException(line, line, e);
    }

    /**
     * The same for what is not an {@link AiflowException}, so that every failure reaches the session
     * as one line and exit status 1, not as Karaf's "Error executing command" with a class name: bad
     * input a library refused ({@link NumberFormatException}, an enum's {@code valueOf}, a date or a
     * duration, {@link IllegalArgumentException} in general) is {@code invalid_argument}; a file that
     * cannot be read or written is {@code unavailable}; anything else is a bug, {@code internal}, logged
     * with its stack trace for the report.
     */
    static CommandException failure(RuntimeException e) {
        if (e instanceof NumberFormatException n) {
            return failure(new ValidationException("not a number: " + describe(n).replaceFirst("^For input string: ", "")));
        }
        if (e instanceof IllegalArgumentException || e instanceof DateTimeException) {
            return failure(new ValidationException(describe(e)));
        }
        if (e instanceof UncheckedIOException io) {
            return failure(new UnavailableException(describe(io.getCause()), e));
        }
        LOG.error("an aiflow: command failed unexpectedly", e);
        String line = "Error [internal]: " + oneLine(e.getClass().getName() + ": " + describe(e)) + " (the stack trace is in data/log/karaf.log)";
        return new CommandException(line, line, e);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Library messages (Jackson's) span lines; the session shows one. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Does the command's work, printing to {@code System.out} (the session's console). */
    abstract void run();
}

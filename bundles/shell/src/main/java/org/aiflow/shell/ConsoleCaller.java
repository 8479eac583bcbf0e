package org.aiflow.shell;

import java.security.AccessController;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.security.auth.Subject;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.error.UnavailableException;
import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.Authenticator;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Role;

/**
 * Who runs a console command, with the checks and the audit record every {@code aiflow:} command
 * shares.
 *
 * <p>Karaf runs each command of a session as the session's JAAS subject (the local console as
 * {@code karaf.local.user} with {@code karaf.local.roles}, a {@code bin/client} or ssh session as the
 * user its realm signed in), the same subject its command ACLs check. The {@link Authenticator}
 * turns it into a {@link Caller}: the realm's roles that name ours plus the stored grants. A command
 * run without a subject (a host embedding the platform, a session created through the
 * {@code SessionFactory} by a test) runs as {@code system:console}.
 */
final class ConsoleCaller {
    static final String DEFAULT_NAMESPACE = org.aiflow.api.event.EventDraft.DEFAULT_NAMESPACE;

    private final Caller caller;
    private final AuditLog audit;

    ConsoleCaller(Caller caller, AuditLog audit) {
        this.caller = caller;
        this.audit = audit;
    }

    /** The caller of the running command. */
    static ConsoleCaller current(Authenticator authenticator, AuditLog audit) {
        Subject subject = subject();
        if (subject == null) {
            return new ConsoleCaller(Caller.system("console"), audit);
        }
        if (authenticator == null) {
            throw new UnavailableException("the console user cannot be checked: the security service is not running", null);
        }
        Caller caller = authenticator.of(subject);
        if (caller == null) {
            throw new UnauthenticatedException("the console session has no user: sign in as a user of the login realm");
        }
        return new ConsoleCaller(caller, audit);
    }

    /** The JAAS subject the current thread runs as (Karaf's {@code JaasHelper.doAs}), or null. */
    @SuppressWarnings("removal")
    static Subject subject() {
        return Subject.getSubject(AccessController.getContext());
    }

    Caller caller() {
        return caller;
    }

    String principal() {
        return caller.principal();
    }

    /** A command's namespace option as the services read it: none means {@value #DEFAULT_NAMESPACE}. */
    static String namespace(String namespace) {
        return namespace == null || namespace.isEmpty() ? DEFAULT_NAMESPACE : namespace;
    }

    /**
     * Throws {@link ForbiddenException} unless the caller holds {@code role} in {@code namespace}
     * (none: {@value #DEFAULT_NAMESPACE}) or everywhere.
     *
     * @return the namespace checked
     */
    String require(Role role, String namespace) {
        String ns = namespace(namespace);
        caller.require(role, ns);
        return ns;
    }

    /** The command-level check (what the ACL file says): {@code role} in at least one namespace. */
    void requireSomewhere(Role role) {
        if (!caller.mayAnywhere(role)) {
            throw new ForbiddenException(caller.principal() + " needs the role " + role.id() + " for this");
        }
    }

    void requireEverywhere(Role role) {
        caller.requireEverywhere(role);
    }

    boolean mayRead(String namespace) {
        return caller.may(Role.VIEWER, namespace(namespace));
    }

    boolean mayReadEverywhere() {
        return caller.mayEverywhere(Role.VIEWER);
    }

    /** The rows of a listing that spans namespaces, without those of namespaces the caller may not read. */
    <T> List<T> readable(List<T> rows, Function<T, String> namespaceOf) {
        return caller.readable(rows, namespaceOf);
    }

    /**
     * The namespaces a query over events may cover: those asked for, each checked; or when none is
     * asked, null (all) if the caller may read everywhere, else the namespaces it may read.
     */
    List<String> readableNamespaces(List<String> asked) {
        return caller.readableNamespaces(asked);
    }

    /** Records a change the command made (after it is made). */
    void audit(String action, String namespace, String target, String detail) {
        if (audit != null) {
            audit.record(caller, action, namespace, target, detail);
        }
    }
}

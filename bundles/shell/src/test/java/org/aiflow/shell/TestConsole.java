package org.aiflow.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;

import javax.security.auth.Subject;

import org.aiflow.security.JaasAuthenticator;
import org.aiflow.security.SecurityConfig;
import org.aiflow.security.StoredAuditLog;
import org.aiflow.security.StoredGrants;
import org.aiflow.security.TokenManager;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.util.jaas.JaasHelper;

/**
 * The security bundle's real services on a store in memory, and commands run as Karaf runs them: as
 * a session's JAAS subject ({@link JaasHelper#doAs}, what Karaf's ssh and local consoles use).
 */
final class TestConsole {
    final MemorySecurityStore store = new MemorySecurityStore();
    final StoredAuditLog audit = StoredAuditLog.of(store);
    final JaasAuthenticator authenticator = JaasAuthenticator.of(store, config());
    final TokenManager tokens = TokenManager.of(store, audit, config());
    final StoredGrants grants = StoredGrants.of(store, audit);

    /** What a command printed, and the text of the error that ended it (null if none). */
    record Result(String out, String error) {
    }

    static SecurityConfig config() {
        return new SecurityConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SecurityConfig.class;
            }

            @Override
            public String realm() {
                return "karaf";
            }

            @Override
            public int loginCacheSeconds() {
                return 0;
            }

            @Override
            public int taskTokenMaxHours() {
                return 0;
            }
        };
    }

    /** A session subject as a Karaf login module makes it: the user and its realm roles. */
    static Subject user(String name, String... roles) {
        Subject s = new Subject();
        s.getPrincipals().add(new UserPrincipal(name));
        for (String r : roles) {
            s.getPrincipals().add(new RolePrincipal(r));
        }
        return s;
    }

    <T extends AiflowCommand> T wire(T command) {
        command.authenticator = authenticator;
        command.auditLog = audit;
        return command;
    }

    /** Runs a wired command as {@code subject} (null: without one), capturing {@code System.out}. */
    Result run(Subject subject, AiflowCommand command) throws Exception {
        PrintStream previous = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String error = null;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            PrivilegedExceptionAction<Object> action = command::execute;
            if (subject == null) {
                action.run();
            } else {
                JaasHelper.doAs(subject, action);
            }
        } catch (PrivilegedActionException e) {
            error = e.getException() instanceof org.apache.karaf.shell.support.CommandException c ? c.getNiceHelp() : rethrow(e);
        } catch (org.apache.karaf.shell.support.CommandException e) {
            error = e.getNiceHelp();
        } finally {
            System.setOut(previous);
        }
        return new Result(bytes.toString(StandardCharsets.UTF_8), error);
    }

    private static String rethrow(PrivilegedActionException e) throws Exception {
        throw e.getException();
    }
}

package org.aiflow.security;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.execution.TaskExecution;
import org.aiflow.api.scheduler.SchedulerService;
import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.Authenticator;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.PrincipalGrant;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.api.spi.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users through a Karaf JAAS realm (the {@code karaf} realm by default: {@code etc/users.properties},
 * or an LDAP or JDBC realm configured as Karaf users do), tokens through the {@link SecurityStore}.
 * A user's grants are the realm's roles that name ours ({@code admin}, {@code operator@churn}, ...),
 * those of its groups, and the grants stored for it or for {@code group:<group>}.
 */
@Component(service = Authenticator.class, configurationPid = SecurityConfig.PID)
@Designate(ocd = SecurityConfig.class)
public class JaasAuthenticator implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(JaasAuthenticator.class);
    private static final int MAX_CACHED = 1024;

    private final SecurityStore store;
    private final Clock clock;
    private volatile String realm;
    private volatile long cacheMillis;
    /** user + SHA-256(user, password) -> caller, for loginCacheSeconds. Bounded, access-ordered. */
    private final Map<String, Cached> logins = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > MAX_CACHED;
        }
    };

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SchedulerService scheduler;

    private record Cached(Caller caller, long until) {
    }

    @Activate
    public JaasAuthenticator(@Reference StorageBackend storage, SecurityConfig config) {
        this(storage.securityStore(), Clock.systemUTC());
        modified(config);
    }

    // no public constructor of the same arity beside the @Activate one: Felix SCR tries each and logs
    // an ERROR ("Constructor argument 0 ... has unsupported type") for the one whose types it cannot inject
    public static JaasAuthenticator of(SecurityStore store, SecurityConfig config) {
        JaasAuthenticator authenticator = new JaasAuthenticator(store, Clock.systemUTC());
        authenticator.modified(config);
        return authenticator;
    }

    JaasAuthenticator(SecurityStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.realm = "karaf";
    }

    @Modified
    void modified(SecurityConfig config) {
        realm = config.realm();
        cacheMillis = Math.max(0, config.loginCacheSeconds()) * 1000L;
        synchronized (logins) {
            logins.clear();
        }
    }

    @Override
    public Caller basic(String user, char[] password) {
        if (user == null || user.isEmpty() || user.length() > 128 || password == null) {
            throw new UnauthenticatedException("user name or password is wrong");
        }
        String cacheKey = user + "\u0000" + fingerprint(user, password);
        long now = clock.millis();
        if (cacheMillis > 0) {
            synchronized (logins) {
                Cached c = logins.get(cacheKey);
                if (c != null && c.until > now) {
                    return c.caller;
                }
            }
        }
        Subject subject = login(user, password);
        Caller caller = of(subject);
        if (caller == null) {
            throw new UnauthenticatedException("user name or password is wrong");
        }
        if (cacheMillis > 0) {
            synchronized (logins) {
                logins.put(cacheKey, new Cached(caller, now + cacheMillis));
            }
        }
        return caller;
    }

    private Subject login(String user, char[] password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Karaf's JAAS configuration names its ProxyLoginModule, which is on the launcher's class path (lib/boot)
        thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (Callback cb : callbacks) {
                    if (cb instanceof NameCallback name) {
                        name.setName(user);
                    } else if (cb instanceof PasswordCallback pw) {
                        pw.setPassword(password.clone());
                    } else {
                        throw new UnsupportedCallbackException(cb);
                    }
                }
            });
            context.login();
            return subject;
        } catch (LoginException e) {
            LOG.debug("login of {} refused by realm {}: {}", user, realm, e.toString());
            throw new UnauthenticatedException("user name or password is wrong");
        } catch (SecurityException | IllegalArgumentException e) {
            LOG.warn("JAAS realm {} cannot check logins: {}", realm, e.toString());
            throw new UnauthenticatedException("the login realm '" + realm + "' is not available");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public Caller of(Subject subject) {
        String user = null;
        Set<Grant> grants = new HashSet<>();
        List<String> principals = new ArrayList<>();
        for (Principal p : subject.getPrincipals()) {
            String kind = p.getClass().getSimpleName();
            if (kind.equals("UserPrincipal")) {
                user = p.getName();
            } else if (kind.equals("RolePrincipal")) {
                Grant g = Grant.fromRoleName(p.getName());
                if (g != null) {
                    grants.add(g);
                }
            } else if (kind.equals("GroupPrincipal")) {
                principals.add("group:" + p.getName());
            }
        }
        if (user == null) {
            return null;
        }
        principals.add(user);
        for (PrincipalGrant stored : store.grantsOf(principals)) {
            grants.add(stored.grant());
        }
        return new Caller(user, Caller.Kind.USER, grants);
    }

    @Override
    public Caller bearer(String secret) {
        if (!Secrets.plausible(secret)) {
            throw new UnauthenticatedException("the bearer token is not one of this platform's tokens");
        }
        Optional<ApiToken> found = store.tokenByHash(Secrets.hash(secret));
        if (found.isEmpty()) {
            throw new UnauthenticatedException("the bearer token is unknown");
        }
        ApiToken token = found.get();
        Instant now = clock.instant();
        if (token.revokedAt() != null) {
            throw new UnauthenticatedException("the token '" + token.name() + "' was revoked");
        }
        if (token.expiresAt() != null && !now.isBefore(token.expiresAt())) {
            throw new UnauthenticatedException("the token '" + token.name() + "' expired at " + token.expiresAt());
        }
        if (token.taskExecutionId() != null) {
            checkTaskRuns(token);
            return new Caller(token.principal(), Caller.Kind.TASK, Set.copyOf(token.grants()));
        }
        return new Caller(token.principal(), Caller.Kind.TOKEN, Set.copyOf(token.grants()));
    }

    /** A task's token works while its task execution has not ended. */
    private void checkTaskRuns(ApiToken token) {
        SchedulerService s = scheduler;
        if (s == null) {
            throw new UnauthenticatedException("task tokens cannot be checked while the scheduler is stopped");
        }
        TaskExecution task;
        try {
            task = s.task(token.taskExecutionId());
        } catch (RuntimeException e) {
            throw new UnauthenticatedException("the task of token '" + token.name() + "' does not exist");
        }
        if (task.status().isFinal()) {
            store.revokeTaskTokens(token.taskExecutionId(), clock.instant());
            throw new UnauthenticatedException("the token of task execution " + token.taskExecutionId()
                    + " ended with its task (" + task.status() + ")");
        }
    }

    /** A cache key that does not keep the password: SHA-256 of user and password. */
    private static String fingerprint(String user, char[] password) {
        return Secrets.hash(user + "\u0000" + new String(password));
    }
}

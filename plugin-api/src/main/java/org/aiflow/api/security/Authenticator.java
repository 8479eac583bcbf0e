package org.aiflow.api.security;

import javax.security.auth.Subject;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns credentials into a {@link Caller}: a user name and password checked by the configured
 * Karaf JAAS realm (roles from the realm's role and group principals, plus stored grants), or a
 * token's secret.
 */
@ProviderType
public interface Authenticator {

    /** @throws org.aiflow.api.error.UnauthenticatedException if the realm refuses them */
    Caller basic(String user, char[] password);

    /** @throws org.aiflow.api.error.UnauthenticatedException if the token is unknown, revoked, expired or its task ended */
    Caller bearer(String secret);

    /**
     * The caller a JAAS subject stands for (a console session), with its realm roles and stored
     * grants; null if the subject holds no user principal.
     */
    Caller of(Subject subject);
}

package org.aiflow.rest;

import java.security.Principal;

import javax.ws.rs.core.SecurityContext;

import org.aiflow.api.error.UnauthenticatedException;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Role;

/** The authenticated caller of a request, as {@link Authentication} stored it in the request's security context. */
final class Callers {
    private Callers() {
    }

    /** The principal a request's security context carries: our caller. */
    record CallerPrincipal(Caller caller) implements Principal {
        @Override
        public String getName() {
            return caller.principal();
        }
    }

    /** The security context {@link Authentication} installs. */
    record CallerContext(Caller caller, boolean secure, String scheme) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return new CallerPrincipal(caller);
        }

        @Override
        public boolean isUserInRole(String role) {
            Role r = Role.find(role);
            return r != null && caller.mayEverywhere(r);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return scheme;
        }
    }

    /** The caller of this request; never null behind {@link Authentication}. */
    static Caller of(SecurityContext context) {
        Principal p = context == null ? null : context.getUserPrincipal();
        if (p instanceof CallerPrincipal cp) {
            return cp.caller();
        }
        // only reachable if the authentication filter is missing from the application: refuse, never allow
        throw new UnauthenticatedException("credentials required");
    }
}

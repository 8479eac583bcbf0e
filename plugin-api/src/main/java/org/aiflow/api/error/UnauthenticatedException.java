package org.aiflow.api.error;

/**
 * The caller did not prove who it is: no credentials, a wrong password, an unknown, revoked or
 * expired token. Code {@code unauthenticated} (HTTP 401).
 */
public class UnauthenticatedException extends AiflowException {
    private static final long serialVersionUID = 1L;

    public UnauthenticatedException(String message) {
        super("unauthenticated", message, null);
    }
}

package org.aiflow.rest;

import org.aiflow.api.error.TooLargeException;

/** A request body over the configured cap. */
final class PayloadTooLargeException extends TooLargeException {
    private static final long serialVersionUID = 1L;

    PayloadTooLargeException(long cap) {
        super("request body exceeds the limit of " + cap + " bytes");
    }
}

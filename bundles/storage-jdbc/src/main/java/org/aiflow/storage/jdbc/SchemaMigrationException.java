package org.aiflow.storage.jdbc;

import org.aiflow.api.error.AiflowException;

/**
 * The schema migrator refused to start the storage, having changed nothing: an applied migration
 * script differs from the one this release ships ({@link #SCRIPT_CHANGED}), or another node held the
 * migration lock for longer than this one waits ({@link #LOCK_TIMEOUT}). A script that fails in the
 * database is reported as the {@link java.sql.SQLException} it caused.
 */
public final class SchemaMigrationException extends AiflowException {
    private static final long serialVersionUID = 1L;

    /** An applied script's checksum differs from the stored one. */
    public static final String SCRIPT_CHANGED = "schema_script_changed";
    /** The migration lock was not free within the wait. */
    public static final String LOCK_TIMEOUT = "schema_lock_timeout";

    SchemaMigrationException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}

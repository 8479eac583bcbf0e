package org.aiflow.storage.h2;

import java.nio.file.Path;
import java.sql.SQLException;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * Recognises that another process holds the H2 file: H2 locks it while open, so a second platform
 * node pointed at the same file fails to open it, either in {@link CrashRecovery}'s direct
 * {@code MVStore} open ("The file is locked", MVStore error 7) or in H2's JDBC open ("Database may
 * be already in use", SQL error 90020, inside HikariCP's {@code PoolInitializationException}).
 */
final class StoreInUse {
    /** H2's {@code ErrorCode.DATABASE_ALREADY_OPEN_1}. */
    static final int DATABASE_ALREADY_OPEN = 90020;

    private StoreInUse() {
    }

    /** Whether {@code failure} or one of its causes says that the file is locked by another process. */
    static boolean isInUse(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth++ < 20; t = t.getCause()) { // depth: H2's causes can be circular
            if (t instanceof MVStoreException m && m.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                return true;
            }
            if (t instanceof SQLException s && s.getErrorCode() == DATABASE_ALREADY_OPEN) {
                return true;
            }
        }
        return false;
    }

    /** The reason, for people: what happened and the two ways out. */
    static String reason(Path mvDb) {
        return "storage unavailable: the embedded H2 store " + mvDb + " is in use by another AI Flow process: H2 is single-node;"
                + " give this node its own data directory (etc/org.aiflow.storage.h2.cfg file), or use MariaDB"
                + " (docs/operations.md#mariadb); this node opens the store as soon as the other process stops";
    }
}

package org.aiflow.security;

import java.time.Clock;
import java.util.List;

import org.aiflow.api.security.AuditEntry;
import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Caller;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.api.spi.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The audit log in the backend's {@link SecurityStore}; each entry is also logged (logger {@code org.aiflow.audit}). */
@Component(service = AuditLog.class)
public class StoredAuditLog implements AuditLog {
    private static final Logger AUDIT = LoggerFactory.getLogger("org.aiflow.audit");
    private static final Logger LOG = LoggerFactory.getLogger(StoredAuditLog.class);
    private final SecurityStore store;
    private final Clock clock;

    @Activate
    public StoredAuditLog(@Reference StorageBackend storage) {
        this(storage.securityStore(), Clock.systemUTC());
    }

    // no public constructor of the same arity beside the @Activate one: Felix SCR tries each and logs
    // an ERROR ("Constructor argument 0 ... has unsupported type") for the one whose types it cannot inject
    public static StoredAuditLog of(SecurityStore store) {
        return new StoredAuditLog(store, Clock.systemUTC());
    }

    StoredAuditLog(SecurityStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void record(Caller by, String action, String namespace, String target, String detail) {
        String ns = namespace == null ? "" : namespace;
        String what = target == null ? "" : clip(target, 255);
        String more = detail == null ? "" : clip(detail, 1024);
        AUDIT.info("{} {} {} {} {}", by.principal(), action, ns, what, more);
        try {
            store.appendAudit(clock.instant(), by.principal(), action, ns, what, more);
        } catch (RuntimeException e) {
            // the change itself is committed: losing its audit line must not turn it into an error
            LOG.warn("audit entry not stored ({} {} {} {}): {}", by.principal(), action, ns, what, e.toString());
        }
    }

    @Override
    public List<AuditEntry> list(AuditQuery query) {
        return store.audit(query);
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

package org.aiflow.api.security;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Who changed what: every change made through REST or the console, with its principal. */
@ProviderType
public interface AuditLog {

    /** Records a change made by {@code by}; never throws for a storage hiccup (logs it instead). */
    void record(Caller by, String action, String namespace, String target, String detail);

    List<AuditEntry> list(AuditQuery query);
}

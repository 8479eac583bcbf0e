package org.aiflow.security;

import java.time.Clock;
import java.util.List;

import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.GrantService;
import org.aiflow.api.security.PrincipalGrant;
import org.aiflow.api.security.Role;
import org.aiflow.api.spi.storage.SecurityStore;
import org.aiflow.api.spi.storage.StorageBackend;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Grants stored per principal, changed by admins and recorded in the audit log. */
@Component(service = GrantService.class)
public class StoredGrants implements GrantService {
    private final SecurityStore store;
    private final AuditLog audit;
    private final Clock clock;

    @Activate
    public StoredGrants(@Reference StorageBackend storage, @Reference AuditLog audit) {
        this(storage.securityStore(), audit, Clock.systemUTC());
    }

    // no public constructor of the same arity beside the @Activate one: Felix SCR tries each and logs
    // an ERROR ("Constructor argument 0 ... has unsupported type") for the one whose types it cannot inject
    public static StoredGrants of(SecurityStore store, AuditLog audit) {
        return new StoredGrants(store, audit, Clock.systemUTC());
    }

    StoredGrants(SecurityStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public List<PrincipalGrant> list() {
        return store.grants();
    }

    @Override
    public List<Grant> grantsOf(String principal) {
        return store.grantsOf(List.of(principal)).stream().map(PrincipalGrant::grant).toList();
    }

    @Override
    public PrincipalGrant add(String principal, Grant grant, Caller by) {
        by.requireEverywhere(Role.ADMIN);
        PrincipalGrant g = new PrincipalGrant(principal, grant, clock.instant(), by.principal());
        if (store.addGrant(g)) {
            audit.record(by, "grant.add", grant.namespace(), principal, grant.toString());
        }
        return g;
    }

    @Override
    public boolean remove(String principal, Grant grant, Caller by) {
        by.requireEverywhere(Role.ADMIN);
        boolean removed = store.removeGrant(principal, grant);
        if (removed) {
            audit.record(by, "grant.remove", grant.namespace(), principal, grant.toString());
        }
        return removed;
    }
}

package org.aiflow.api.security;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Grants stored for principals, on top of the roles their JAAS realm gives them. Admins change them. */
@ProviderType
public interface GrantService {

    /** Every stored grant, by principal. */
    List<PrincipalGrant> list();

    /** The grants stored for {@code principal}. */
    List<Grant> grantsOf(String principal);

    /** Adds a grant; adding one that exists changes nothing. */
    PrincipalGrant add(String principal, Grant grant, Caller by);

    /** Removes a grant; @return false if there was none. */
    boolean remove(String principal, Grant grant, Caller by);
}

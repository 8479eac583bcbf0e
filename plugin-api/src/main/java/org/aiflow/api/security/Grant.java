package org.aiflow.api.security;

import org.aiflow.api.error.Names;
import org.aiflow.api.error.ValidationException;

/**
 * A role in one namespace, or everywhere. Written {@code operator@churn} (in namespace
 * {@code churn}) or {@code operator} (every namespace), in Karaf roles, tokens and the grants API.
 *
 * @param role      the role granted
 * @param namespace the namespace it applies to; null for every namespace
 */
public record Grant(Role role, String namespace) {
    public Grant {
        if (role == null) {
            throw new ValidationException("a grant needs a role");
        }
        if (namespace != null) {
            Names.identifier("namespace", namespace);
        }
    }

    public static Grant global(Role role) {
        return new Grant(role, null);
    }

    /** Parses {@code role} or {@code role@namespace}. */
    public static Grant parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ValidationException("a grant is written role or role@namespace, got an empty one");
        }
        int at = text.indexOf('@');
        return at < 0 ? new Grant(Role.of(text), null) : new Grant(Role.of(text.substring(0, at)), text.substring(at + 1).trim());
    }

    /** The grant a Karaf role name stands for, or null if it is not one of ours. */
    public static Grant fromRoleName(String name) {
        if (name == null) {
            return null;
        }
        int at = name.indexOf('@');
        Role role = Role.find(at < 0 ? name.trim() : name.substring(0, at).trim());
        if (role == null) {
            return null;
        }
        try {
            return new Grant(role, at < 0 ? null : name.substring(at + 1).trim());
        } catch (ValidationException e) {
            return null;
        }
    }

    /** True if this grant allows {@code wanted} in {@code ns} (null ns: every namespace). */
    public boolean allows(Role wanted, String ns) {
        return role.includes(wanted) && (namespace == null || namespace.equals(ns));
    }

    @Override
    public String toString() {
        return namespace == null ? role.id() : role.id() + "@" + namespace;
    }
}

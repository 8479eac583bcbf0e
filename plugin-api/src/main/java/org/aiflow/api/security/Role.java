package org.aiflow.api.security;

import java.util.Locale;

import org.aiflow.api.error.ValidationException;

/**
 * What a caller may do, each role including the ones before it: {@code viewer} reads;
 * {@code operator} publishes events, starts and stops executions and tasks, changes model stages,
 * logs metric values and lineage; {@code author} uploads, enables, disables and deletes workflows
 * (it decides which commands run); {@code admin} manages tokens, grants, other principals'
 * subscriptions, plugins and configuration.
 */
public enum Role {
    VIEWER, OPERATOR, AUTHOR, ADMIN;

    /** True if holding this role allows what {@code other} allows. */
    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    /** The lower-case name used in grants, Karaf roles and JSON ({@code viewer}, ...). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id} (case-insensitive). */
    public static Role of(String id) {
        if (id != null) {
            for (Role r : values()) {
                if (r.id().equalsIgnoreCase(id.trim())) {
                    return r;
                }
            }
        }
        throw new ValidationException("role '" + id + "' is unknown: use viewer, operator, author or admin");
    }

    /** The role named {@code id}, or null if it names none (e.g. one of Karaf's other roles). */
    public static Role find(String id) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(id)) {
                return r;
            }
        }
        return null;
    }
}

package org.aiflow.rest;

import java.util.List;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Role;

/** Reading rules of the REST resources on top of {@link Caller}'s (which lists and queries leave out what the caller may not read). */
final class Access {
    private Access() {
    }

    /**
     * The namespaces a query over {@code asked} (empty: all) may read: {@code asked} itself if the
     * caller may read each of them (403 otherwise), or, for "all", every namespace (a global viewer,
     * the empty list) or just those it may read.
     */
    static List<String> readable(Caller caller, List<String> asked) {
        List<String> namespaces = caller.readableNamespaces(asked);
        return namespaces == null ? List.of() : namespaces;
    }

    /** Reading something that belongs to no namespace (plugins, version numbers): viewer anywhere. */
    static void requireSomeViewer(Caller caller) {
        if (!caller.mayAnywhere(Role.VIEWER)) {
            throw new ForbiddenException(caller.principal() + " holds no role");
        }
    }
}

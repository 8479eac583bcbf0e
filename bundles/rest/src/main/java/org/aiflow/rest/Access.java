package org.aiflow.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Role;

/** The reading rules every resource applies the same way: lists leave out what the caller may not read. */
final class Access {
    private Access() {
    }

    /**
     * The namespaces a query over {@code asked} (empty: all) may read: {@code asked} itself if the
     * caller may read each of them (403 otherwise), or, for "all", every namespace (a global viewer,
     * the empty list) or just those it may read.
     */
    static List<String> readable(Caller caller, List<String> asked) {
        List<String> given = asked == null ? List.of() : asked.stream().filter(s -> s != null && !s.isEmpty()).toList();
        if (!given.isEmpty()) {
            caller.requireAll(Role.VIEWER, given);
            return given;
        }
        Set<String> mine = caller.namespacesWith(Role.VIEWER);
        if (mine == null) {
            return List.of();
        }
        if (mine.isEmpty()) {
            throw new ForbiddenException(caller.principal() + " may read no namespace");
        }
        return new ArrayList<>(mine);
    }

    /** {@code items} without those in namespaces the caller may not read. */
    static <T> List<T> filter(Caller caller, List<T> items, Function<T, String> namespace) {
        if (caller.mayEverywhere(Role.VIEWER)) {
            return items;
        }
        return items.stream().filter(i -> caller.may(Role.VIEWER, namespace.apply(i))).toList();
    }

    /** Reading something that belongs to no namespace (plugins, version numbers): viewer anywhere. */
    static void requireSomeViewer(Caller caller) {
        if (!caller.mayAnywhere(Role.VIEWER)) {
            throw new ForbiddenException(caller.principal() + " holds no role");
        }
    }
}

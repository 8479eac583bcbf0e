package org.aiflow.api.security;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.aiflow.api.error.ForbiddenException;
import org.aiflow.api.error.ValidationException;

/**
 * Who is calling, as authenticated, with what it may do.
 *
 * @param principal the name recorded with every change it makes: a user name, {@code token:<name>}
 *                  for an API token, {@code task:<id>} for a job's own identity, {@code system:...}
 *                  for the platform itself
 * @param kind      how it proved who it is
 * @param grants    its roles, global or per namespace
 */
public record Caller(String principal, Kind kind, Set<Grant> grants) {
    public enum Kind { USER, TOKEN, TASK, SYSTEM }

    /** The platform acting by itself (scheduler, console of an embedding host): every permission. */
    public static final Caller SYSTEM = new Caller("system", Kind.SYSTEM, Set.of(Grant.global(Role.ADMIN)));

    public Caller {
        if (principal == null || principal.isBlank() || principal.length() > 128) {
            throw new ValidationException("a principal needs 1-128 characters");
        }
        if (kind == null) {
            throw new ValidationException("a caller needs a kind");
        }
        grants = grants == null ? Set.of() : Set.copyOf(grants);
    }

    public static Caller system(String name) {
        return new Caller("system:" + name, Kind.SYSTEM, Set.of(Grant.global(Role.ADMIN)));
    }

    /** True if it holds {@code role} (or a higher one) in {@code namespace} or everywhere. */
    public boolean may(Role role, String namespace) {
        for (Grant g : grants) {
            if (g.allows(role, namespace)) {
                return true;
            }
        }
        return false;
    }

    /** True if it holds {@code role} (or a higher one) in every namespace. */
    public boolean mayEverywhere(Role role) {
        for (Grant g : grants) {
            if (g.namespace() == null && g.role().includes(role)) {
                return true;
            }
        }
        return false;
    }

    /** True if it holds {@code role} in at least one namespace. */
    public boolean mayAnywhere(Role role) {
        for (Grant g : grants) {
            if (g.role().includes(role)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The namespaces where it holds {@code role}, or null if it holds it everywhere (no filter
     * needed). Empty if nowhere.
     */
    public Set<String> namespacesWith(Role role) {
        if (mayEverywhere(role)) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        for (Grant g : grants) {
            if (g.role().includes(role)) {
                out.add(g.namespace());
            }
        }
        return out;
    }

    /** Throws {@link ForbiddenException} unless it holds {@code role} in {@code namespace}. */
    public void require(Role role, String namespace) {
        if (!may(role, namespace)) {
            throw new ForbiddenException(principal + " needs the role " + role.id()
                    + (namespace == null ? "" : " in namespace '" + namespace + "'") + " for this");
        }
    }

    /** Namespaces the platform publishes into itself (task status events in {@code aiflow.tasks}). */
    public static final String PLATFORM_NAMESPACE_PREFIX = "aiflow.";

    /**
     * Throws {@link ForbiddenException} unless it may publish events into {@code namespace}:
     * {@code operator} there, and {@code admin} for the platform's own namespaces ({@code aiflow.*}),
     * whose events (task status changes) other workflows' rules trust.
     */
    public void requirePublish(String namespace) {
        require(Role.OPERATOR, namespace);
        if (namespace != null && namespace.startsWith(PLATFORM_NAMESPACE_PREFIX) && !mayEverywhere(Role.ADMIN)) {
            throw new ForbiddenException(principal + " may not publish into '" + namespace
                    + "': namespaces starting with 'aiflow.' are the platform's own (admins only)");
        }
    }

    /** Throws {@link ForbiddenException} unless it holds {@code role} in every namespace. */
    public void requireEverywhere(Role role) {
        if (!mayEverywhere(role)) {
            throw new ForbiddenException(principal + " needs the role " + role.id() + " in every namespace for this");
        }
    }

    /** Throws {@link ForbiddenException} unless it holds {@code role} in each of {@code namespaces}. */
    public void requireAll(Role role, Collection<String> namespaces) {
        for (String ns : namespaces) {
            require(role, ns);
        }
    }

    /** {@code items} without those of namespaces it may not read (the rule every listing applies). */
    public <T> List<T> readable(List<T> items, Function<T, String> namespaceOf) {
        if (mayEverywhere(Role.VIEWER)) {
            return items;
        }
        return items.stream().filter(i -> may(Role.VIEWER, namespaceOf.apply(i))).toList();
    }

    /**
     * The namespaces a query over {@code asked} may cover: those asked for (null or empty: all),
     * each checked; for all, null if it may read everywhere, else the namespaces it may read.
     *
     * @throws ForbiddenException if it may not read one asked for, or may read nowhere
     */
    public List<String> readableNamespaces(List<String> asked) {
        List<String> given = asked == null ? List.of() : asked.stream().filter(s -> s != null && !s.isEmpty()).toList();
        if (!given.isEmpty()) {
            requireAll(Role.VIEWER, given);
            return given;
        }
        Set<String> mine = namespacesWith(Role.VIEWER);
        if (mine == null) {
            return null;
        }
        if (mine.isEmpty()) {
            throw new ForbiddenException(principal + " needs the role viewer for this");
        }
        return List.copyOf(mine);
    }

    /** The highest role it holds anywhere, or null: for display. */
    public Role highestRole() {
        Role best = null;
        for (Grant g : grants) {
            if (best == null || g.role().includes(best)) {
                best = g.role();
            }
        }
        return best;
    }
}

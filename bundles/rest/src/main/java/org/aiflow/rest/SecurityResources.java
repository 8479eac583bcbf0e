package org.aiflow.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.aiflow.api.error.NotFoundException;
import org.aiflow.api.error.ValidationException;
import org.aiflow.api.security.ApiToken;
import org.aiflow.api.security.AuditEntry;
import org.aiflow.api.security.AuditLog;
import org.aiflow.api.security.AuditQuery;
import org.aiflow.api.security.Caller;
import org.aiflow.api.security.Grant;
import org.aiflow.api.security.GrantService;
import org.aiflow.api.security.IssuedToken;
import org.aiflow.api.security.PrincipalGrant;
import org.aiflow.api.security.Role;
import org.aiflow.api.security.TokenDraft;
import org.aiflow.api.security.TokenService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Who is calling ({@code /whoami}), API tokens ({@code /tokens}, admin), stored grants
 * ({@code /grants}, admin) and the audit log ({@code /audit}: admin, or anyone for their own entries).
 */
public final class SecurityResources {
    private SecurityResources() {
    }

    public record Me(String principal, String kind, List<String> grants) {
    }

    public record CreateToken(String name, String principal, List<String> grants, String expiresAt) {
    }

    /** A token as listed; {@code state} is {@code active}, {@code expired} or {@code revoked}. */
    public record TokenView(long id, String name, String principal, List<String> grants, String state, Instant createdAt,
                            String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy, Long taskExecutionId,
                            String prefix) {
        static TokenView of(ApiToken t) {
            String state = t.revokedAt() != null ? "revoked" : t.activeAt(Instant.now()) ? "active" : "expired";
            return new TokenView(t.id(), t.name(), t.principal(), t.grants().stream().map(Grant::toString).toList(), state,
                    t.createdAt(), t.createdBy(), t.expiresAt(), t.revokedAt(), t.revokedBy(), t.taskExecutionId(), t.prefix());
        }
    }

    /** A created token with its secret: shown this once. */
    public record CreatedToken(TokenView token, String secret) {
    }

    /** A page of tokens, newest first; {@code nextPageToken} null on the last page. */
    public record TokenList(List<TokenView> tokens, String nextPageToken) implements Paged {
    }

    public record GrantView(String principal, String grant, Instant createdAt, String createdBy) {
        static GrantView of(PrincipalGrant g) {
            return new GrantView(g.principal(), g.grant().toString(), g.createdAt(), g.createdBy());
        }
    }

    public record AddGrant(String principal, String grant) {
    }

    public record GrantList(List<GrantView> grants) {
    }

    /** A page newest first; {@code nextBefore} is the older form of {@code nextPageToken} (the last id of a full page). */
    public record Audit(List<AuditEntry> entries, String nextPageToken, Long nextBefore) implements Paged {
    }

    /** {@code /whoami}: the caller as authenticated, with its grants. */
    @Component(service = WhoAmI.class)
    @Path("whoami")
    @Produces(MediaType.APPLICATION_JSON)
    public static class WhoAmI {
        @GET
        public Me whoami(@Context SecurityContext sc) {
            Caller c = Callers.of(sc);
            return new Me(c.principal(), c.kind().name().toLowerCase(java.util.Locale.ROOT),
                    c.grants().stream().map(Grant::toString).sorted().toList());
        }

    }

    /** {@code /tokens}: API tokens, admin only. */
    @Component(service = Tokens.class)
    @Path("tokens")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Tokens {
        private final TokenService tokens;

        @Activate
        public Tokens(@Reference TokenService tokens) {
            this.tokens = tokens;
        }

        @POST
        @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
        public Response createToken(CreateToken request, @Context SecurityContext sc) {
            Caller c = Callers.of(sc);
            c.requireEverywhere(Role.ADMIN);
            if (request == null) {
                throw new ValidationException("a body {\"name\", \"grants\": [\"operator@ns\", ...], \"expiresAt\"} is required");
            }
            if (request.grants() == null || request.grants().isEmpty()) {
                throw new ValidationException("field 'grants' needs at least one grant, e.g. [\"operator@churn\"]");
            }
            List<Grant> parsed = request.grants().stream().map(Grant::parse).toList();
            Instant expires = Rest.instantParam(request.expiresAt(), "expiresAt");
            IssuedToken issued = tokens.create(new TokenDraft(request.name(), request.principal(), parsed, expires), c);
            return Response.created(URI.create("tokens/" + issued.token().id()))
                    .header("Cache-Control", "no-store")
                    .entity(new CreatedToken(TokenView.of(issued.token()), issued.secret())).build();
        }

        @GET
        public TokenList listTokens(@QueryParam("includeRevoked") boolean includeRevoked, @QueryParam("limit") String limit,
                                    @QueryParam("pageToken") String pageToken, @Context SecurityContext sc) {
            Callers.of(sc).requireEverywhere(Role.ADMIN);
            int max = (int) Rest.longParam(limit, "limit", 100, 1, 1000);
            String filters = PageToken.filters(Boolean.toString(includeRevoked));
            Long before = Rest.optionalLong(Rest.after("tokens", filters, pageToken, null, "beforeId"), "beforeId");
            List<ApiToken> page = tokens.list(includeRevoked, before == null ? 0 : before, max);
            String next = page.size() < max ? null : Long.toString(page.get(page.size() - 1).id());
            return new TokenList(page.stream().map(TokenView::of).toList(), PageToken.encode("tokens", filters, next));
        }

        @GET
        @Path("{id}")
        public TokenView token(@PathParam("id") String id, @Context SecurityContext sc) {
            Callers.of(sc).requireEverywhere(Role.ADMIN);
            long tokenId = Rest.pathNumber(id, "id", 1, Long.MAX_VALUE);
            return TokenView.of(tokens.token(tokenId));
        }

        @DELETE
        @Path("{id}")
        public TokenView revokeToken(@PathParam("id") String id, @Context SecurityContext sc) {
            Caller c = Callers.of(sc);
            c.requireEverywhere(Role.ADMIN);
            return TokenView.of(tokens.revoke(Rest.pathNumber(id, "id", 1, Long.MAX_VALUE), c));
        }

    }

    /** {@code /grants}: grants stored per principal, admin only. */
    @Component(service = Grants.class)
    @Path("grants")
    @Produces(MediaType.APPLICATION_JSON)
    public static class Grants {
        private final GrantService grants;

        @Activate
        public Grants(@Reference GrantService grants) {
            this.grants = grants;
        }

        @GET
        public GrantList listGrants(@Context SecurityContext sc) {
            Callers.of(sc).requireEverywhere(Role.ADMIN);
            return new GrantList(grants.list().stream().map(GrantView::of).toList());
        }

        @POST
        @Consumes({MediaType.APPLICATION_JSON, MediaTypes.ANY_JSON})
        public Response addGrant(AddGrant request, @Context SecurityContext sc) {
            Caller c = Callers.of(sc);
            c.requireEverywhere(Role.ADMIN);
            if (request == null || request.principal() == null || request.grant() == null) {
                throw new ValidationException("fields 'principal' (a user, or group:<name>) and 'grant' (e.g. operator@churn) are required");
            }
            PrincipalGrant g = grants.add(request.principal(), Grant.parse(request.grant()), c);
            return Response.status(201).entity(GrantView.of(g)).build();
        }

        @DELETE
        public Response removeGrant(@QueryParam("principal") String principal, @QueryParam("grant") String grant,
                                    @Context SecurityContext sc) {
            Caller c = Callers.of(sc);
            c.requireEverywhere(Role.ADMIN);
            if (principal == null || principal.isEmpty() || grant == null || grant.isEmpty()) {
                throw new ValidationException("query parameters 'principal' and 'grant' are required");
            }
            if (!grants.remove(principal, Grant.parse(grant), c)) {
                throw new NotFoundException("principal '" + principal + "' has no stored grant " + grant);
            }
            return Response.noContent().build();
        }

    }

    /** {@code /audit}: the audit log, newest first: admins see all, others only their own entries. */
    @Component(service = AuditTrail.class)
    @Path("audit")
    @Produces(MediaType.APPLICATION_JSON)
    public static class AuditTrail {
        private final AuditLog audit;

        @Activate
        public AuditTrail(@Reference AuditLog audit) {
            this.audit = audit;
        }

        @GET
        public Audit audit(@QueryParam("principal") String principal, @QueryParam("namespace") String namespace,
                           @QueryParam("action") String action, @QueryParam("from") String from, @QueryParam("to") String to,
                           @QueryParam("before") String before, @QueryParam("pageToken") String pageToken,
                           @QueryParam("limit") String limit, @Context SecurityContext sc) {
            Caller c = Callers.of(sc);
            String who = principal == null || principal.isEmpty() ? null : principal;
            if (!c.mayEverywhere(Role.ADMIN)) {
                if (who != null && !who.equals(c.principal())) {
                    throw new org.aiflow.api.error.ForbiddenException(c.principal() + " may read only its own audit entries (admins read all)");
                }
                who = c.principal();
            }
            int max = (int) Rest.longParam(limit, "limit", 100, 1, AuditQuery.MAX_LIMIT);
            String filters = PageToken.filters(who, namespace, action, from, to);
            AuditQuery q = new AuditQuery(who, namespace == null || namespace.isEmpty() ? null : namespace,
                    action == null || action.isEmpty() ? null : action, Rest.instantParam(from, "from"), Rest.instantParam(to, "to"),
                    Rest.optionalLong(Rest.after("audit", filters, pageToken, before, "before"), "before"), max);
            List<AuditEntry> entries = audit.list(q);
            Long next = entries.size() < max ? null : entries.get(entries.size() - 1).id();
            return new Audit(entries, PageToken.encode("audit", filters, next == null ? null : next.toString()), next);
        }
    }
}

package org.aiflow.rest;

import java.lang.reflect.RecordComponent;
import java.util.function.LongSupplier;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;

import org.aiflow.api.error.AiflowException;
import org.aiflow.api.error.ValidationException;
import org.osgi.service.component.annotations.Component;

/**
 * Conditional updates: every answer that is a record with a {@code revision} (project, dataset,
 * model, model version, artifact, metric) carries {@code ETag: "<revision>"}, and a change may quote
 * it as {@code If-Match} instead of (or as well as) the body's or query's {@code revision}. An
 * {@code If-Match} that does not match the record's current revision is a 412
 * {@code precondition_failed} and changes nothing; {@code If-Match: *} matches any existing record.
 */
@Component(service = Conditional.class)
public class Conditional implements ContainerResponseFilter {
    static final String IF_MATCH = "If-Match";

    /** 412: the record is not at the revision the caller's If-Match names. */
    static final class PreconditionFailedException extends AiflowException {
        private static final long serialVersionUID = 1L;

        PreconditionFailedException(String message) {
            super("precondition_failed", message, null);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        Long revision = status >= 200 && status < 300 ? revisionOf(response.getEntity()) : null;
        if (revision != null) {
            response.getHeaders().putSingle("ETag", etag(revision));
        }
    }

    static String etag(long revision) {
        return "\"" + revision + "\"";
    }

    /** The {@code revision} of a record that has one, else null. */
    static Long revisionOf(Object entity) {
        if (entity == null || !entity.getClass().isRecord()) {
            return null;
        }
        for (RecordComponent c : entity.getClass().getRecordComponents()) {
            if (c.getName().equals("revision") && c.getType() == long.class) {
                try {
                    return (Long) c.getAccessor().invoke(entity);
                } catch (ReflectiveOperationException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * The revision a change runs against: the one quoted ({@code revision} in the body or query), or
     * {@code If-Match}'s. With {@code If-Match} the record's {@code current} revision is compared first:
     * a mismatch is a 412; both forms given must agree (else 400); neither is a 400 naming {@code what}.
     */
    static long revision(Long quoted, String ifMatch, LongSupplier current, String missing) {
        if (ifMatch == null || ifMatch.isBlank()) {
            if (quoted == null) {
                throw new ValidationException(missing + " (or the header If-Match with the ETag you read)");
            }
            return quoted;
        }
        String tag = ifMatch.trim();
        long now = current.getAsLong();
        if (tag.equals("*")) {
            return quoted == null ? now : quoted;
        }
        long wanted = parse(tag);
        if (quoted != null && quoted != wanted) {
            throw new ValidationException("If-Match " + tag + " and revision " + quoted + " disagree: send one of them");
        }
        if (now != wanted) {
            throw new PreconditionFailedException("the record is at revision " + now + " (ETag " + etag(now) + "), not " + tag
                    + ": read it again and retry");
        }
        return wanted;
    }

    /** An entity tag {@code "<revision>"} (a weak {@code W/"<revision>"} too): anything else is a 400. */
    private static long parse(String tag) {
        String t = tag.startsWith("W/") ? tag.substring(2) : tag;
        if (t.length() >= 3 && t.startsWith("\"") && t.endsWith("\"")) {
            try {
                long v = Long.parseLong(t.substring(1, t.length() - 1));
                if (v >= 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // falls through to the 400
            }
        }
        throw new ValidationException("header If-Match must be an ETag of this API (\"3\") or *, got " + tag);
    }
}

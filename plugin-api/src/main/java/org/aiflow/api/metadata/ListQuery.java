package org.aiflow.api.metadata;

import org.aiflow.api.error.ValidationException;

/**
 * One page of a metadata list, ordered by name. Validated on construction.
 *
 * @param namePrefix     only names starting with exactly this text (no wildcards: {@code %}, {@code _}
 *                       and backslashes are plain characters); null for all
 * @param type           only records of this type (a dataset's format, an artifact's type, a metric's
 *                       kind); null for all; ignored by lists without a type
 * @param afterName      the last name of the previous page, exclusive; null to start at the beginning
 * @param includeDeleted also soft-deleted records
 * @param limit          page size, 1-1000
 */
public record ListQuery(String namePrefix, String type, String afterName, boolean includeDeleted, int limit) {
    public static final int MAX_LIMIT = 1000;

    public ListQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit must be between 1 and " + MAX_LIMIT);
        }
        namePrefix = namePrefix == null || namePrefix.isEmpty() ? null : namePrefix;
        type = type == null || type.isEmpty() ? null : type;
        afterName = afterName == null || afterName.isEmpty() ? null : afterName;
    }

    /** The first page of everything not deleted. */
    public static ListQuery first(int limit) {
        return new ListQuery(null, null, null, false, limit);
    }

    /** The page after {@code lastName}, with the same filters. */
    public ListQuery after(String lastName) {
        return new ListQuery(namePrefix, type, lastName, includeDeleted, limit);
    }
}

package org.aiflow.rest;

/**
 * A page of a list: {@code nextPageToken} is the opaque token of the next page, null on the last.
 * {@link PageLinks} adds the matching {@code Link: <...>; rel="next"} header to every such answer.
 */
public interface Paged {
    String nextPageToken();
}

package org.aiflow.rest;

/** The one error body of the API: {@code {"status":400,"code":"invalid_argument","message":"..."}}. */
public record Problem(int status, String code, String message) {
}

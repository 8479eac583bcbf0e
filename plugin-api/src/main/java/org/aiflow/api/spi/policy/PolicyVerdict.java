package org.aiflow.api.spi.policy;

/** A policy's answer. {@code reason} is shown to users on DEFER and REJECT. */
public record PolicyVerdict(Kind kind, String reason) {

    public enum Kind {
        /** Go ahead (this policy has no objection). */
        PROCEED,
        /** Not now: the task stays queued and the action is reviewed again on the next tick. */
        DEFER,
        /** Never: the task execution ends FAILED with the reason. */
        REJECT
    }

    public static final PolicyVerdict PROCEED = new PolicyVerdict(Kind.PROCEED, "");

    public static PolicyVerdict defer(String reason) {
        return new PolicyVerdict(Kind.DEFER, reason);
    }

    public static PolicyVerdict reject(String reason) {
        return new PolicyVerdict(Kind.REJECT, reason);
    }
}

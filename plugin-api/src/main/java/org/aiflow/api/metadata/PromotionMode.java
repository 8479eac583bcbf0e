package org.aiflow.api.metadata;

/** What promoting a version to DEPLOYED does when another version of the model is DEPLOYED. */
public enum PromotionMode {
    /** The previously deployed version becomes DEPRECATED in the same transaction (the default). */
    DEPRECATE_PREVIOUS,
    /** The promotion is refused with a conflict. */
    REFUSE_IF_DEPLOYED
}

package org.aiflow.api.metadata;

import java.util.EnumSet;
import java.util.Set;

/**
 * Stages of a model version and the transitions allowed between them:
 *
 * <pre>
 * GENERATED  -> VALIDATED, DELETED
 * VALIDATED  -> DEPLOYED, DEPRECATED, DELETED
 * DEPLOYED   -> DEPRECATED
 * DEPRECATED -> DEPLOYED (roll back), DELETED
 * DELETED    -> (none)
 * </pre>
 *
 * At most one version of a model is DEPLOYED at a time.
 */
public enum ModelStage {
    GENERATED, VALIDATED, DEPLOYED, DEPRECATED, DELETED;

    /** The stages this one may move to. */
    public Set<ModelStage> next() {
        return switch (this) {
            case GENERATED -> EnumSet.of(VALIDATED, DELETED);
            case VALIDATED -> EnumSet.of(DEPLOYED, DEPRECATED, DELETED);
            case DEPLOYED -> EnumSet.of(DEPRECATED);
            case DEPRECATED -> EnumSet.of(DEPLOYED, DELETED);
            case DELETED -> EnumSet.noneOf(ModelStage.class);
        };
    }

    public boolean canMoveTo(ModelStage target) {
        return next().contains(target);
    }

    /** The type of the event published when a version enters this stage, e.g. {@code MODEL_DEPLOYED}. */
    public String eventType() {
        return "MODEL_" + name();
    }
}

package org.aiflow.api.metadata;

import org.aiflow.api.error.ValidationException;

/**
 * The record a lineage edge points at: a dataset or artifact by name, or one version of a model.
 * Validated on construction: {@code version} is 1 or more for a MODEL_VERSION and 0 otherwise.
 */
public record LineageEntity(Kind kind, String name, int version) {

    public enum Kind {
        DATASET,
        ARTIFACT,
        MODEL_VERSION
    }

    public LineageEntity {
        if (kind == null) {
            throw new ValidationException("a lineage entity needs a kind: DATASET, ARTIFACT or MODEL_VERSION");
        }
        MetadataNames.name("lineage entity name", name);
        if (kind == Kind.MODEL_VERSION && version < 1) {
            throw new ValidationException("a MODEL_VERSION lineage entity needs a version of 1 or more");
        }
        if (kind != Kind.MODEL_VERSION && version != 0) {
            throw new ValidationException("only a MODEL_VERSION lineage entity has a version");
        }
    }

    public static LineageEntity dataset(String name) {
        return new LineageEntity(Kind.DATASET, name, 0);
    }

    public static LineageEntity artifact(String name) {
        return new LineageEntity(Kind.ARTIFACT, name, 0);
    }

    public static LineageEntity modelVersion(String modelName, int version) {
        return new LineageEntity(Kind.MODEL_VERSION, modelName, version);
    }
}

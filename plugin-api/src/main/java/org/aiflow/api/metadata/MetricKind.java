package org.aiflow.api.metadata;

/** What a metric measures: a dataset (e.g. row count, null ratio) or a model (e.g. AUC, loss). */
public enum MetricKind {
    DATASET,
    MODEL
}

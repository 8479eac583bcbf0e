package org.aiflow.api.metadata;

/** Whether a task execution read (consumed) or wrote (produced) a record. */
public enum LineageDirection {
    READ,
    WROTE
}

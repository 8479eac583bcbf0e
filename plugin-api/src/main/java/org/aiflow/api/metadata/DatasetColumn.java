package org.aiflow.api.metadata;

import org.aiflow.api.error.Names;

/** One named, typed column of a dataset's schema; the type is free text (e.g. {@code DOUBLE}, {@code string}). */
public record DatasetColumn(String name, String type) {
    public DatasetColumn {
        Names.text("column name", name, 255);
        Names.text("column type", type, 128);
    }
}

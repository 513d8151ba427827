package org.engagement4j.core.annotation;

import java.util.Objects;

/**
 * One annotation of a tier as role mapping sees it, independent of the file format: the plain
 * input of {@link RoleMapping}. A null {@code value} reads as blank.
 */
record RawSpan(String id, long startMs, long endMs, String value) {

    RawSpan {
        Objects.requireNonNull(id, "id");
    }
}

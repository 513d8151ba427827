package org.engagement4j.core.annotation;

import java.util.Objects;

/** An annotation whose time the reader could not place, as role mapping sees it. */
record RawUnplaced(String id, String tierId, String reason) {

    RawUnplaced {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tierId, "tierId");
        Objects.requireNonNull(reason, "reason");
    }
}

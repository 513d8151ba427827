package org.engagement4j.core.elan;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code MEDIA_DESCRIPTOR} of the document header: a recording the annotations refer to.
 *
 * <p>The time origin is kept as written but not applied: annotation times are milliseconds from
 * the start of the video, as in the reference system (REFERENCE.md §1).
 *
 * @param mediaUrl the {@code MEDIA_URL} (usually a {@code file:} URL)
 * @param mimeType the {@code MIME_TYPE}, e.g. {@code video/mp4}
 * @param relativeMediaUrl the {@code RELATIVE_MEDIA_URL}, if given
 * @param timeOriginMs the {@code TIME_ORIGIN} in milliseconds, 0 if absent
 * @since 0.1.0
 */
public record MediaDescriptor(String mediaUrl, String mimeType, Optional<String> relativeMediaUrl,
        long timeOriginMs) {

    /** Checks for null. */
    public MediaDescriptor {
        Objects.requireNonNull(mediaUrl, "mediaUrl");
        Objects.requireNonNull(mimeType, "mimeType");
        Objects.requireNonNull(relativeMediaUrl, "relativeMediaUrl");
    }

    /**
     * @param mediaUrl the media URL
     * @param mimeType the MIME type
     * @return a descriptor without relative URL and with time origin 0
     */
    public static MediaDescriptor of(String mediaUrl, String mimeType) {
        return new MediaDescriptor(mediaUrl, mimeType, Optional.empty(), 0L);
    }
}

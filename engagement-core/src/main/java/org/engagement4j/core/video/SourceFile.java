package org.engagement4j.core.video;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identity of the recording a clip was made from: where it was, how long it was, when it was
 * last modified and the SHA-256 of its bytes. A cached clip is stale when the recording at hand
 * differs in size, or differs in modification time and also in content hash ({@link CacheStatus}).
 *
 * @param path the recording's absolute path when the clip was made (informational: a moved
 *     recording with the same content still matches)
 * @param size its length in bytes, {@code >= 0}
 * @param modified its last-modified time
 * @param sha256 the SHA-256 of its bytes, 64 lower-case hex digits
 * @since 0.1.0
 */
public record SourceFile(String path, long size, Instant modified, String sha256) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /**
     * @throws IllegalArgumentException if the size is negative or the hash is not 64 lower-case
     *     hex digits
     */
    public SourceFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(modified, "modified");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "source size %d must be >= 0", size));
        }
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "source sha256 '%s' must be 64 lower-case hex digits", sha256));
        }
    }
}

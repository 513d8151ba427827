package org.engagement4j.core.sampling;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The comparison set for human attention painting (paper Section 3.4; REFERENCE.md §8), with
 * what could not be found.
 *
 * @param seed the seed it was drawn with
 * @param painterSessions for each painter who got one, the session they will paint (one they
 *     never coded)
 * @param samples the samples, painter by painter (name order), then task, variable, positive
 *     before negative
 * @param missing samples that could not be found
 * @param unassignedPainters painters with no session they never coded among those given
 * @since 0.1.0
 */
public record ComparisonSet(long seed, Map<String, String> painterSessions,
        List<ComparisonSample> samples, List<MissingComparison> missing,
        List<String> unassignedPainters) {

    /** Copies the collections. */
    public ComparisonSet {
        painterSessions = Collections.unmodifiableMap(new TreeMap<>(
                Objects.requireNonNull(painterSessions, "painterSessions")));
        samples = List.copyOf(samples);
        missing = List.copyOf(missing);
        unassignedPainters = List.copyOf(unassignedPainters);
    }

    /**
     * @param painter a painter
     * @return that painter's samples
     */
    public List<ComparisonSample> samplesOf(String painter) {
        return samples.stream().filter(s -> s.painter().equals(painter)).toList();
    }
}

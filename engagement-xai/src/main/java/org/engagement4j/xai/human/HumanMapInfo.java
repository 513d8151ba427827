package org.engagement4j.xai.human;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.engagement4j.core.annotation.Variable;

/**
 * The description of one painted snippet, {@code info.json} of the reference's painting tool
 * (REFERENCE.md §8).
 *
 * @param session the recording's session name
 * @param annotator the coder who painted (the one who had not coded this session)
 * @param startMs the snippet's start, milliseconds from the start of the recording, at least 0
 *     (the file stores seconds, {@code start_time_s}; this library also writes {@code start_ms})
 * @param targetVariable the variable the snippet was chosen for, as the file names it: the
 *     reference's tier names {@code attending} (social engagement) or {@code participating}
 *     (task engagement), or any other name a caller's role mapping uses
 * @param consensusLabel the label the other coders agreed on: 1 engaged, 0 not engaged; empty
 *     when it is not known (a snippet painted outside a comparison set), written as
 *     {@code null} — never replaced by the painter's own label
 * @param labels the painter's own labels per tier, as chosen in the tool (e.g.
 *     {@code participating -> self}, {@code attending -> no}); may be empty; copied, in order
 * @param saved when the tool saved the snippet, as text (the reference writes Python's
 *     {@code str(datetime.now())}); empty when unknown
 * @since 0.1.0
 */
public record HumanMapInfo(String session, String annotator, long startMs, String targetVariable,
        OptionalInt consensusLabel, Map<String, String> labels, String saved) {

    /**
     * @throws NullPointerException if a component (or a label key or value) is null
     * @throws IllegalArgumentException if a name is blank, {@code startMs} is negative or the
     *     consensus label is not 0 or 1
     */
    public HumanMapInfo {
        requireName("session", session);
        requireName("annotator", annotator);
        requireName("targetVariable", targetVariable);
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(saved, "saved");
        if (startMs < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "startMs: %d, must be at least 0", startMs));
        }
        Objects.requireNonNull(consensusLabel, "consensusLabel");
        if (consensusLabel.isPresent() && consensusLabel.getAsInt() != 0
                && consensusLabel.getAsInt() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "consensusLabel: %d, must be 0 (not engaged) or 1 (engaged)",
                    consensusLabel.getAsInt()));
        }
        Map<String, String> copy = new LinkedHashMap<>();
        labels.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "label tier"),
                Objects.requireNonNull(v, "label value")));
        labels = Collections.unmodifiableMap(copy);
    }

    /**
     * A description with a known consensus label.
     *
     * @param session the recording's session name
     * @param annotator the coder who painted
     * @param startMs the snippet's start in milliseconds, at least 0
     * @param targetVariable the variable the snippet was chosen for
     * @param consensusLabel 1 engaged, 0 not engaged
     * @param labels the painter's own labels per tier
     * @param saved when the tool saved the snippet; empty when unknown
     * @throws IllegalArgumentException as the canonical constructor
     */
    public HumanMapInfo(String session, String annotator, long startMs, String targetVariable,
            int consensusLabel, Map<String, String> labels, String saved) {
        this(session, annotator, startMs, targetVariable, OptionalInt.of(consensusLabel), labels,
                saved);
    }

    private static void requireName(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + ": must not be blank");
        }
    }

    /** @return the start in seconds, {@code startMs / 1000}, as the reference stores it */
    public double startSeconds() {
        return startMs / 1000.0;
    }

    /**
     * @return the paper's variable behind {@link #targetVariable()}: {@code attending} or
     *     {@code social_engagement} is social engagement, {@code participating} or
     *     {@code task_engagement} task engagement (case-insensitive); empty for other names
     */
    public Optional<Variable> variable() {
        for (Variable v : Variable.values()) {
            if (v.referenceTier().equalsIgnoreCase(targetVariable)
                    || v.paperName().equalsIgnoreCase(targetVariable)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * The painter's own binary label for one tier, by the reference's rule: engaged unless the
     * value is {@code no} (REFERENCE.md §1).
     *
     * @param tier a tier name, e.g. {@code attending}
     * @return whether the painter labelled the snippet engaged; empty if the painter gave no
     *     label for that tier (or an empty one)
     */
    public Optional<Boolean> painterEngaged(String tier) {
        Objects.requireNonNull(tier, "tier");
        String v = labels.get(tier);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(!v.trim().equalsIgnoreCase("no"));
    }

    /**
     * The folder name the reference's tool gives a snippet:
     * {@code snippet_<index>__<annotator>_<session>_<whole seconds>s_<target variable>}.
     *
     * @param index the snippet's index in the tool's list, at least 0
     * @return the name
     * @throws IllegalArgumentException if {@code index} is negative
     */
    public String directoryName(int index) {
        if (index < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "index: %d, must be at least 0", index));
        }
        return String.format(Locale.ROOT, "snippet_%d__%s_%s_%ds_%s", index, annotator, session,
                startMs / 1000, targetVariable);
    }
}

package org.engagement4j.core.annotation;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Normalises annotation values before role mapping (REFERENCE.md §1): strip leading and trailing
 * white space, lower-case with {@link Locale#ROOT}, then replace the result by its synonym if it
 * has one. Coders write {@code " Attending"}, {@code "attendinh"} or {@code "egg"}; after
 * normalisation they all read as the canonical value.
 *
 * <p>The synonym lookup is one step, never transitive: a synonym's target may not itself be a
 * synonym key, which {@link #withSynonym(String, String)} enforces, so the result does not depend
 * on the order in which synonyms were added. Keys and targets are normalised (stripped and
 * lower-cased) when added.
 *
 * <p>Instances are immutable and thread-safe; {@code withX} methods return new instances.
 *
 * @since 0.1.0
 */
public final class ValueNormalizer {

    private static final ValueNormalizer STANDARD = new ValueNormalizer(Map.of());

    private final Map<String, String> synonyms;

    private ValueNormalizer(Map<String, String> synonyms) {
        this.synonyms = synonyms;
    }

    /** @return a normaliser that strips and lower-cases, without synonyms */
    public static ValueNormalizer standard() {
        return STANDARD;
    }

    /**
     * The corrections the reference coders' files needed: the typos {@code attednding},
     * {@code attendinh} (for {@code attending}), {@code excitied} (for {@code excited}) and
     * {@code egg} (for {@code eggs}). The reference code also renamed values of its {@code ignore}
     * tier; those are left out, because masked spans are masked whatever their value.
     *
     * @return the standard normaliser with the reference's typo corrections
     */
    public static ValueNormalizer reference() {
        return standard().withSynonym("attednding", "attending")
                .withSynonym("attendinh", "attending")
                .withSynonym("excitied", "excited")
                .withSynonym("egg", "eggs");
    }

    /**
     * @param from a value as written (normalised before it is stored)
     * @param to the value it stands for (normalised before it is stored)
     * @return a new normaliser that also maps {@code from} to {@code to}
     * @throws IllegalArgumentException if {@code from} is blank or already mapped to another
     *     value, or the mapping would chain ({@code to} is a synonym key, or {@code from} is the
     *     target of another synonym)
     * @throws NullPointerException if an argument is null
     */
    public ValueNormalizer withSynonym(String from, String to) {
        String f = basic(Objects.requireNonNull(from, "from"));
        String t = basic(Objects.requireNonNull(to, "to"));
        if (f.isEmpty()) {
            throw new IllegalArgumentException("synonym key is blank: a blank value cannot be"
                    + " renamed (list it among the not-engaged values instead)");
        }
        String existing = synonyms.get(f);
        if (existing != null && !existing.equals(t)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "synonym '%s' already maps to '%s', cannot also map it to '%s'", f, existing,
                    t));
        }
        if (f.equals(t)) {
            return this;
        }
        if (synonyms.containsKey(t)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "synonym '%s' -> '%s' would chain: '%s' is itself mapped to '%s'", f, t, t,
                    synonyms.get(t)));
        }
        if (synonyms.containsValue(f)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "synonym '%s' -> '%s' would chain: another synonym maps to '%s'", f, t, f));
        }
        TreeMap<String, String> copy = new TreeMap<>(synonyms);
        copy.put(f, t);
        return new ValueNormalizer(Collections.unmodifiableMap(copy));
    }

    /**
     * @param more synonyms to add, value as written to canonical value
     * @return a new normaliser with all of them added, as by {@link #withSynonym(String, String)}
     * @throws IllegalArgumentException as {@link #withSynonym(String, String)}
     */
    public ValueNormalizer withSynonyms(Map<String, String> more) {
        ValueNormalizer n = this;
        for (Map.Entry<String, String> e : new TreeMap<>(Objects.requireNonNull(more, "synonyms"))
                .entrySet()) {
            n = n.withSynonym(e.getKey(), e.getValue());
        }
        return n;
    }

    /** @return the synonyms, normalised key to normalised target, in key order (unmodifiable) */
    public Map<String, String> synonyms() {
        return synonyms;
    }

    /**
     * @param raw a value as written in the file; null reads as the empty string
     * @return the stripped, lower-cased value, replaced by its synonym if it has one
     */
    public String normalize(String raw) {
        String v = raw == null ? "" : basic(raw);
        return synonyms.getOrDefault(v, v);
    }

    /** Strip and lower-case, the part of normalisation that needs no configuration. */
    static String basic(String raw) {
        return raw.strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueNormalizer && synonyms.equals(((ValueNormalizer) o).synonyms);
    }

    @Override
    public int hashCode() {
        return synonyms.hashCode();
    }

    @Override
    public String toString() {
        return "ValueNormalizer" + synonyms;
    }
}

package org.engagement4j.core.elan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An ELAN annotation document ({@code .eaf}, formats 2.7 to 3.0) as far as this library needs
 * it: header, time slots, tiers with their placed annotations, linguistic types, and the
 * annotations that could not be placed in time. Controlled vocabularies, languages, licences
 * and external references are not kept.
 *
 * <p>Produced by {@link ElanReader}, written by {@link ElanWriter}; built in code by
 * {@link SyntheticCoding} and tests. The constructor checks the cross references that the
 * reader checks in files and throws {@link IllegalArgumentException} naming the culprit:
 * duplicate tier, slot, type or annotation ids; a parent tier that does not exist or a cycle
 * of parents; a reference to a missing annotation or time slot; time units other than
 * milliseconds.
 *
 * @param source where the document came from (a path, a stream name, or a label for documents
 *     built in code); used in error messages
 * @param format the {@code FORMAT} attribute, e.g. {@code 3.0}
 * @param version the {@code VERSION} attribute
 * @param timeUnits always {@code milliseconds}
 * @param media the media descriptors
 * @param timeSlots all time slots in {@code TIME_ORDER} order
 * @param tiers the tiers in file order
 * @param unplaced annotations that could not be placed in time (they are in no tier)
 * @param linguisticTypes the declared linguistic types (may be empty: the writer infers types)
 * @param author the {@code AUTHOR} attribute (may be empty)
 * @param date the {@code DATE} attribute as written ({@code xsd:dateTime}), if known
 * @since 0.1.0
 */
public record ElanDocument(String source, String format, String version, String timeUnits,
        List<MediaDescriptor> media, List<TimeSlot> timeSlots, List<Tier> tiers,
        List<UnplacedAnnotation> unplaced, List<LinguisticType> linguisticTypes, String author,
        Optional<String> date) {

    /** The only time unit supported. */
    public static final String MILLISECONDS = "milliseconds";

    /**
     * Copies the lists and checks the cross references.
     *
     * @throws IllegalArgumentException naming the culprit, see the class description
     */
    public ElanDocument {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(timeUnits, "timeUnits");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(date, "date");
        media = List.copyOf(media);
        timeSlots = List.copyOf(timeSlots);
        tiers = List.copyOf(tiers);
        unplaced = List.copyOf(unplaced);
        linguisticTypes = List.copyOf(linguisticTypes);
        if (!MILLISECONDS.equals(timeUnits)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: time units must be %s, got '%s'", source, MILLISECONDS, timeUnits));
        }
        check(source, timeSlots, tiers, unplaced, linguisticTypes);
    }

    /**
     * The constructor of the API contract: no linguistic types, empty author, no date.
     *
     * @param source where the document came from
     * @param format format
     * @param version version
     * @param timeUnits {@code milliseconds}
     * @param media media descriptors
     * @param timeSlots time slots
     * @param tiers tiers
     * @param unplaced unplaced annotations
     */
    public ElanDocument(String source, String format, String version, String timeUnits,
            List<MediaDescriptor> media, List<TimeSlot> timeSlots, List<Tier> tiers,
            List<UnplacedAnnotation> unplaced) {
        this(source, format, version, timeUnits, media, timeSlots, tiers, unplaced, List.of(), "",
                Optional.empty());
    }

    /**
     * A document in format 3.0 holding only tiers (the writer creates the time slots and infers
     * the linguistic types).
     *
     * @param source a label for messages
     * @param tiers the tiers
     * @return the document
     */
    public static ElanDocument of(String source, List<Tier> tiers) {
        return new ElanDocument(source, "3.0", "3.0", MILLISECONDS, List.of(), List.of(), tiers,
                List.of());
    }

    private static void check(String source, List<TimeSlot> slots, List<Tier> tiers,
            List<UnplacedAnnotation> unplaced, List<LinguisticType> types) {
        Set<String> slotIds = new HashSet<>();
        for (TimeSlot s : slots) {
            if (!slotIds.add(s.id())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: duplicate time slot id %s", source, s.id()));
            }
        }
        Set<String> typeIds = new HashSet<>();
        for (LinguisticType t : types) {
            if (!typeIds.add(t.id())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: duplicate linguistic type id '%s'", source, t.id()));
            }
        }
        Map<String, Tier> byId = new HashMap<>();
        Map<String, Annotation> annotations = new HashMap<>();
        for (Tier t : tiers) {
            if (byId.put(t.id(), t) != null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: duplicate tier id '%s'", source, t.id()));
            }
            for (Annotation a : t.annotations()) {
                if (annotations.put(a.id(), a) != null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s, tier '%s': duplicate annotation id %s", source, t.id(), a.id()));
                }
                if (a.startSlotId().isPresent()) {
                    for (String ref : List.of(a.startSlotId().get(), a.endSlotId().get())) {
                        if (!slotIds.contains(ref)) {
                            throw new IllegalArgumentException(String.format(Locale.ROOT,
                                    "%s, tier '%s', annotation %s: unknown time slot %s", source,
                                    t.id(), a.id(), ref));
                        }
                    }
                }
            }
        }
        Set<String> unplacedIds = new HashSet<>();
        for (UnplacedAnnotation u : unplaced) {
            if (!unplacedIds.add(u.id())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s, tier '%s': duplicate unplaced annotation id %s", source, u.tierId(),
                        u.id()));
            }
            if (!byId.containsKey(u.tierId())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: unplaced annotation %s names unknown tier '%s'", source, u.id(),
                        u.tierId()));
            }
            if (annotations.containsKey(u.id())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s, tier '%s': annotation %s is both placed and unplaced", source,
                        u.tierId(), u.id()));
            }
        }
        for (Tier t : tiers) {
            if (t.parentRef().isPresent()) {
                checkParents(source, t, byId);
            }
        }
        checkReferenceChains(source, tiers, annotations);
    }

    /** Every reference chain must end at an alignable annotation: no dangling link, no cycle. */
    private static void checkReferenceChains(String source, List<Tier> tiers,
            Map<String, Annotation> annotations) {
        Set<String> grounded = new HashSet<>();
        List<String> path = new ArrayList<>();
        Set<String> onPath = new HashSet<>();
        for (Annotation start : allAnnotations(tiers)) {
            path.clear();
            onPath.clear();
            Annotation a = start;
            while (a.referencedId().isPresent() && !grounded.contains(a.id())) {
                if (!onPath.add(a.id())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s, tier '%s', annotation %s: its references form a cycle", source,
                            start.tierId(), start.id()));
                }
                path.add(a.id());
                Annotation next = annotations.get(a.referencedId().get());
                if (next == null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s, tier '%s', annotation %s: references unknown annotation %s",
                            source, a.tierId(), a.id(), a.referencedId().get()));
                }
                a = next;
            }
            grounded.addAll(path);
        }
    }

    private static List<Annotation> allAnnotations(List<Tier> tiers) {
        List<Annotation> all = new ArrayList<>();
        for (Tier t : tiers) {
            all.addAll(t.annotations());
        }
        return all;
    }

    private static void checkParents(String source, Tier tier, Map<String, Tier> byId) {
        Set<String> seen = new HashSet<>();
        seen.add(tier.id());
        Tier t = tier;
        while (t.parentRef().isPresent()) {
            String parent = t.parentRef().get();
            Tier p = byId.get(parent);
            if (p == null) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s, tier '%s': unknown parent tier '%s'", source, t.id(), parent));
            }
            if (!seen.add(parent)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s, tier '%s': its parent tiers form a cycle through '%s'", source,
                        tier.id(), parent));
            }
            t = p;
        }
    }

    /**
     * @param tierId a tier id
     * @return the tier, if present
     */
    public Optional<Tier> tier(String tierId) {
        for (Tier t : tiers) {
            if (t.id().equals(tierId)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** @return the tier ids in file order */
    public List<String> tierIds() {
        List<String> ids = new ArrayList<>(tiers.size());
        for (Tier t : tiers) {
            ids.add(t.id());
        }
        return ids;
    }

    /**
     * A linear search over all tiers; index the annotations yourself for many lookups.
     *
     * @param annotationId an annotation id
     * @return the placed annotation with that id, if any
     */
    public Optional<Annotation> annotation(String annotationId) {
        for (Tier t : tiers) {
            for (Annotation a : t.annotations()) {
                if (a.id().equals(annotationId)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    /** @return the number of placed annotations over all tiers */
    public int annotationCount() {
        int n = 0;
        for (Tier t : tiers) {
            n += t.annotations().size();
        }
        return n;
    }

    /** @return the number of time slots without a {@code TIME_VALUE} */
    public int unalignedSlotCount() {
        int n = 0;
        for (TimeSlot s : timeSlots) {
            if (!s.isAligned()) {
                n++;
            }
        }
        return n;
    }

    /**
     * @return the earliest start and latest end over all placed annotations, or empty if there
     *     is none
     */
    public Optional<org.engagement4j.core.annotation.Interval> timeRange() {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Tier t : tiers) {
            for (Annotation a : t.annotations()) {
                lo = Math.min(lo, a.startMs());
                hi = Math.max(hi, a.endMs());
            }
        }
        return lo > hi ? Optional.empty()
                : Optional.of(org.engagement4j.core.annotation.Interval.of(lo, hi));
    }

    /**
     * @param newSource another source label
     * @return a copy with another source (e.g. to compare a document with its written copy)
     */
    public ElanDocument withSource(String newSource) {
        return new ElanDocument(newSource, format, version, timeUnits, media, timeSlots, tiers,
                unplaced, linguisticTypes, author, date);
    }

    /**
     * @param newTiers the tiers
     * @return a copy holding other tiers (the slots and types are kept)
     */
    public ElanDocument withTiers(List<Tier> newTiers) {
        return new ElanDocument(source, format, version, timeUnits, media, timeSlots, newTiers,
                unplaced, linguisticTypes, author, date);
    }
}

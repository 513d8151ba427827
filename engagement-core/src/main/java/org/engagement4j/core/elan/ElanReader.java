package org.engagement4j.core.elan;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads ELAN annotation files ({@code .eaf}, formats 2.7 to 3.0) into {@link ElanDocument}s: the
 * first step of the annotation pipeline (REFERENCE.md §1), before the role mapping turns tiers
 * into task spans and engagement intervals.
 *
 * <h2>Security</h2>
 * The file is parsed with the JDK's own StAX parser with DTD support and external entities
 * switched off, and any document type declaration is rejected: no external entity (XXE), no
 * entity expansion ("billion laughs"), no network or file access beyond the file itself. Such
 * a file fails with an {@link ElanFormatException} naming it.
 *
 * <h2>Times</h2>
 * {@code TIME_UNITS} must be {@code milliseconds} (the default when absent); the media time
 * origin is kept but not applied. Unaligned time slots (no {@code TIME_VALUE}) are kept in
 * {@link ElanDocument#timeSlots()} and their times estimated, by two rules applied in order:
 * <ol>
 *   <li><b>Chains</b> (how ELAN draws unaligned time subdivisions): on one tier, alignable
 *   annotations linked end slot to start slot form a chain from an aligned slot at time
 *   {@code a} through unaligned slots {@code u1..uk} to an aligned slot at time {@code b >= a};
 *   slot {@code ui} gets {@code a + floor((b - a) * i / (k + 1))}, so the chain's annotations
 *   split {@code [a, b)} evenly. Tiers are taken in file order, the first estimate wins.</li>
 *   <li><b>{@code TIME_ORDER} neighbours</b>: a slot still without time lies in a run of
 *   {@code k} consecutive unaligned slots of {@code TIME_ORDER} between aligned slots at times
 *   {@code a} and {@code b}; the {@code i}-th of the run gets
 *   {@code a + floor((b - a) * i / (k + 1))}.</li>
 * </ol>
 * A slot with no aligned slot before or after it in {@code TIME_ORDER} and no chain stays
 * unresolved. An annotation using an unresolved slot, or whose estimated end falls before its
 * estimated start, is not placed: it is listed in {@link ElanDocument#unplaced()} with the
 * reason, never dropped silently, and so is every reference annotation that depends on it.
 * Annotations with an estimated time are flagged {@link Annotation#timeEstimated()}.
 *
 * <h2>Reference annotations</h2>
 * A {@code REF_ANNOTATION} takes the times of the annotation it references, following chains
 * of references to an alignable annotation.
 *
 * <h2>Errors</h2>
 * An {@link ElanFormatException} naming the file and, where known, line, tier, annotation and
 * time slot: malformed XML; a document type declaration; a root other than
 * {@code ANNOTATION_DOCUMENT}; a format outside 2.x / 3.x; time units other than milliseconds; a
 * missing required attribute; a {@code TIME_VALUE} that is not a non-negative whole number;
 * duplicate slot, tier or annotation ids; an unknown parent tier or a cycle of parents; an
 * annotation referring to an unknown time slot or annotation; a cycle of references; an end
 * before its start (between aligned slots). Formats 2.0 to 2.6 and 3.1 and later are read with
 * a warning in the log.
 *
 * <p>Immutable and thread-safe; each read uses its own parser.
 *
 * @since 0.1.0
 */
public final class ElanReader {

    private static final Logger LOG = LoggerFactory.getLogger(ElanReader.class);

    private static final ElanReader INSTANCE = new ElanReader();

    private ElanReader() {
    }

    /** @return a reader */
    public static ElanReader create() {
        return INSTANCE;
    }

    /**
     * Reads a file.
     *
     * @param file an {@code .eaf} file
     * @return the document; its {@link ElanDocument#source()} is {@code file.toString()}
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException if it cannot be read
     * @throws ElanFormatException if its content breaks a rule (see the class description)
     */
    public ElanDocument read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a stream (not closed here). The encoding comes from the XML declaration.
     *
     * @param in the {@code .eaf} content
     * @param sourceName a name for the document and for error messages (e.g. the file name)
     * @return the document
     * @throws IOException if the stream fails
     * @throws ElanFormatException if the content breaks a rule (see the class description)
     */
    public ElanDocument read(InputStream in, String sourceName) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(sourceName, "sourceName");
        EafParser.RawDocument raw;
        XMLStreamReader xr = null;
        try {
            xr = secureFactory().createXMLStreamReader(in);
            raw = new EafParser(xr, sourceName).parse();
            while (xr.hasNext()) {
                // Reading to the end makes trailing garbage an error, not a silent truncation.
                xr.next();
            }
        } catch (XMLStreamException e) {
            if (e.getNestedException() instanceof IOException io) {
                throw io;
            }
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
            throw new ElanFormatException(sourceName, line, null, null, null,
                    "malformed XML: " + cleanMessage(e), e);
        } finally {
            if (xr != null) {
                try {
                    xr.close();
                } catch (XMLStreamException e) {
                    LOG.debug("closing the XML reader of {} failed", sourceName, e);
                }
            }
        }
        return resolve(raw, sourceName);
    }

    private static XMLInputFactory secureFactory() {
        // The JDK's own implementation, whatever StAX provider is on the class path, so that the
        // security settings below mean what they say.
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setXMLResolver((publicId, systemId, base, ns) -> {
            throw new XMLStreamException("external resource " + systemId + " refused");
        });
        return f;
    }

    private static String cleanMessage(XMLStreamException e) {
        String m = String.valueOf(e.getMessage());
        int k = m.indexOf("Message: ");
        return (k >= 0 ? m.substring(k + "Message: ".length()) : m).trim();
    }

    private static ElanDocument resolve(EafParser.RawDocument raw, String source) {
        String format = raw.format() != null ? raw.format() : raw.version();
        if (format == null) {
            throw new ElanFormatException(source, raw.line(), null, null, null,
                    "<ANNOTATION_DOCUMENT> has neither FORMAT nor VERSION", null);
        }
        checkFormat(format.trim(), source, raw.line());
        String version = raw.version() != null ? raw.version() : format;

        // Slots.
        List<EafParser.RawSlot> rawSlots = raw.slots();
        Map<String, Integer> slotIndex = new HashMap<>(rawSlots.size() * 2);
        long[] values = new long[rawSlots.size()];
        for (int i = 0; i < rawSlots.size(); i++) {
            EafParser.RawSlot s = rawSlots.get(i);
            if (slotIndex.put(s.id(), i) != null) {
                throw new ElanFormatException(source, s.line(), null, null, s.id(),
                        "duplicate TIME_SLOT_ID", null);
            }
            values[i] = s.value();
        }

        // Tiers, annotation ids, slot references.
        Map<String, EafParser.RawTier> tierById = new HashMap<>();
        Map<String, EafParser.RawAnnotation> annById = new HashMap<>();
        List<int[]> tierEdges = new ArrayList<>(raw.tiers().size());
        for (EafParser.RawTier t : raw.tiers()) {
            if (tierById.put(t.id(), t) != null) {
                throw new ElanFormatException(source, t.line(), t.id(), null, null,
                        "duplicate TIER_ID", null);
            }
            int n = 0;
            for (EafParser.RawAnnotation a : t.annotations()) {
                if (!a.reference()) {
                    n++;
                }
            }
            int[] edges = new int[2 * n];
            int k = 0;
            for (EafParser.RawAnnotation a : t.annotations()) {
                EafParser.RawAnnotation prev = annById.put(a.id(), a);
                if (prev != null) {
                    throw new ElanFormatException(source, a.line(), t.id(), a.id(), null,
                            String.format(Locale.ROOT,
                                    "duplicate ANNOTATION_ID (first used in tier '%s', line %d)",
                                    prev.tierId(), prev.line()), null);
                }
                if (!a.reference()) {
                    edges[k++] = slotIndex(slotIndex, a, a.slot1(), source);
                    edges[k++] = slotIndex(slotIndex, a, a.slot2(), source);
                }
            }
            tierEdges.add(edges);
        }
        for (EafParser.RawTier t : raw.tiers()) {
            checkParents(t, tierById, source);
        }

        long[] resolved = new SlotResolver(values).resolve(tierEdges);
        List<TimeSlot> slots = new ArrayList<>(rawSlots.size());
        for (int i = 0; i < rawSlots.size(); i++) {
            String id = rawSlots.get(i).id();
            if (values[i] != SlotResolver.NONE) {
                slots.add(TimeSlot.aligned(id, values[i]));
            } else if (resolved[i] != SlotResolver.NONE) {
                slots.add(TimeSlot.estimated(id, resolved[i]));
            } else {
                slots.add(TimeSlot.unresolved(id));
            }
        }

        // Alignable annotations first, then references (which need their targets).
        Map<String, Annotation> placed = new HashMap<>(annById.size() * 2);
        Map<String, String> unplacedReason = new HashMap<>();
        for (EafParser.RawTier t : raw.tiers()) {
            for (EafParser.RawAnnotation a : t.annotations()) {
                if (!a.reference()) {
                    placeAlignable(a, slotIndex, slots, placed, unplacedReason, source);
                }
            }
        }
        for (EafParser.RawTier t : raw.tiers()) {
            for (EafParser.RawAnnotation a : t.annotations()) {
                if (a.reference()) {
                    placeReference(a, annById, placed, unplacedReason, source);
                }
            }
        }

        List<Tier> tiers = new ArrayList<>(raw.tiers().size());
        List<UnplacedAnnotation> unplaced = new ArrayList<>();
        for (EafParser.RawTier t : raw.tiers()) {
            List<Annotation> anns = new ArrayList<>(t.annotations().size());
            for (EafParser.RawAnnotation a : t.annotations()) {
                Annotation p = placed.get(a.id());
                if (p != null) {
                    anns.add(p);
                } else {
                    unplaced.add(new UnplacedAnnotation(a.id(), t.id(),
                            unplacedReason.get(a.id())));
                }
            }
            tiers.add(new Tier(t.id(), Optional.ofNullable(t.participant()),
                    Optional.ofNullable(t.annotator()), Optional.ofNullable(t.parent()), t.type(),
                    anns));
        }
        if (!unplaced.isEmpty()) {
            LOG.warn("{}: {} annotation(s) could not be placed in time, first: {} ({})", source,
                    unplaced.size(), unplaced.get(0).id(), unplaced.get(0).reason());
        }
        try {
            return new ElanDocument(source, format, version, raw.timeUnits(), raw.media(), slots,
                    tiers, unplaced, raw.types(), raw.author(), Optional.ofNullable(raw.date()));
        } catch (ElanFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // Everything the document checks was checked above with better locations; this is
            // a last line of defence, still naming the file.
            throw new ElanFormatException(source, null, null, e.getMessage());
        }
    }

    private static void checkFormat(String format, String source, int line) {
        int dot = format.indexOf('.');
        int major;
        int minor;
        try {
            major = Integer.parseInt(dot < 0 ? format : format.substring(0, dot));
            minor = dot < 0 ? 0 : Integer.parseInt(format.substring(dot + 1));
        } catch (NumberFormatException e) {
            throw new ElanFormatException(source, line, null, null, null, String.format(
                    Locale.ROOT, "FORMAT '%s' is not a version number like 3.0", format), e);
        }
        if (major != 2 && major != 3) {
            throw new ElanFormatException(source, line, null, null, null, String.format(
                    Locale.ROOT, "FORMAT %s is not supported; this reader knows ELAN formats 2.7"
                            + " to 3.0", format), null);
        }
        if ((major == 2 && minor < 7) || (major == 3 && minor > 0)) {
            LOG.warn("{}: ELAN format {} is outside the tested range 2.7 to 3.0; reading it"
                    + " anyway", source, format);
        }
    }

    private static int slotIndex(Map<String, Integer> slotIndex, EafParser.RawAnnotation a,
            String slotId, String source) {
        Integer i = slotIndex.get(slotId);
        if (i == null) {
            throw new ElanFormatException(source, a.line(), a.tierId(), a.id(), slotId,
                    "refers to a time slot that is not in TIME_ORDER", null);
        }
        return i;
    }

    private static void checkParents(EafParser.RawTier tier,
            Map<String, EafParser.RawTier> tierById, String source) {
        Set<String> seen = new HashSet<>();
        seen.add(tier.id());
        EafParser.RawTier t = tier;
        while (t.parent() != null) {
            EafParser.RawTier p = tierById.get(t.parent());
            if (p == null) {
                throw new ElanFormatException(source, t.line(), t.id(), null, null,
                        String.format(Locale.ROOT, "PARENT_REF names unknown tier '%s'",
                                t.parent()), null);
            }
            if (!seen.add(p.id())) {
                throw new ElanFormatException(source, tier.line(), tier.id(), null, null,
                        String.format(Locale.ROOT, "parent tiers form a cycle through '%s'",
                                p.id()), null);
            }
            t = p;
        }
    }

    private static void placeAlignable(EafParser.RawAnnotation a, Map<String, Integer> slotIndex,
            List<TimeSlot> slots, Map<String, Annotation> placed,
            Map<String, String> unplacedReason, String source) {
        TimeSlot s1 = slots.get(slotIndex.get(a.slot1()));
        TimeSlot s2 = slots.get(slotIndex.get(a.slot2()));
        for (TimeSlot s : new TimeSlot[] {s1, s2}) {
            if (!s.isResolved()) {
                unplacedReason.put(a.id(), String.format(Locale.ROOT,
                        "time slot %s has no TIME_VALUE and no estimate (no chain of"
                                + " annotations between aligned slots, no aligned slot both"
                                + " before and after it in TIME_ORDER)", s.id()));
                return;
            }
        }
        boolean estimated = s1.estimated() || s2.estimated();
        if (s2.resolvedMs() < s1.resolvedMs()) {
            if (!estimated) {
                throw new ElanFormatException(source, a.line(), a.tierId(), a.id(), null,
                        String.format(Locale.ROOT,
                                "end %d ms (slot %s) is before start %d ms (slot %s)",
                                s2.resolvedMs(), s2.id(), s1.resolvedMs(), s1.id()), null);
            }
            unplacedReason.put(a.id(), String.format(Locale.ROOT,
                    "estimated end %d ms (slot %s) is before estimated start %d ms (slot %s)",
                    s2.resolvedMs(), s2.id(), s1.resolvedMs(), s1.id()));
            return;
        }
        placed.put(a.id(), new Annotation(a.id(), a.tierId(), s1.resolvedMs(), s2.resolvedMs(),
                a.value(), estimated, Optional.empty(), Optional.empty(), Optional.of(s1.id()),
                Optional.of(s2.id())));
    }

    /** Follows the chain of references to its alignable root; iterative, cycle-safe. */
    private static void placeReference(EafParser.RawAnnotation start,
            Map<String, EafParser.RawAnnotation> annById, Map<String, Annotation> placed,
            Map<String, String> unplacedReason, String source) {
        if (placed.containsKey(start.id()) || unplacedReason.containsKey(start.id())) {
            return;
        }
        List<EafParser.RawAnnotation> path = new ArrayList<>();
        Set<String> onPath = new HashSet<>();
        EafParser.RawAnnotation a = start;
        Annotation root = null;
        String rootProblem = null;
        while (true) {
            Annotation done = placed.get(a.id());
            if (done != null) {
                root = done;
                break;
            }
            String why = unplacedReason.get(a.id());
            if (why != null) {
                rootProblem = a.id();
                break;
            }
            if (!onPath.add(a.id())) {
                throw new ElanFormatException(source, start.line(), start.tierId(), start.id(),
                        null, String.format(Locale.ROOT,
                                "its ANNOTATION_REF chain loops back to annotation %s", a.id()),
                        null);
            }
            path.add(a);
            EafParser.RawAnnotation target = annById.get(a.refId());
            if (target == null) {
                throw new ElanFormatException(source, a.line(), a.tierId(), a.id(), null,
                        String.format(Locale.ROOT,
                                "ANNOTATION_REF %s names no annotation in this file", a.refId()),
                        null);
            }
            a = target;
        }
        for (EafParser.RawAnnotation p : path) {
            if (root != null) {
                placed.put(p.id(), new Annotation(p.id(), p.tierId(), root.startMs(),
                        root.endMs(), p.value(), root.timeEstimated(), Optional.of(p.refId()),
                        Optional.ofNullable(p.previousId()), Optional.empty(),
                        Optional.empty()));
            } else {
                unplacedReason.put(p.id(), String.format(Locale.ROOT,
                        "references annotation %s, which could not be placed", rootProblem));
            }
        }
    }
}

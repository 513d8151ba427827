package org.engagement4j.core.elan;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.engagement4j.core.internal.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link ElanDocument}s as ELAN annotation files in format 3.0 (valid against
 * {@code EAFv3.0.xsd}), so that ELAN opens them and {@link ElanReader} reads them back.
 *
 * <p>What is written:
 * <ul>
 *   <li>the document's time slots as they are, in order (unaligned ones without
 *   {@code TIME_VALUE}, so reading the file back gives the same estimates);</li>
 *   <li>alignable annotations at their own slots when they have slot ids whose resolved times
 *   equal the annotation's times; otherwise (annotations built in code, or moved) at two new
 *   aligned slots {@code tsN} with fresh ids, merged into {@code TIME_ORDER} by time;</li>
 *   <li>reference annotations with their {@code ANNOTATION_REF} and
 *   {@code PREVIOUS_ANNOTATION} (their times come from the referenced annotation; the times
 *   stored in the reference annotation itself are not written);</li>
 *   <li>the declared linguistic types, plus one for every tier type that is not declared,
 *   inferred from the tier: reference annotations give a symbolic type (subdivision when an
 *   annotation is referenced more than once, else association), a dependent tier with alignable
 *   annotations {@code Included_In}, a top-level tier a plain time-alignable type; and the
 *   {@code CONSTRAINT}s these types use;</li>
 *   <li>{@code FORMAT="3.0" VERSION="3.0"}, the author, the date ({@code DATE}; the current time
 *   when the document has none, which makes such output differ from run to run), the media
 *   descriptors, and a {@code lastUsedAnnotationId} property so that ELAN numbers new
 *   annotations after the existing {@code aN} ids.</li>
 * </ul>
 * Reading the file back gives the same document except for its source, its format and version
 * (now 3.0), and, for annotations written at new slots, the slot ids and added slots.
 * Annotations listed in {@link ElanDocument#unplaced()} have no time and cannot be written;
 * they are left out with a warning in the log.
 *
 * <p>Files are written atomically: to a temporary file in the same folder, then moved over the
 * target, so a reader never sees half a file.
 *
 * <p>Bad documents fail before anything is written, with an {@link IllegalArgumentException}
 * naming the culprit: an id that is not an XML name ({@code NCName}, required by the schema for
 * slot and annotation ids), two slots / annotations / constraints sharing an id (the schema's
 * ids are document-wide), a time above {@code 4294967295} ms ({@code xsd:unsignedInt}), a
 * {@code PREVIOUS_ANNOTATION} that is not a reference annotation, a value with characters XML
 * 1.0 cannot hold.
 *
 * @since 0.1.0
 */
public final class ElanWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ElanWriter.class);

    /** {@code TIME_VALUE} is an {@code xsd:unsignedInt}. */
    static final long MAX_TIME_MS = 4_294_967_295L;

    private static final String NL = "\n";

    /** The lexical form of {@code xsd:dateTime}. */
    private static final Pattern XSD_DATE_TIME = Pattern.compile(
            "-?\\d{4,}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})?");

    private ElanWriter() {
    }

    /**
     * Writes a document to a file atomically (temporary file + move), replacing it if present.
     *
     * @param file the target {@code .eaf} file; its folder must exist
     * @param doc the document
     * @throws IOException if writing or moving fails (the target is then left as it was)
     * @throws IllegalArgumentException if the document cannot be written as valid EAF 3.0 (see
     *     the class description)
     */
    public static void write(Path file, ElanDocument doc) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(doc, "doc");
        Plan plan = plan(doc); // fails before any file is touched
        AtomicFiles.write(file, out -> emit(out, doc, plan));
    }

    /**
     * Writes a document to a stream as UTF-8 (the stream is flushed, not closed).
     *
     * @param out where to write
     * @param doc the document
     * @throws IOException if the stream fails
     * @throws IllegalArgumentException if the document cannot be written as valid EAF 3.0
     */
    public static void write(OutputStream out, ElanDocument doc) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(doc, "doc");
        emit(out, doc, plan(doc));
    }

    // ---------------------------------------------------------------- planning and checks

    /** Slot assignment and types decided before writing, so that errors leave no file. */
    private record Plan(List<String[]> timeOrder, Map<String, String[]> slotsOf,
            List<LinguisticType> types, Set<String> constraints, long lastUsedId) {
    }

    private static Plan plan(ElanDocument doc) {
        String src = doc.source();
        Set<String> ids = new HashSet<>();
        Map<String, TimeSlot> slotById = new HashMap<>();
        for (TimeSlot s : doc.timeSlots()) {
            checkName(src, null, null, s.id(), "time slot id");
            ids.add(s.id());
            slotById.put(s.id(), s);
            if (s.isAligned() && s.valueMs().getAsLong() > MAX_TIME_MS) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s, time slot %s: %d ms is above the largest TIME_VALUE %d", src,
                        s.id(), s.valueMs().getAsLong(), MAX_TIME_MS));
            }
        }
        checkChars(src, "author", doc.author());
        if (doc.date().isPresent() && !XSD_DATE_TIME.matcher(doc.date().get()).matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: DATE '%s' is not an xsd:dateTime like 2022-03-01T10:00:00+01:00", src,
                    doc.date().get()));
        }
        for (MediaDescriptor m : doc.media()) {
            checkChars(src, "media URL", m.mediaUrl());
            checkChars(src, "media MIME type", m.mimeType());
            checkChars(src, "relative media URL", m.relativeMediaUrl().orElse(""));
        }
        for (LinguisticType lt : doc.linguisticTypes()) {
            checkChars(src, "linguistic type id", lt.id());
        }
        Set<String> referenceIds = new HashSet<>();
        long lastUsed = 0;
        for (Tier t : doc.tiers()) {
            checkChars(src, "tier id", t.id());
            checkChars(src, "linguistic type of tier '" + t.id() + "'", t.linguisticType());
            checkChars(src, "participant of tier '" + t.id() + "'", t.participant().orElse(""));
            checkChars(src, "annotator of tier '" + t.id() + "'", t.annotator().orElse(""));
            for (Annotation a : t.annotations()) {
                checkName(src, t.id(), a.id(), a.id(), "annotation id");
                if (!ids.add(a.id())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s, tier '%s', annotation %s: the id is also used by a time slot;"
                                    + " EAF ids are unique in the whole document", src, t.id(),
                            a.id()));
                }
                if (a.isReference()) {
                    referenceIds.add(a.id());
                }
                checkText(src, t.id(), a.id(), a.value());
                lastUsed = Math.max(lastUsed, numericSuffix(a.id()));
            }
        }
        for (UnplacedAnnotation u : doc.unplaced()) {
            lastUsed = Math.max(lastUsed, numericSuffix(u.id()));
        }
        if (!doc.unplaced().isEmpty()) {
            LOG.warn("{}: {} unplaced annotation(s) have no time and are not written, first: {}"
                    + " in tier '{}' ({})", src, doc.unplaced().size(),
                    doc.unplaced().get(0).id(), doc.unplaced().get(0).tierId(),
                    doc.unplaced().get(0).reason());
        }

        // Alignable annotations keep their slots when these still hold their times.
        Map<String, String[]> slotsOf = new HashMap<>();
        List<long[]> fresh = new ArrayList<>(); // {time, sequence}
        List<String> freshIds = new ArrayList<>();
        int counter = 1;
        for (Tier t : doc.tiers()) {
            for (Annotation a : t.annotations()) {
                if (a.isReference()) {
                    if (a.previousId().isPresent()
                            && !referenceIds.contains(a.previousId().get())) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "%s, tier '%s', annotation %s: PREVIOUS_ANNOTATION %s is not a"
                                        + " reference annotation of this document", src, t.id(),
                                a.id(), a.previousId().get()));
                    }
                    continue;
                }
                if (a.endMs() > MAX_TIME_MS) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s, tier '%s', annotation %s: end %d ms is above the largest"
                                    + " TIME_VALUE %d", src, t.id(), a.id(), a.endMs(),
                            MAX_TIME_MS));
                }
                if (a.startSlotId().isPresent()
                        && holds(slotById.get(a.startSlotId().get()), a.startMs())
                        && holds(slotById.get(a.endSlotId().get()), a.endMs())) {
                    slotsOf.put(a.id(), new String[] {a.startSlotId().get(),
                        a.endSlotId().get()});
                    continue;
                }
                String[] pair = new String[2];
                long[] times = {a.startMs(), a.endMs()};
                for (int k = 0; k < 2; k++) {
                    String id;
                    do {
                        id = "ts" + counter++;
                    } while (ids.contains(id));
                    ids.add(id);
                    pair[k] = id;
                    fresh.add(new long[] {times[k], freshIds.size()});
                    freshIds.add(id);
                }
                slotsOf.put(a.id(), pair);
            }
        }
        fresh.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));

        // Merge the new aligned slots into TIME_ORDER by time, existing order kept.
        List<String[]> order = new ArrayList<>(doc.timeSlots().size() + fresh.size());
        int f = 0;
        long key = 0;
        for (TimeSlot s : doc.timeSlots()) {
            if (s.isResolved()) {
                key = s.resolvedMs();
            }
            while (f < fresh.size() && fresh.get(f)[0] < key) {
                order.add(new String[] {freshIds.get((int) fresh.get(f)[1]),
                    Long.toString(fresh.get(f)[0])});
                f++;
            }
            order.add(new String[] {s.id(),
                s.isAligned() ? Long.toString(s.valueMs().getAsLong()) : null});
        }
        for (; f < fresh.size(); f++) {
            order.add(new String[] {freshIds.get((int) fresh.get(f)[1]),
                Long.toString(fresh.get(f)[0])});
        }

        // Linguistic types: declared ones, then inferred ones for undeclared tier types.
        Map<String, LinguisticType> types = new LinkedHashMap<>();
        for (LinguisticType lt : doc.linguisticTypes()) {
            types.put(lt.id(), lt);
        }
        for (Tier t : doc.tiers()) {
            types.computeIfAbsent(t.linguisticType(), id -> infer(id, t));
        }
        Set<String> constraints = new LinkedHashSet<>();
        for (LinguisticType lt : types.values()) {
            if (lt.constraint().isPresent()) {
                String c = lt.constraint().get();
                checkName(src, null, null, c, "constraint stereotype of linguistic type '"
                        + lt.id() + "'");
                if (constraints.add(c) && !ids.add(c)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s: constraint %s has the id of a time slot or annotation; EAF ids"
                                    + " are unique in the whole document", src, c));
                }
            }
        }
        return new Plan(order, slotsOf, new ArrayList<>(types.values()), constraints, lastUsed);
    }

    private static boolean holds(TimeSlot slot, long ms) {
        return slot != null && slot.isResolved() && slot.resolvedMs() == ms;
    }

    private static LinguisticType infer(String id, Tier t) {
        if (t.referenceCount() > 0) {
            Set<String> seen = new HashSet<>();
            boolean repeated = false;
            for (Annotation a : t.annotations()) {
                if (a.isReference() && !seen.add(a.referencedId().get())) {
                    repeated = true;
                }
            }
            return new LinguisticType(id, false,
                    Optional.of(repeated ? "Symbolic_Subdivision" : "Symbolic_Association"));
        }
        if (t.parentRef().isPresent()) {
            return new LinguisticType(id, true, Optional.of("Included_In"));
        }
        return LinguisticType.topLevel(id);
    }

    /** @return N for an id {@code aN} (ELAN's numbering), else 0 */
    private static long numericSuffix(String id) {
        if (id.length() < 2 || id.length() > 18 || id.charAt(0) != 'a') {
            return 0;
        }
        for (int i = 1; i < id.length(); i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                return 0;
            }
        }
        return Long.parseLong(id.substring(1));
    }

    /** XML 1.0 (5th edition) NCName: a name without colon. */
    static boolean isNcName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int i = 0;
        boolean first = true;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            if (!(first ? isNameStart(c) : isNameStart(c) || isNameRest(c))) {
                return false;
            }
            first = false;
            i += Character.charCount(c);
        }
        return true;
    }

    private static boolean isNameStart(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
                || c >= 0xC0 && c <= 0xD6 || c >= 0xD8 && c <= 0xF6 || c >= 0xF8 && c <= 0x2FF
                || c >= 0x370 && c <= 0x37D || c >= 0x37F && c <= 0x1FFF
                || c >= 0x200C && c <= 0x200D || c >= 0x2070 && c <= 0x218F
                || c >= 0x2C00 && c <= 0x2FEF || c >= 0x3001 && c <= 0xD7FF
                || c >= 0xF900 && c <= 0xFDCF || c >= 0xFDF0 && c <= 0xFFFD
                || c >= 0x10000 && c <= 0xEFFFF;
    }

    private static boolean isNameRest(int c) {
        return c == '-' || c == '.' || c >= '0' && c <= '9' || c == 0xB7
                || c >= 0x300 && c <= 0x36F || c >= 0x203F && c <= 0x2040;
    }

    private static void checkName(String src, String tier, String annotation, String name,
            String what) {
        if (!isNcName(name)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s%s%s: %s '%s' is not an XML name (NCName: a letter or '_' first, then"
                            + " letters, digits, '-', '.', '_'), which EAF requires", src,
                    tier == null ? "" : ", tier '" + tier + "'",
                    annotation == null ? "" : ", annotation " + annotation, what, name));
        }
    }

    private static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF
                || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF;
    }

    private static void checkChars(String src, String what, String text) {
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            if (!isXmlChar(c)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: the %s holds character U+%04X at index %d, which XML 1.0 cannot"
                                + " represent", src, what, c, i));
            }
            i += Character.charCount(c);
        }
    }

    private static void checkText(String src, String tier, String annotation, String text) {
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            if (!isXmlChar(c)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s, tier '%s', annotation %s: the value holds character U+%04X at"
                                + " index %d, which XML 1.0 cannot represent", src, tier,
                        annotation, c, i));
            }
            i += Character.charCount(c);
        }
    }

    // ---------------------------------------------------------------- output

    private static void emit(OutputStream out, ElanDocument doc, Plan plan) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                1 << 16);
        w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + NL);
        String date = doc.date().orElseGet(() -> OffsetDateTime.now(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        w.write("<ANNOTATION_DOCUMENT AUTHOR=\"" + attr(doc.author()) + "\" DATE=\""
                + attr(date) + "\" FORMAT=\"3.0\" VERSION=\"3.0\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                + " xsi:noNamespaceSchemaLocation=\"http://www.mpi.nl/tools/elan/EAFv3.0.xsd\">"
                + NL);
        w.write("    <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\">" + NL);
        for (MediaDescriptor m : doc.media()) {
            w.write("        <MEDIA_DESCRIPTOR MEDIA_URL=\"" + attr(m.mediaUrl()) + "\" MIME_TYPE=\""
                    + attr(m.mimeType()) + "\"");
            if (m.relativeMediaUrl().isPresent()) {
                w.write(" RELATIVE_MEDIA_URL=\"" + attr(m.relativeMediaUrl().get()) + "\"");
            }
            if (m.timeOriginMs() != 0) {
                w.write(" TIME_ORIGIN=\"" + m.timeOriginMs() + "\"");
            }
            w.write("/>" + NL);
        }
        if (plan.lastUsedId() > 0) {
            w.write("        <PROPERTY NAME=\"lastUsedAnnotationId\">" + plan.lastUsedId()
                    + "</PROPERTY>" + NL);
        }
        w.write("    </HEADER>" + NL);
        if (plan.timeOrder().isEmpty()) {
            w.write("    <TIME_ORDER/>" + NL);
        } else {
            w.write("    <TIME_ORDER>" + NL);
            for (String[] s : plan.timeOrder()) {
                w.write("        <TIME_SLOT TIME_SLOT_ID=\"" + s[0] + "\"");
                if (s[1] != null) {
                    w.write(" TIME_VALUE=\"" + s[1] + "\"");
                }
                w.write("/>" + NL);
            }
            w.write("    </TIME_ORDER>" + NL);
        }
        for (Tier t : doc.tiers()) {
            w.write("    <TIER LINGUISTIC_TYPE_REF=\"" + attr(t.linguisticType()) + "\"");
            if (t.parentRef().isPresent()) {
                w.write(" PARENT_REF=\"" + attr(t.parentRef().get()) + "\"");
            }
            if (t.participant().isPresent()) {
                w.write(" PARTICIPANT=\"" + attr(t.participant().get()) + "\"");
            }
            if (t.annotator().isPresent()) {
                w.write(" ANNOTATOR=\"" + attr(t.annotator().get()) + "\"");
            }
            w.write(" TIER_ID=\"" + attr(t.id()) + "\"");
            if (t.annotations().isEmpty()) {
                w.write("/>" + NL);
                continue;
            }
            w.write(">" + NL);
            for (Annotation a : t.annotations()) {
                w.write("        <ANNOTATION>" + NL);
                if (a.isReference()) {
                    w.write("            <REF_ANNOTATION ANNOTATION_ID=\"" + a.id()
                            + "\" ANNOTATION_REF=\"" + a.referencedId().get() + "\"");
                    if (a.previousId().isPresent()) {
                        w.write(" PREVIOUS_ANNOTATION=\"" + a.previousId().get() + "\"");
                    }
                    w.write(">" + NL);
                    value(w, a.value());
                    w.write("            </REF_ANNOTATION>" + NL);
                } else {
                    String[] slots = plan.slotsOf().get(a.id());
                    w.write("            <ALIGNABLE_ANNOTATION ANNOTATION_ID=\"" + a.id()
                            + "\" TIME_SLOT_REF1=\"" + slots[0] + "\" TIME_SLOT_REF2=\""
                            + slots[1] + "\">" + NL);
                    value(w, a.value());
                    w.write("            </ALIGNABLE_ANNOTATION>" + NL);
                }
                w.write("        </ANNOTATION>" + NL);
            }
            w.write("    </TIER>" + NL);
        }
        for (LinguisticType lt : plan.types()) {
            w.write("    <LINGUISTIC_TYPE");
            if (lt.constraint().isPresent()) {
                w.write(" CONSTRAINTS=\"" + lt.constraint().get() + "\"");
            }
            w.write(" GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"" + attr(lt.id())
                    + "\" TIME_ALIGNABLE=\"" + lt.timeAlignable() + "\"/>" + NL);
        }
        for (String c : plan.constraints()) {
            String description = describe(c);
            w.write("    <CONSTRAINT");
            if (description != null) {
                w.write(" DESCRIPTION=\"" + attr(description) + "\"");
            }
            w.write(" STEREOTYPE=\"" + c + "\"/>" + NL);
        }
        w.write("</ANNOTATION_DOCUMENT>" + NL);
        w.flush();
    }

    private static void value(Writer w, String value) throws IOException {
        w.write("                <ANNOTATION_VALUE>");
        w.write(text(value));
        w.write("</ANNOTATION_VALUE>" + NL);
    }

    private static String describe(String stereotype) {
        switch (stereotype) {
            case "Time_Subdivision":
                return "Time subdivision of the parent annotation's interval, without gaps";
            case "Symbolic_Subdivision":
                return "Ordered symbolic subdivision of a parent annotation";
            case "Symbolic_Association":
                return "One-to-one association with a parent annotation";
            case "Included_In":
                return "Time-aligned annotations inside the parent annotation's interval,"
                        + " gaps allowed";
            default:
                return null;
        }
    }

    /** Escapes element text; a carriage return is kept as a reference (parsers drop it). */
    static String text(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
                    : c == '\r' ? "&#13;" : null;
            if (rep != null) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(rep);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Escapes an attribute value; whitespace other than space as references (parsers fold it). */
    static String attr(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    sb.append("&amp;");
                    break;
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\n':
                    sb.append("&#10;");
                    break;
                case '\r':
                    sb.append("&#13;");
                    break;
                case '\t':
                    sb.append("&#9;");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }
}

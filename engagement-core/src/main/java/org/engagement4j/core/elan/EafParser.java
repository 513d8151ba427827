package org.engagement4j.core.elan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One pass of a StAX cursor over an {@code .eaf} file into a raw model: ids and references as
 * written, nothing resolved yet. Elements this library does not model (controlled vocabularies,
 * languages, licences, external references, ...) are skipped.
 */
final class EafParser {

    /** A {@code TIME_SLOT} as written. */
    record RawSlot(String id, long value, int line) {
    }

    /** An {@code ALIGNABLE_ANNOTATION} or {@code REF_ANNOTATION} as written. */
    record RawAnnotation(String id, String tierId, boolean reference, String slot1, String slot2,
            String refId, String previousId, String value, int line) {
    }

    /** A {@code TIER} as written. */
    record RawTier(String id, String participant, String annotator, String parent, String type,
            int line, List<RawAnnotation> annotations) {
    }

    /** The whole document as written. */
    record RawDocument(int line, String format, String version, String author, String date,
            String timeUnits, List<MediaDescriptor> media, List<RawSlot> slots,
            List<RawTier> tiers, List<LinguisticType> types) {
    }

    private final XMLStreamReader r;
    private final String source;

    EafParser(XMLStreamReader reader, String source) {
        this.r = reader;
        this.source = source;
    }

    RawDocument parse() throws XMLStreamException {
        int ev = r.getEventType();
        while (ev != XMLStreamConstants.START_ELEMENT) {
            if (ev == XMLStreamConstants.DTD) {
                throw error(null, null, null,
                        "document type declarations (<!DOCTYPE ...>) are not allowed in ELAN"
                                + " files: they can define entities that read local files or"
                                + " expand without bound (XXE / entity expansion), so the file is"
                                + " rejected");
            }
            if (ev == XMLStreamConstants.END_DOCUMENT || !r.hasNext()) {
                throw error(null, null, null, "no root element");
            }
            ev = r.next();
        }
        if (!"ANNOTATION_DOCUMENT".equals(r.getLocalName())) {
            throw error(null, null, null, String.format(Locale.ROOT,
                    "root element is <%s>, expected <ANNOTATION_DOCUMENT> (not an ELAN annotation"
                            + " file)", r.getLocalName()));
        }
        int rootLine = line();
        String format = attr("FORMAT");
        String version = attr("VERSION");
        String author = attr("AUTHOR");
        String date = attr("DATE");
        String timeUnits = ElanDocument.MILLISECONDS;
        List<MediaDescriptor> media = new ArrayList<>();
        List<RawSlot> slots = new ArrayList<>();
        List<RawTier> tiers = new ArrayList<>();
        List<LinguisticType> types = new ArrayList<>();
        while (nextElementEvent() == XMLStreamConstants.START_ELEMENT) {
            switch (r.getLocalName()) {
                case "HEADER":
                    timeUnits = header(media);
                    break;
                case "TIME_ORDER":
                    timeOrder(slots);
                    break;
                case "TIER":
                    tiers.add(tier());
                    break;
                case "LINGUISTIC_TYPE":
                    types.add(linguisticType());
                    break;
                default:
                    skip();
            }
        }
        return new RawDocument(rootLine, format, version, author == null ? "" : author, date, timeUnits,
                media, slots, tiers, types);
    }

    private String header(List<MediaDescriptor> media) throws XMLStreamException {
        String units = attr("TIME_UNITS");
        if (units == null) {
            units = ElanDocument.MILLISECONDS;
        } else if (!ElanDocument.MILLISECONDS.equals(units)) {
            throw error(null, null, null, String.format(Locale.ROOT,
                    "TIME_UNITS is '%s'; only %s are supported (frame-based times need the"
                            + " frame rate, which the file does not give reliably)", units,
                    ElanDocument.MILLISECONDS));
        }
        while (nextElementEvent() == XMLStreamConstants.START_ELEMENT) {
            if ("MEDIA_DESCRIPTOR".equals(r.getLocalName())) {
                String url = required("MEDIA_URL", null, null);
                String mime = attr("MIME_TYPE");
                String rel = attr("RELATIVE_MEDIA_URL");
                String origin = attr("TIME_ORIGIN");
                long originMs = 0L;
                if (origin != null) {
                    originMs = parseLong(origin.trim(), "TIME_ORIGIN of media " + url, null);
                }
                media.add(new MediaDescriptor(url, mime == null ? "" : mime,
                        java.util.Optional.ofNullable(rel), originMs));
            }
            skip();
        }
        return units;
    }

    private void timeOrder(List<RawSlot> slots) throws XMLStreamException {
        while (nextElementEvent() == XMLStreamConstants.START_ELEMENT) {
            if ("TIME_SLOT".equals(r.getLocalName())) {
                int line = line();
                String id = required("TIME_SLOT_ID", null, null);
                String v = attr("TIME_VALUE");
                long value = SlotResolver.NONE;
                if (v != null) {
                    value = parseLong(v.trim(), "TIME_VALUE", id);
                    if (value < 0) {
                        throw error(null, null, id, String.format(Locale.ROOT,
                                "negative TIME_VALUE %d", value));
                    }
                }
                slots.add(new RawSlot(id, value, line));
            }
            skip();
        }
    }

    private RawTier tier() throws XMLStreamException {
        int line = line();
        String id = required("TIER_ID", null, null);
        String type = required("LINGUISTIC_TYPE_REF", id, null);
        RawTier tier = new RawTier(id, attr("PARTICIPANT"), attr("ANNOTATOR"), attr("PARENT_REF"),
                type, line, new ArrayList<>());
        while (nextElementEvent() == XMLStreamConstants.START_ELEMENT) {
            if ("ANNOTATION".equals(r.getLocalName())) {
                while (nextElementEvent() == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    if ("ALIGNABLE_ANNOTATION".equals(name) || "REF_ANNOTATION".equals(name)) {
                        tier.annotations().add(annotation(id, "REF_ANNOTATION".equals(name)));
                    } else {
                        skip();
                    }
                }
            } else {
                skip();
            }
        }
        return tier;
    }

    private RawAnnotation annotation(String tierId, boolean reference)
            throws XMLStreamException {
        int line = line();
        String id = required("ANNOTATION_ID", tierId, null);
        String slot1 = null;
        String slot2 = null;
        String refId = null;
        String previous = null;
        if (reference) {
            refId = required("ANNOTATION_REF", tierId, id);
            previous = attr("PREVIOUS_ANNOTATION");
        } else {
            slot1 = required("TIME_SLOT_REF1", tierId, id);
            slot2 = required("TIME_SLOT_REF2", tierId, id);
        }
        String value = "";
        while (nextElementEvent() == XMLStreamConstants.START_ELEMENT) {
            if ("ANNOTATION_VALUE".equals(r.getLocalName())) {
                value = r.getElementText();
            } else {
                skip();
            }
        }
        return new RawAnnotation(id, tierId, reference, slot1, slot2, refId, previous, value,
                line);
    }

    private LinguisticType linguisticType() throws XMLStreamException {
        String id = required("LINGUISTIC_TYPE_ID", null, null);
        String alignable = attr("TIME_ALIGNABLE");
        String constraint = attr("CONSTRAINTS");
        skip();
        // xsd:boolean; absent means alignable, as ELAN reads it.
        boolean timeAlignable = alignable == null || "true".equals(alignable.trim())
                || "1".equals(alignable.trim());
        return new LinguisticType(id, timeAlignable, java.util.Optional.ofNullable(
                constraint == null || constraint.isBlank() ? null : constraint.trim()));
    }

    /** Advances to the next start or end tag, skipping text, comments and instructions. */
    private int nextElementEvent() throws XMLStreamException {
        while (true) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT || ev == XMLStreamConstants.END_ELEMENT) {
                return ev;
            }
            if (ev == XMLStreamConstants.END_DOCUMENT) {
                throw error(null, null, null, "unexpected end of document");
            }
        }
    }

    /** At a start tag: consumes everything up to and including its end tag. */
    private void skip() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (ev == XMLStreamConstants.END_DOCUMENT) {
                throw error(null, null, null, "unexpected end of document");
            }
        }
    }

    private String attr(String name) {
        return r.getAttributeValue(null, name);
    }

    private String required(String name, String tierId, String annotationId) {
        String v = attr(name);
        if (v == null) {
            throw error(tierId, annotationId, null, String.format(Locale.ROOT,
                    "<%s> lacks the required attribute %s", r.getLocalName(), name));
        }
        return v;
    }

    private long parseLong(String text, String what, String slotId) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw error(null, null, slotId, String.format(Locale.ROOT,
                    "%s '%s' is not a whole number of milliseconds", what, text));
        }
    }

    private int line() {
        return r.getLocation() == null ? -1 : r.getLocation().getLineNumber();
    }

    private ElanFormatException error(String tierId, String annotationId, String slotId,
            String detail) {
        return new ElanFormatException(source, line(), tierId, annotationId, slotId, detail,
                null);
    }
}

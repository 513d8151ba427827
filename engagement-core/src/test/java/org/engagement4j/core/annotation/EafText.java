package org.engagement4j.core.annotation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small EAF 3.0 documents as text, so that role-mapping tests go through the real
 * {@code ElanReader}. Aligned time slots come first in time order; unaligned slots (time -1)
 * follow them, so they have no aligned neighbour after them and cannot be placed.
 */
final class EafText {

    private record Span(String id, long start, long end, String value) {
    }

    private final Map<String, List<Span>> tiers = new LinkedHashMap<>();
    private int nextId = 1;

    /** @return a document with the reference tiers: task spans 0-10 s, 10-20 s, 20-30 s */
    static EafText reference() {
        return new EafText().span("task", 0, 10_000, "people").span("task", 10_000, 20_000, "eggs")
                .span("task", 20_000, 30_000, "drums").tier("participating").tier("attending");
    }

    EafText tier(String tier) {
        tiers.computeIfAbsent(tier, k -> new ArrayList<>());
        return this;
    }

    EafText span(String tier, long start, long end, String value) {
        return span(tier, "a" + nextId++, start, end, value);
    }

    EafText span(String tier, String id, long start, long end, String value) {
        tiers.computeIfAbsent(tier, k -> new ArrayList<>()).add(new Span(id, start, end, value));
        return this;
    }

    EafText without(String tier) {
        tiers.remove(tier);
        return this;
    }

    String xml() {
        Map<Span, int[]> refs = new IdentityHashMap<>();
        List<Span> all = new ArrayList<>();
        tiers.values().forEach(all::addAll);
        List<Long> aligned = new ArrayList<>();
        int unaligned = 0;
        for (Span s : all) {
            for (long t : new long[] {s.start, s.end}) {
                if (t >= 0) {
                    aligned.add(t);
                } else {
                    unaligned++;
                }
            }
        }
        aligned.sort(null);
        // Slot ids follow TIME_ORDER; each span endpoint gets its own slot, as ELAN writes them.
        boolean[] used = new boolean[aligned.size()];
        int nextUnaligned = aligned.size();
        for (Span s : all) {
            int[] r = new int[2];
            long[] ends = {s.start, s.end};
            for (int k = 0; k < 2; k++) {
                if (ends[k] < 0) {
                    r[k] = nextUnaligned++;
                } else {
                    for (int i = 0; i < aligned.size(); i++) {
                        if (!used[i] && aligned.get(i) == ends[k]) {
                            used[i] = true;
                            r[k] = i;
                            break;
                        }
                    }
                }
            }
            refs.put(s, r);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<ANNOTATION_DOCUMENT AUTHOR=\"\" DATE=\"2022-02-14T10:00:00+01:00\""
                + " FORMAT=\"3.0\" VERSION=\"3.0\">\n");
        sb.append("  <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\"/>\n");
        sb.append("  <TIME_ORDER>\n");
        for (int i = 0; i < aligned.size(); i++) {
            sb.append("    <TIME_SLOT TIME_SLOT_ID=\"ts").append(i + 1).append("\" TIME_VALUE=\"")
                    .append(aligned.get(i)).append("\"/>\n");
        }
        for (int i = 0; i < unaligned; i++) {
            sb.append("    <TIME_SLOT TIME_SLOT_ID=\"ts").append(aligned.size() + i + 1)
                    .append("\"/>\n");
        }
        sb.append("  </TIME_ORDER>\n");
        for (Map.Entry<String, List<Span>> e : tiers.entrySet()) {
            sb.append("  <TIER LINGUISTIC_TYPE_REF=\"default-lt\" TIER_ID=\"").append(e.getKey())
                    .append("\">\n");
            for (Span s : e.getValue()) {
                int[] r = refs.get(s);
                sb.append("    <ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID=\"").append(s.id)
                        .append("\" TIME_SLOT_REF1=\"ts").append(r[0] + 1)
                        .append("\" TIME_SLOT_REF2=\"ts").append(r[1] + 1)
                        .append("\"><ANNOTATION_VALUE>").append(s.value)
                        .append("</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>\n");
            }
            sb.append("  </TIER>\n");
        }
        sb.append("  <LINGUISTIC_TYPE GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID="
                + "\"default-lt\" TIME_ALIGNABLE=\"true\"/>\n");
        sb.append("</ANNOTATION_DOCUMENT>\n");
        return sb.toString();
    }

    Path write(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, xml(), StandardCharsets.UTF_8);
        return p;
    }
}

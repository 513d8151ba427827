package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.elan.Annotation;
import org.engagement4j.core.elan.ElanDocument;
import org.engagement4j.core.elan.ElanReader;
import org.engagement4j.core.elan.MediaDescriptor;
import org.engagement4j.core.elan.Tier;
import org.engagement4j.core.elan.TimeSlot;
import org.engagement4j.core.elan.UnplacedAnnotation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code engagement eaf-info FILE.eaf}: what an ELAN file holds, as the reader sees it: format,
 * time units, media, time slots (unaligned, estimated, unresolved), time range, every tier with
 * its type, parent, participant, annotator and annotation counts, and the annotations that
 * could not be placed in time.
 */
@Command(name = "eaf-info", mixinStandardHelpOptions = true,
        header = "Summarise an ELAN .eaf file: tiers, counts, time range.",
        description = {"Summarise an ELAN annotation file (.eaf, formats 2.7 to 3.0): format,",
            "time units, tiers with annotation counts, time range, unaligned time slots and",
            "annotations that could not be placed in time."})
final class EafInfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.eaf", description = "The ELAN file.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    /** Counts over the time slots. */
    private record SlotCounts(int total, int unaligned, int estimated, int unresolved) {
        static SlotCounts of(List<TimeSlot> slots) {
            int unaligned = 0;
            int estimated = 0;
            for (TimeSlot s : slots) {
                if (!s.isAligned()) {
                    unaligned++;
                    if (s.isResolved()) {
                        estimated++;
                    }
                }
            }
            return new SlotCounts(slots.size(), unaligned, estimated, unaligned - estimated);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        ElanDocument d = ElanReader.create().read(file);
        SlotCounts slots = SlotCounts.of(d.timeSlots());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(toJson(d, slots)));
        } else {
            printText(out, d, slots);
        }
        out.flush();
        return 0;
    }

    private static int estimatedCount(Tier t) {
        int n = 0;
        for (Annotation a : t.annotations()) {
            if (a.timeEstimated()) {
                n++;
            }
        }
        return n;
    }

    private ObjectNode toJson(ElanDocument d, SlotCounts slots) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("file", file.toString());
        root.put("format", d.format());
        root.put("version", d.version());
        root.put("time_units", d.timeUnits());
        root.put("author", d.author());
        d.date().ifPresentOrElse(v -> root.put("date", v), () -> root.putNull("date"));
        ArrayNode media = root.putArray("media");
        for (MediaDescriptor m : d.media()) {
            ObjectNode n = media.addObject();
            n.put("url", m.mediaUrl());
            n.put("mime_type", m.mimeType());
            m.relativeMediaUrl().ifPresentOrElse(v -> n.put("relative_url", v),
                    () -> n.putNull("relative_url"));
            n.put("time_origin_ms", m.timeOriginMs());
        }
        ObjectNode ts = root.putObject("time_slots");
        ts.put("total", slots.total());
        ts.put("unaligned", slots.unaligned());
        ts.put("estimated", slots.estimated());
        ts.put("unresolved", slots.unresolved());
        Optional<Interval> range = d.timeRange();
        if (range.isPresent()) {
            ObjectNode r = root.putObject("time_range_ms");
            r.put("start", range.get().startMs());
            r.put("end", range.get().endMs());
        } else {
            root.putNull("time_range_ms");
        }
        int alignable = 0;
        int reference = 0;
        ArrayNode tiers = root.putArray("tiers");
        for (Tier t : d.tiers()) {
            ObjectNode n = tiers.addObject();
            n.put("id", t.id());
            n.put("linguistic_type", t.linguisticType());
            putOptional(n, "parent", t.parentRef());
            putOptional(n, "participant", t.participant());
            putOptional(n, "annotator", t.annotator());
            n.put("annotations", t.annotations().size());
            n.put("alignable", t.alignableCount());
            n.put("reference", t.referenceCount());
            n.put("estimated", estimatedCount(t));
            alignable += t.alignableCount();
            reference += t.referenceCount();
        }
        ObjectNode counts = root.putObject("annotations");
        counts.put("placed", alignable + reference);
        counts.put("alignable", alignable);
        counts.put("reference", reference);
        counts.put("unplaced", d.unplaced().size());
        ArrayNode unplaced = root.putArray("unplaced");
        for (UnplacedAnnotation u : d.unplaced()) {
            ObjectNode n = unplaced.addObject();
            n.put("id", u.id());
            n.put("tier", u.tierId());
            n.put("reason", u.reason());
        }
        return root;
    }

    private static void putOptional(ObjectNode n, String key, Optional<String> v) {
        if (v.isPresent()) {
            n.put(key, v.get());
        } else {
            n.putNull(key);
        }
    }

    private void printText(PrintWriter out, ElanDocument d, SlotCounts slots) {
        out.printf(Locale.ROOT, "file:         %s%n", file);
        out.printf(Locale.ROOT, "format:       %s (version %s)%n", d.format(), d.version());
        out.printf(Locale.ROOT, "time units:   %s%n", d.timeUnits());
        if (d.media().isEmpty()) {
            out.printf(Locale.ROOT, "media:        none%n");
        }
        for (MediaDescriptor m : d.media()) {
            out.printf(Locale.ROOT, "media:        %s (%s)%n", m.mediaUrl(), m.mimeType());
        }
        out.printf(Locale.ROOT, "time slots:   %d (%d unaligned: %d estimated, %d unresolved)%n",
                slots.total(), slots.unaligned(), slots.estimated(), slots.unresolved());
        Optional<Interval> range = d.timeRange();
        if (range.isPresent()) {
            out.printf(Locale.ROOT, "time range:   %d .. %d ms (%s .. %s)%n",
                    range.get().startMs(), range.get().endMs(), clock(range.get().startMs()),
                    clock(range.get().endMs()));
        } else {
            out.printf(Locale.ROOT, "time range:   none (no placed annotation)%n");
        }
        int alignable = 0;
        int reference = 0;
        for (Tier t : d.tiers()) {
            alignable += t.alignableCount();
            reference += t.referenceCount();
        }
        out.printf(Locale.ROOT,
                "annotations:  %d placed (%d alignable, %d reference), %d unplaced%n",
                alignable + reference, alignable, reference, d.unplaced().size());
        out.printf(Locale.ROOT, "tiers:        %d%n", d.tiers().size());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TIER", "TYPE", "PARENT", "PARTICIPANT", "ANNOTATOR", "ALIGNABLE",
            "REFERENCE", "ESTIMATED"});
        for (Tier t : d.tiers()) {
            rows.add(new String[] {t.id(), t.linguisticType(), t.parentRef().orElse("-"),
                t.participant().orElse("-"), t.annotator().orElse("-"),
                Integer.toString(t.alignableCount()), Integer.toString(t.referenceCount()),
                Integer.toString(estimatedCount(t))});
        }
        int[] width = new int[8];
        for (String[] r : rows) {
            for (int i = 0; i < 8; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder("  ");
            for (int i = 0; i < 8; i++) {
                String cell = i < 5 ? pad(r[i], width[i], false) : pad(r[i], width[i], true);
                sb.append(cell).append(i < 7 ? "  " : "");
            }
            out.println(sb.toString().stripTrailing());
        }
        if (!d.unplaced().isEmpty()) {
            out.printf(Locale.ROOT, "unplaced annotations: %d%n", d.unplaced().size());
            for (UnplacedAnnotation u : d.unplaced()) {
                out.printf(Locale.ROOT, "  %s (tier '%s'): %s%n", u.id(), u.tierId(), u.reason());
            }
        }
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    /** @return {@code h:mm:ss.SSS} */
    static String clock(long ms) {
        return String.format(Locale.ROOT, "%d:%02d:%02d.%03d", ms / 3_600_000,
                ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }
}

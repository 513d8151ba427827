package org.engagement4j.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.engagement4j.core.annotation.CodedSession;
import org.engagement4j.core.annotation.SessionLoader;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.core.sampling.ComparisonSample;
import org.engagement4j.core.sampling.ComparisonSet;
import org.engagement4j.core.sampling.ComparisonSetSelector;
import org.engagement4j.core.sampling.MissingComparison;
import org.engagement4j.core.training.ClipSource;
import org.engagement4j.core.video.Clip;
import org.engagement4j.examples.annotator.SnippetFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement snippets --eaf DIR --clips DIR --out DIR}: the comparison set for human
 * attention painting (paper Section 3.4; REFERENCE.md §8), chosen by
 * {@link ComparisonSetSelector} from the coded sessions and cut from their preprocessed clips
 * into the snippet folders that {@code engagement annotate --snippets OUT} serves.
 *
 * <p>The whole output folder is built beside {@code --out} and renamed into place in one step,
 * so a failure (a missing clip, a full disk) leaves nothing behind.
 */
@Command(name = "snippets", mixinStandardHelpOptions = true,
        header = "Choose the comparison set and write snippet folders for the annotator.",
        description = {"Chooses the comparison set as the paper did (REFERENCE.md §8): each",
            "painter gets a session they never coded (seeded shuffle); per task, variable",
            "and label, up to --tries uniform starts inside the span shared by all coders",
            "are drawn, and a window is kept when every coder of the session gives it that",
            "label and it overlaps none of the painter's earlier picks (at most 12 per",
            "painter with --per-label 1). Pass the test fold's ELAN files to follow the paper.",
            "Each sample's 15 frames are cut from <clips>/<session>/ (as 'preprocess'",
            "writes it, 3.125 fps) into",
            "OUT/<painter>_<session>_<task>_<variable>_<pos|neg>_<start>ms/",
            "(frames.npy + snippet.json). Then: engagement annotate --snippets OUT"})
final class SnippetsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--eaf", required = true, paramLabel = "DIR",
            description = "Folder of .eaf files, one per session and coder.")
    Path eaf;

    @Option(names = "--clips", required = true, paramLabel = "DIR",
            description = "Folder of preprocessed clips, one directory per session"
                    + " (<DIR>/<session>/frames.npy + clip.json).")
    Path clips;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder to write the snippet folders into; must not exist or be empty.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the session shuffle and the draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--painter", arity = "1..*", paramLabel = "NAME",
            description = "Painters (coder names); default: every coder of the sessions.")
    List<String> painters;

    @Option(names = "--per-label", defaultValue = "1", paramLabel = "N",
            description = "Samples per painter, task, variable and label (default:"
                    + " ${DEFAULT-VALUE}).")
    int perLabel;

    @Option(names = "--tries", defaultValue = "" + ComparisonSetSelector.DEFAULT_TRIES,
            paramLabel = "N",
            description = "Random starts per painter, task, variable and label (default:"
                    + " ${DEFAULT-VALUE}).")
    int tries;

    @Override
    public Integer call() throws Exception {
        checkOut();
        if (perLabel < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--per-label %d: must be >= 1", perLabel));
        }
        if (tries < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--tries %d: must be >= 1", tries));
        }
        List<CodedSession> sessions = SessionLoader.create().load(eaf).sessions();
        Set<String> coders = new TreeSet<>();
        sessions.forEach(s -> coders.addAll(s.coders().keySet()));
        Set<String> chosen = painters == null ? coders : new TreeSet<>(painters);
        for (String p : chosen) {
            if (!coders.contains(p)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--painter %s: no coder of that name in %s; the coders are %s", p, eaf,
                        coders));
            }
        }
        ComparisonSetSelector selector = ComparisonSetSelector.withDefaults().withTries(tries)
                .withSamplesPerLabel(perLabel);
        ComparisonSet set = selector.select(sessions, chosen, seed);

        // every clip is opened and checked before anything is written; the source keeps them open
        ClipSource source = ClipSource.ofDirectory(clips);
        Map<String, ComparisonSample> named = new TreeMap<>();
        Set<String> used = new HashSet<>();
        for (ComparisonSample s : set.samples()) {
            check(source.clip(s.session()), s, selector);
            named.put(uniqueName(s, used), s);
        }
        write(named, source);
        print(set, named);
        return 0;
    }

    /** Fails before any work when {@code --out} is a file or a folder with something in it. */
    private void checkOut() throws IOException {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--out %s: exists and is not a folder; give a new or empty folder", out));
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(out)) {
            if (ds.iterator().hasNext()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--out %s: folder is not empty; give a new or empty folder (nothing was"
                                + " written)", out));
            }
        }
    }

    private void check(Clip clip, ComparisonSample s, ComparisonSetSelector selector) {
        Path dir = clips.resolve(s.session());
        double fps = selector.shape().fps();
        if (Math.abs(clip.fps() - fps) > 1e-9) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip %s of session %s: %s fps, the comparison snippets need %s fps"
                            + " (preprocess with --fps %s)", dir, s.session(), clip.fps(), fps,
                    fps));
        }
        if ((long) s.startFrame() + s.frameCount() > clip.frames()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clip %s of session %s: %d frames, but the sample at %d ms needs frames %d to"
                            + " %d; is the clip cut shorter than the coding?", dir, s.session(),
                    clip.frames(), s.startMs(), s.startFrame(),
                    s.startFrame() + s.frameCount() - 1));
        }
    }

    /**
     * {@code painter_session_task_variable_label_startms}; painter and session keep letters,
     * digits and {@code -}, anything else becomes {@code -}; a numbered suffix keeps two names
     * that sanitise alike apart.
     */
    private static String uniqueName(ComparisonSample s, Set<String> used) {
        String base = String.format(Locale.ROOT, "%s_%s_%s_%s_%s_%dms", safe(s.painter()),
                safe(s.session()), s.task().paperName(), s.variable().paperName(),
                s.label() ? "pos" : "neg", s.startMs());
        String name = base;
        for (int k = 2; !used.add(name); k++) {
            name = base + "-" + k;
        }
        return name;
    }

    /** Keeps {@code _} as the separator of the name's parts, so a part never holds one. */
    private static String safe(String part) {
        return part.replaceAll("[^A-Za-z0-9\\-]", "-");
    }

    private void write(Map<String, ComparisonSample> named, ClipSource source)
            throws IOException {
        Path target = out.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = AtomicFiles.siblingDirectory(target);
        boolean done = false;
        try {
            for (Map.Entry<String, ComparisonSample> e : named.entrySet()) {
                SnippetFolders.write(tmp.resolve(e.getKey()),
                        source.clip(e.getValue().session()), e.getValue());
            }
            if (Files.exists(target)) {
                // an empty folder: rename(2) replaces it, and refuses if something appeared since
                AtomicFiles.move(tmp, target);
            } else {
                AtomicFiles.moveDirectory(tmp, target);
            }
            done = true;
        } finally {
            if (!done) {
                AtomicFiles.deleteTree(tmp);
            }
        }
    }

    private void print(ComparisonSet set, Map<String, ComparisonSample> named) {
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "%d snippet(s) written to %s (seed %d)%n", named.size(), out,
                set.seed());
        String fmt = "%-12s %-12s %-7s %-18s %-5s %10s  %s%n";
        pw.printf(Locale.ROOT, fmt, "painter", "session", "task", "variable", "label",
                "start_s", "folder");
        for (Map.Entry<String, ComparisonSample> e : named.entrySet()) {
            ComparisonSample s = e.getValue();
            pw.printf(Locale.ROOT, fmt, s.painter(), s.session(), s.task().paperName(),
                    s.variable().paperName(), s.label() ? "1" : "0",
                    String.format(Locale.ROOT, "%.3f", s.startMs() / 1000.0), e.getKey());
        }
        for (String p : set.unassignedPainters()) {
            pw.printf(Locale.ROOT, "not found: painter %s coded every session given%n", p);
        }
        for (MissingComparison m : set.missing()) {
            pw.printf(Locale.ROOT, "not found: %s %s %s %s label %d: %s%n", m.painter(),
                    m.session(), m.task().paperName(), m.variable().paperName(),
                    m.label() ? 1 : 0, m.reason());
        }
        pw.printf(Locale.ROOT, "next: engagement annotate --snippets %s%n", out);
        pw.flush();
    }
}

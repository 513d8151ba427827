package org.engagement4j.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;
import org.engagement4j.core.internal.AtomicFiles;

/**
 * File helpers of the demo: text written through a temporary sibling and a rename, the check
 * of the output folder, and the removal of a half-built run.
 */
final class DemoFiles {

    private DemoFiles() {
    }

    /** Writes UTF-8 text atomically: a reader sees the old file or the whole new one. */
    static void writeText(Path file, String text) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        AtomicFiles.writeString(target, text);
    }

    /**
     * The output folder must not exist yet, or be an empty folder, so that a run never mixes its
     * files with older ones.
     *
     * @throws IllegalArgumentException naming the folder and the rule broken
     */
    static void requireFreshOutput(Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--out %s: the folder above it, %s, does not exist", out, parent));
        }
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "--out %s: exists and is not a folder; give a new or an empty folder", out));
        }
        try (Stream<Path> s = Files.list(out)) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "--out %s: the folder is not empty; give a new or an empty folder (the"
                                + " demo never mixes its files with older ones)", out));
            }
        }
    }

    /** Removes a folder tree; used for the half-built run after a failure. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            AtomicFiles.deleteTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the unfinished demo output " + root,
                    e);
        }
    }
}

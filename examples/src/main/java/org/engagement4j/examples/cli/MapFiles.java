package org.engagement4j.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.engagement4j.metrics.Volume;
import org.engagement4j.metrics.io.Npy;

/** Reading attention maps for the commands, with errors that name the file. */
final class MapFiles {

    private MapFiles() {
    }

    /**
     * Reads a {@code [H,W]} or {@code [T,H,W]} map from a {@code .npy} file.
     *
     * @param file the file
     * @param role what the file is, for messages ("--human", "first map")
     * @return the map as a volume
     * @throws IllegalArgumentException naming the file when it is missing, not .npy, or of a bad shape
     */
    static Volume read(Path file, String role) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(role + ": file " + file + " does not exist");
        }
        try {
            return Npy.readVolume(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(role + ": file " + file + " does not exist", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(role + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

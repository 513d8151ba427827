package org.engagement4j.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a model's normalisation statistics lie when nobody names the file: the training folds'
 * per-channel mean and std ({@link org.engagement4j.core.transform.Normalization}, REFERENCE.md
 * §5) are stored beside the model, as {@code M.normalization.json} for a model {@code M.onnx}
 * (one file per model) or as {@code normalization.json} (one file for the models of a training
 * run, as the trainer writes them). A {@link SnippetEncoder} needs them before any clip can be
 * scored.
 *
 * @since 0.1.0
 */
public final class NormalizationFiles {

    /** The shared file name the trainer writes beside its models. */
    public static final String SHARED_NAME = "normalization.json";

    private NormalizationFiles() {
    }

    /**
     * The files looked at, in order of preference: {@code M.normalization.json} then
     * {@code normalization.json}, both in the model's folder ({@code .onnx} is removed from the
     * model's name in any letter case; another extension is kept).
     *
     * @param model the model file (need not exist)
     * @return the two candidate paths, absolute
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if {@code model} has no file name (a root folder)
     */
    public static List<Path> candidates(Path model) {
        Objects.requireNonNull(model, "model");
        Path abs = model.toAbsolutePath();
        if (abs.getFileName() == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "model %s: not a file name; expected a path such as M.onnx", model));
        }
        Path dir = abs.getParent();
        return List.of(dir.resolve(baseName(model) + ".normalization.json"),
                dir.resolve(SHARED_NAME));
    }

    /**
     * The first {@linkplain #candidates candidate} that is a regular file.
     *
     * @param model the model file
     * @return the statistics file, or empty when neither candidate exists
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if {@code model} has no file name
     */
    public static Optional<Path> find(Path model) {
        return candidates(model).stream().filter(Files::isRegularFile).findFirst();
    }

    /**
     * @param model a model file such as {@code task.onnx}
     * @return its name without {@code .onnx} (any letter case), e.g. {@code task}
     * @throws NullPointerException if {@code model} is null
     * @throws IllegalArgumentException if {@code model} has no file name
     */
    public static String baseName(Path model) {
        Path name = Objects.requireNonNull(model, "model").toAbsolutePath().getFileName();
        if (name == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "model %s: not a file name; expected a path such as M.onnx", model));
        }
        return name.toString().replaceFirst("(?i)\\.onnx$", "");
    }
}

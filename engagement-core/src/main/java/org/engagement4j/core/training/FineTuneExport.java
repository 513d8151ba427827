package org.engagement4j.core.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.transform.Normalization;

/**
 * A fine-tuned network as files, the counterpart of {@link HeadExport#write} for
 * {@link FineTuner} and {@link FinalFineTuning} results (issue 7, "Export"): the forward model
 * with the tuned weights ({@link NetworkWeights#withWeights}), the normalisation statistics and
 * a {@link FineTuneProvenance}. The folder then loads like any export in
 * {@link org.engagement4j.core.model.EngagementClassifier} and in Python onnxruntime.
 *
 * <h2>Files written by {@link #write}</h2>
 * <ul>
 *   <li>{@value #MODEL_FILE}: the tuned model;</li>
 *   <li>{@value #NORMALIZATION_FILE}: the statistics the clips were normalised with
 *       ({@link Normalization#write});</li>
 *   <li>{@value #PROVENANCE_FILE}: {@link FineTuneProvenance#toJson()} plus
 *       {@code model_sha256} (of the file written) and {@code normalization}.</li>
 * </ul>
 * The names are those of {@link HeadExport}, so that tools read both exports alike.
 *
 * @since 0.1.0
 */
public final class FineTuneExport {

    /** The model's file name. */
    public static final String MODEL_FILE = HeadExport.MODEL_FILE;
    /** The normalisation file name. */
    public static final String NORMALIZATION_FILE = HeadExport.NORMALIZATION_FILE;
    /** The provenance file name. */
    public static final String PROVENANCE_FILE = HeadExport.PROVENANCE_FILE;

    private FineTuneExport() {
    }

    /**
     * Writes the tuned model, the normalisation and the provenance into a folder (created if
     * missing; the three files are replaced, each atomically: an error leaves each file either
     * as it was or complete).
     *
     * @param dir the folder
     * @param tuned the fine-tuned forward model (e.g. {@code NetworkWeights.withWeights(base,
     *     result.bestWeights())})
     * @param normalization the statistics the training clips were normalised with
     * @param provenance how the model was fine-tuned
     * @return the SHA-256 of the model file written (also recorded as {@code model_sha256})
     * @throws NullPointerException if an argument is null
     * @throws IOException if a file cannot be written
     */
    public static String write(Path dir, ModelProto tuned, Normalization normalization,
            FineTuneProvenance provenance) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(tuned, "tuned");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(provenance, "provenance");
        return HeadExport.writeFiles(dir, tuned, normalization, provenance.jsonNode());
    }
}

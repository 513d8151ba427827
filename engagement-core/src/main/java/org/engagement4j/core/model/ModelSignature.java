package org.engagement4j.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a loaded classifier takes and gives: the validated input and outputs of the ONNX graph.
 *
 * <p>Dimensions are given as in ONNX: a positive number is fixed, {@code -1} is dynamic (a
 * symbolic dimension such as {@code batch} or {@code time} of a {@code torch.onnx.export} with
 * {@code dynamic_axes}, or an unnamed one). A batch must match every fixed dimension.
 *
 * @param inputName the name of the graph's one input
 * @param inputShape the input's five dimensions {@code [N, C, T, H, W]}, {@code -1} where dynamic
 *     (a copy is kept and returned)
 * @param inputDimensionNames the symbolic names of the input's dimensions, {@code ""} where a
 *     dimension has none (a copy is kept; unmodifiable)
 * @param logitsName the name of the logits output, {@code [N, classes]}
 * @param classes the number of classes, at least 2 (2 for the paper's models, 400 for Kinetics)
 * @param embeddingName the name of the encoder output that {@link EngagementClassifier#embed}
 *     reads (the pooled, flattened tensor feeding the final {@code Gemm}), when one was found
 * @param embeddingSize the width of the encoder output (512 for mc3_18), or 0 when there is none
 * @param opset the model's default-domain opset version
 * @since 0.1.0
 */
public record ModelSignature(String inputName, long[] inputShape, List<String> inputDimensionNames,
        String logitsName, int classes, Optional<String> embeddingName, int embeddingSize,
        int opset) {

    /** The dimension labels of the input, in order. */
    static final List<String> AXES = List.of("N", "C", "T", "H", "W");

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the input is not rank 5, a dimension is 0 or below -1,
     *     there are fewer than 2 classes, or the embedding size disagrees with the presence of an
     *     embedding output
     */
    public ModelSignature {
        Objects.requireNonNull(inputName, "inputName");
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(inputDimensionNames, "inputDimensionNames");
        Objects.requireNonNull(logitsName, "logitsName");
        Objects.requireNonNull(embeddingName, "embeddingName");
        inputShape = inputShape.clone();
        inputDimensionNames = List.copyOf(inputDimensionNames);
        if (inputShape.length != 5 || inputDimensionNames.size() != 5) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "input %s: shape %s, expected rank 5 [N, C, T, H, W]", inputName,
                    Arrays.toString(inputShape)));
        }
        for (long d : inputShape) {
            if (d == 0 || d < -1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "input %s: shape %s has a dimension that is neither positive nor -1",
                        inputName, Arrays.toString(inputShape)));
            }
        }
        if (classes < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "output %s: %d classes, a classifier has at least 2", logitsName, classes));
        }
        if (embeddingName.isPresent() != embeddingSize > 0 || embeddingSize < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "embedding %s of size %d: the size must be positive exactly when there is an"
                            + " embedding output", embeddingName.orElse("(none)"), embeddingSize));
        }
    }

    /** @return a copy of the input's dimensions, {@code -1} where dynamic */
    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    /**
     * @return the input's shape in words, fixed dimensions as numbers and dynamic ones by their
     *     symbolic name (or {@code ?}), e.g. {@code [batch, 3, time, 160, 160]}
     */
    public String inputShapeText() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            if (i > 0) {
                b.append(", ");
            }
            String name = inputDimensionNames.get(i);
            b.append(inputShape[i] > 0 ? Long.toString(inputShape[i]) : name.isEmpty() ? "?" : name);
        }
        return b.append(']').toString();
    }

    /**
     * @param o another object
     * @return whether {@code o} is a signature with equal components
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ModelSignature)) {
            return false;
        }
        ModelSignature s = (ModelSignature) o;
        return inputName.equals(s.inputName) && Arrays.equals(inputShape, s.inputShape)
                && inputDimensionNames.equals(s.inputDimensionNames)
                && logitsName.equals(s.logitsName) && classes == s.classes
                && embeddingName.equals(s.embeddingName) && embeddingSize == s.embeddingSize
                && opset == s.opset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputName, Arrays.hashCode(inputShape), logitsName, classes,
                embeddingName, embeddingSize, opset);
    }

    /** @return e.g. {@code ModelSignature[clip [batch, 3, time, 160, 160] -> logits [N, 2], ...]} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ModelSignature[%s %s -> %s [N, %d], embedding %s, opset %d]",
                inputName, inputShapeText(), logitsName, classes,
                embeddingName.map(e -> e + " [N, " + embeddingSize + "]").orElse("none"), opset);
    }
}

package org.engagement4j.core.graph.quant;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/**
 * The outcome of {@link Int8Quantizer#quantizeToTarget}: a QDQ model in which the Convs most
 * sensitive to quantisation stay float32, and why.
 *
 * @param model the mixed-precision model
 * @param requestedFp32 Convs the caller excluded ({@link Int8Quantizer#withExcluded}), in graph order
 * @param keptFp32 Convs kept float32 by the search, most sensitive first (disjoint from
 *     {@code requestedFp32})
 * @param ranking every quantisable Conv's sensitivity on the validation inputs, most sensitive
 *     first
 * @param target the same-argmax share sought on the validation inputs, in (0, 1]
 * @param validationAgreement the share reached by {@code model} on the validation inputs
 * @param validationRows validation rows compared, at least 1
 * @since 0.1.0
 */
public record MixedPrecisionResult(ModelProto model, List<String> requestedFp32, List<String> keptFp32,
        List<ConvSensitivity> ranking, double target, double validationAgreement, int validationRows) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code target} or {@code validationAgreement} is outside
     *     their range or {@code validationRows < 1}
     */
    public MixedPrecisionResult {
        Objects.requireNonNull(model, "model");
        requestedFp32 = List.copyOf(requestedFp32);
        keptFp32 = List.copyOf(keptFp32);
        ranking = List.copyOf(ranking);
        if (!(target > 0 && target <= 1) || !(validationAgreement >= 0 && validationAgreement <= 1)
                || validationRows < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "need target in (0, 1], agreement in [0, 1] and rows >= 1, got %s, %s, %d", target,
                    validationAgreement, validationRows));
        }
    }

    /**
     * @return whether the validation agreement reached the target (it may not even with every Conv
     *     float32 when the check counts ties differently, or never with an unreachable target)
     */
    public boolean targetMet() {
        return validationAgreement >= target;
    }
}

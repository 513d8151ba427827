package org.engagement4j.core.model;

/**
 * The arithmetic a classifier's convolutions run in, recorded in every result's
 * {@link Provenance}.
 *
 * @since 0.1.0
 */
public enum Precision {
    /** float32 throughout: the default, and what the reference tests check against PyTorch. */
    FP32,
    /**
     * int8 convolutions (QDQ: {@code QuantizeLinear} / {@code DequantizeLinear} around each
     * {@code Conv}, fused by ONNX Runtime into {@code QLinearConv}); the rest float32. Either a
     * quantised model file ({@code engagement quantize}) or quantisation at load
     * ({@link EngagementClassifier.Builder#precision}). Outputs differ from float32 by the
     * quantisation error: measure it ({@link org.engagement4j.core.graph.quant.QuantizationReport}).
     */
    INT8
}

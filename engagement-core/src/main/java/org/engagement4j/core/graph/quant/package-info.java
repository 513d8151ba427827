/**
 * Opt-in int8 quantisation of forward ONNX models: {@link org.engagement4j.core.graph.quant.Int8Quantizer}
 * calibrates activation ranges on sample inputs and rewrites every {@code Conv} in QDQ form
 * (QuantizeLinear / DequantizeLinear pairs that ONNX Runtime fuses into integer kernels);
 * {@link org.engagement4j.core.graph.quant.QuantizationReport} measures what the rewrite costs in
 * accuracy. The float32 model stays the default everywhere else.
 *
 * @since 0.1.0
 */
package org.engagement4j.core.graph.quant;

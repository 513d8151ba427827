/**
 * Differentiation of ONNX graphs in ONNX: {@link org.engagement4j.core.graph.backward.BackwardGraph}
 * appends the backward pass of a forward model (gradients of the logits with respect to the input,
 * inner activations or weights, plain and guided) so that ONNX Runtime computes them in the same run
 * as the forward pass. Used by the attention maps of engagement-xai (gradient saliency, guided
 * backpropagation, Grad-CAM; paper section "Attention maps", REFERENCE.md section 7) and by
 * fine-tuning (weight gradients).
 *
 * <p>Caller mistakes (unknown tensors, unreachable tensors) raise
 * {@link java.lang.IllegalArgumentException} with candidates listed; nodes without a gradient rule
 * raise {@link org.engagement4j.core.graph.backward.UnsupportedOpException}.
 *
 * @since 0.1.0
 */
package org.engagement4j.core.graph.backward;

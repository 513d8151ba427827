/**
 * Machine attention: the paper's post-hoc attention maps of a video classifier (Fraile et al.,
 * ICMI 2022, Section 5; REFERENCE.md §7), computed in Java from a plain forward ONNX model.
 *
 * <p>{@link org.engagement4j.xai.attention.AttentionExplainer} appends a backward graph to the
 * model once (core's {@code org.engagement4j.core.graph.backward}) and runs it on ONNX Runtime:
 * gradient saliency, guided backpropagation, Grad-CAM and guided Grad-CAM for both targets of a
 * clip come from one run; occlusion from batched forward runs. Every map is an immutable
 * {@link org.engagement4j.xai.attention.AttentionMap} {@code [T, H, W]} with raw and min-max
 * normalised views, ready for engagement-metrics' comparison
 * ({@code org.engagement4j.metrics.maps.MapStandardizer} with
 * {@link org.engagement4j.xai.attention.AttentionMethod#mapKind()}).
 *
 * @since 0.1.0
 */
package org.engagement4j.xai.attention;

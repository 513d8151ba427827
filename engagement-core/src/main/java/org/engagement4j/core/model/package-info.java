/**
 * The engagement classifier on ONNX Runtime: torchvision's mc3_18 (Fraile et al., ICMI 2022,
 * Section 4; REFERENCE.md §6) exported to ONNX, run on the CPU or with CUDA, over single
 * snippets, batches or whole recordings.
 *
 * <p>Pipeline, each step its own class so that encoding and decoding can be tested without ONNX
 * Runtime: uint8 frames --{@link org.engagement4j.core.model.SnippetEncoder} (normalisation with
 * the training folds' statistics, centre crop)--> a normalised
 * {@link org.engagement4j.core.transform.ClipTensor} or
 * {@link org.engagement4j.core.model.ClipBatch} --{@link org.engagement4j.core.model.EngagementClassifier}
 * (ONNX Runtime)--> logits and 512-d {@link org.engagement4j.core.model.Embedding}s
 * --{@link org.engagement4j.core.model.ScoreDecoder} (softmax, argmax)-->
 * {@link org.engagement4j.core.model.EngagementScore}. Over a whole
 * {@link org.engagement4j.core.video.Clip}, {@link org.engagement4j.core.model.TimelineScorer}
 * slides a window, one classifier per engagement variable, and gives a
 * {@link org.engagement4j.core.model.Timeline} of probabilities and engaged spans (CSV, JSON).
 *
 * <p>Every result carries a {@link org.engagement4j.core.model.Provenance}: the model's SHA-256,
 * opset, execution provider, and the library, ONNX Runtime and Java versions.
 *
 * <p>Errors: caller mistakes (shapes, ranges, a closed classifier) raise the JDK's unchecked
 * exceptions naming the culprit; model and runtime failures raise the checked
 * {@link org.engagement4j.core.model.ModelException} with a
 * {@link org.engagement4j.core.model.ModelException.Reason}. ONNX Runtime's {@code OrtException}
 * never escapes.
 */
package org.engagement4j.core.model;

/**
 * Training the paper's classifiers in Java (Fraile et al., ICMI 2022, Section 3.3; REFERENCE.md
 * §6): embeddings baked from the encoder over augmented passes of the snippet sampler, a linear
 * head trained on them, and the trained network exported as one forward ONNX model.
 *
 * <ul>
 *   <li>{@link org.engagement4j.core.training.EmbeddingBaker}: runs the encoder
 *       ({@link org.engagement4j.core.model.EngagementClassifier#embed}) over N passes of the
 *       sampler and appends them to a resumable file ({@link
 *       org.engagement4j.core.training.BakedEmbeddings});</li>
 *   <li>{@link org.engagement4j.core.training.HeadTrainer}: {@code Linear(D, 2)}, weighted
 *       cross-entropy, Adam with coupled weight decay, exponential decay, checkpoint on the
 *       smoothed validation F1, the reference's loop step by step;</li>
 *   <li>{@link org.engagement4j.core.training.HeadExport}: the trained head merged into the
 *       forward ONNX graph, with the normalisation statistics and a provenance record;</li>
 *   <li>{@link org.engagement4j.core.training.FineTuner}: the whole network, with weight gradients
 *       from core's backward graph ({@link org.engagement4j.core.training.NetworkGradients}),
 *       Adam, mini-batches with accumulation, and checkpoints that resume exactly ({@link
 *       org.engagement4j.core.training.FineTuneCheckpoint}). BatchNorm is folded into the
 *       convolutions, i.e. inference mode with frozen statistics.</li>
 * </ul>
 */
package org.engagement4j.core.training;

/**
 * From decoded frames to the tensors the network sees: per-channel statistics and normalisation,
 * the training augmentation and the evaluation transform (Fraile et al., ICMI 2022, Section 4;
 * REFERENCE.md §2 and §5).
 *
 * <p>Pipeline: uint8 RGB frames {@code [T, H, W, 3]} from the clip cache
 * --{@link org.engagement4j.core.transform.ChannelStatistics} over the training folds-->
 * {@link org.engagement4j.core.transform.Normalization} (stored with the model)
 * --{@code apply}--> a normalised {@link org.engagement4j.core.transform.ClipTensor}
 * {@code [3, T, H, W]} --{@link org.engagement4j.core.transform.TrainAugmentation} (training) or
 * {@link org.engagement4j.core.transform.TestTransform} (validation, test, inference)--> the
 * network's input.
 *
 * <p>Every augmentation step is its own class and comes in two forms: a deterministic
 * {@link org.engagement4j.core.transform.ClipTransform} with explicit parameters (e.g.
 * {@link org.engagement4j.core.transform.Rotation}), checked against torchvision 0.14 to
 * {@code 1e-5} by fixtures, and a random {@link org.engagement4j.core.transform.ClipAugmentation}
 * that draws those parameters once per clip from a seeded commons-rng generator (e.g.
 * {@link org.engagement4j.core.transform.RandomRotation}). All frames of a clip share the drawn
 * parameters, as in the reference, which applied torchvision's image transforms to CTHW tensors.
 *
 * <p>Bad arguments (wrong lengths or shapes, non-finite values, non-positive deviations, empty
 * ranges) raise {@link java.lang.IllegalArgumentException} naming the argument. Everything is
 * pure Java; no native code is involved.
 */
package org.engagement4j.core.transform;

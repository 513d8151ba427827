package org.engagement4j.core.transform;

import java.util.List;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * The training augmentation of the reference, applied to normalised {@code [3, T, 160, 208]}
 * clips (REFERENCE.md §5; Fraile et al., ICMI 2022, Section 4.2). In order, with the same random
 * parameters for every frame of a clip:
 * <ol>
 *   <li>with probability 0.35, rotation by {@code U(-8, 8)} degrees, bilinear
 *       ({@link RandomRotation}, {@link Rotation});</li>
 *   <li>random resized crop to 112 x 112, scale (0.6, 1.5), ratio (0.5, 1.5)
 *       ({@link RandomResizedCrop});</li>
 *   <li>horizontal flip with probability 0.5 ({@link RandomHorizontalFlip});</li>
 *   <li>with probability 0.35, contrast {@code x * U(0.75, 1.25) + U(-0.15, 0.15)}
 *       ({@link RandomContrastAdjustment});</li>
 *   <li>with probability 0.35, colour {@code x * U(0.8, 1.2) + U(-0.1, 0.1)} per channel
 *       ({@link RandomColourAdjustment});</li>
 *   <li>with probability 0.35, Gaussian blur, kernel 5, sigma {@code U(0.1, 2.0)}
 *       ({@link RandomGaussianBlur});</li>
 *   <li>with probability 0.35, Gaussian noise of standard deviation {@code U(0.01, 0.03)}
 *       ({@link RandomGaussianNoise}).</li>
 * </ol>
 * The reference also trims clips to a fixed number of frames first ({@code AdjustLength}); here
 * the snippet sampler already delivers clips of the right length.
 *
 * <p>All draws come from the one generator passed in, in the order above (each gate, then that
 * step's parameters), so a seeded generator makes the whole augmentation reproducible. The
 * random numbers are this library's, not PyTorch's: the same seed does not give the reference's
 * augmented clips, only the same distribution of them.
 *
 * <p>Cost: a 3 x 15 x 160 x 208 clip takes about 7 ms of one core on average (about 16 ms when
 * every optional step fires; the rotation of the full frames is the largest part), measured on a
 * shared 2-core x86-64 machine.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class TrainAugmentation implements ClipAugmentation {

    /** The side of the reference's square training crop. */
    public static final int CROP_SIZE = 112;

    /** The reference's probability for each optional step. */
    public static final double STEP_PROBABILITY = 0.35;

    private final List<ClipAugmentation> steps;

    private TrainAugmentation(List<ClipAugmentation> steps) {
        this.steps = steps;
    }

    /** @return the reference's augmentation (see the class description) */
    public static TrainAugmentation reference() {
        return of(List.of(
                RandomApply.of(STEP_PROBABILITY, RandomRotation.reference()),
                RandomResizedCrop.reference(),
                RandomHorizontalFlip.of(0.5),
                RandomApply.of(STEP_PROBABILITY, RandomContrastAdjustment.reference()),
                RandomApply.of(STEP_PROBABILITY, RandomColourAdjustment.reference()),
                RandomApply.of(STEP_PROBABILITY, RandomGaussianBlur.reference()),
                RandomApply.of(STEP_PROBABILITY, RandomGaussianNoise.reference())));
    }

    /**
     * Another sequence of steps, e.g. the reference's with one step changed
     * ({@code new ArrayList<>(reference().steps())}, then {@code set}).
     *
     * @param steps the steps, applied in order
     * @return the augmentation
     * @throws NullPointerException if the list or a step is null
     */
    public static TrainAugmentation of(List<? extends ClipAugmentation> steps) {
        Objects.requireNonNull(steps, "steps");
        return new TrainAugmentation(List.copyOf(steps));
    }

    /** @return the steps in order (unmodifiable) */
    public List<ClipAugmentation> steps() {
        return steps;
    }

    /**
     * @param clip a normalised clip
     * @param rng the generator
     * @return the augmented clip ({@code [C, T, 112, 112]} for the reference's steps)
     */
    @Override
    public ClipTensor apply(ClipTensor clip, UniformRandomProvider rng) {
        Checks.clip(clip);
        Checks.rng(rng);
        ClipTensor out = clip;
        for (ClipAugmentation step : steps) {
            out = step.apply(out, rng);
        }
        return out;
    }

    /**
     * Applies the augmentation with a fresh generator seeded by {@code seed}
     * ({@link ClipAugmentation#random(long)}).
     *
     * @param clip a normalised clip
     * @param seed the seed
     * @return the augmented clip; the same for the same clip and seed
     */
    public ClipTensor apply(ClipTensor clip, long seed) {
        return apply(clip, ClipAugmentation.random(seed));
    }

    @Override
    public String toString() {
        return "TrainAugmentation" + steps;
    }
}

package org.engagement4j.xai.attention;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.engagement4j.metrics.maps.MapKind;

/**
 * The attention methods of the paper (Fraile et al., ICMI 2022, Section 5; REFERENCE.md §7) plus
 * occlusion, which the reference computed too. Each method's raw map is what the reference had
 * before its final min-max step; the identifiers are the command line's and the file names'
 * ({@code <id>_<target>.npy}).
 *
 * @since 0.1.0
 */
public enum AttentionMethod {

    /**
     * Gradient saliency (Simonyan et al. 2014, arXiv:1312.6034): {@code max_c |d logit / d x[c]|}
     * over the normalised input's channels; {@code [T, H, W]} at input resolution.
     */
    GRADIENT_SALIENCY("saliency", "Gradient saliency", MapKind.FINE),

    /**
     * Guided backpropagation (Springenberg et al. 2015, arXiv:1412.6806): the same as gradient
     * saliency with every ReLU's backward passing only positive gradients where its forward input
     * was positive.
     */
    GUIDED_BACKPROP("guided", "Guided backpropagation", MapKind.FINE),

    /**
     * Grad-CAM (Selvaraju et al. 2017, doi:10.1109/ICCV.2017.74) on a rank-5 layer
     * {@code A [C, T', h, w]}: {@code relu(sum_c w[c, t] A[c, t])} with {@code w[c, t]} the mean of
     * {@code d logit / d A[c, t]} over {@code h} and {@code w} (time is not pooled, as in the
     * reference); {@code [T', h, w]} at the layer's resolution (15 x 10 x 10 for mc3_18 on
     * 15 x 160 x 160).
     */
    GRAD_CAM("gradcam", "Grad-CAM", MapKind.COARSE),

    /**
     * Guided Grad-CAM: Grad-CAM trilinearly upsampled to the input's {@code [T, H, W]}
     * ({@code align_corners = false}), times the guided-backpropagation gradient of every
     * channel, then {@code max_c |.|}.
     */
    GUIDED_GRAD_CAM("guided-gradcam", "Guided Grad-CAM", MapKind.FINE),

    /**
     * Occlusion (Zeiler and Fergus 2014, doi:10.1007/978-3-319-10590-1_53): a block of the input
     * is set to zero and the map holds {@code 1 - softmax(logits)[target]} per block position
     * (see {@link OcclusionWindow}); {@code [T, ceil(H / 16), ceil(W / 16)]} for the reference's
     * window. Needs forward runs only.
     */
    OCCLUSION("occlusion", "Occlusion", MapKind.COARSE);

    private final String id;
    private final String displayName;
    private final MapKind mapKind;

    AttentionMethod(String id, String displayName, MapKind mapKind) {
        this.id = id;
        this.displayName = displayName;
        this.mapKind = mapKind;
    }

    /** @return the identifier used on the command line and in file names, e.g. {@code guided-gradcam} */
    public String id() {
        return id;
    }

    /** @return the paper's name, e.g. {@code Guided Grad-CAM} */
    public String displayName() {
        return displayName;
    }

    /**
     * @return how engagement-metrics standardises this method's maps before comparison:
     *     {@link MapKind#FINE} (blur and subsample) for input-resolution maps,
     *     {@link MapKind#COARSE} (bicubic resize) for Grad-CAM and occlusion
     */
    public MapKind mapKind() {
        return mapKind;
    }

    /** @return whether the method needs the backward graph (every method but occlusion) */
    public boolean usesGradients() {
        return this != OCCLUSION;
    }

    /** @return whether the method needs the Grad-CAM layer */
    public boolean usesLayer() {
        return this == GRAD_CAM || this == GUIDED_GRAD_CAM;
    }

    /** @return whether the method needs guided (Springenberg) input gradients */
    public boolean usesGuidedGradient() {
        return this == GUIDED_BACKPROP || this == GUIDED_GRAD_CAM;
    }

    /**
     * Looks a method up by its {@link #id()} (case-insensitive) or its enum name.
     *
     * @param id e.g. {@code saliency}, {@code guided}, {@code gradcam}, {@code guided-gradcam},
     *     {@code occlusion}
     * @return the method
     * @throws IllegalArgumentException if no method has that identifier (the message lists them)
     */
    public static AttentionMethod fromId(String id) {
        Objects.requireNonNull(id, "id");
        String s = id.trim();
        for (AttentionMethod m : values()) {
            if (m.id.equalsIgnoreCase(s) || m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "unknown attention method '%s', expected one of %s", id,
                Arrays.stream(values()).map(AttentionMethod::id).collect(Collectors.joining(", "))));
    }
}

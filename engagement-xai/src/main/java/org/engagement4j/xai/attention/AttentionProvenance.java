package org.engagement4j.xai.attention;

import java.util.Objects;
import java.util.Optional;
import org.engagement4j.core.model.Provenance;

/**
 * Where an attention map came from: the model (its SHA-256, opset, runtime and library versions,
 * as for every classifier result) and the settings of the method that made it.
 *
 * @param model the model's provenance; its hash is that of the caller's model bytes, although the
 *     explainer runs a backward graph derived from them
 * @param layer the Grad-CAM layer (a tensor name of the forward graph) for
 *     {@link AttentionMethod#GRAD_CAM} and {@link AttentionMethod#GUIDED_GRAD_CAM}; empty for the
 *     other methods
 * @param occlusion the window for {@link AttentionMethod#OCCLUSION}; empty for the other methods
 * @since 0.1.0
 */
public record AttentionProvenance(Provenance model, Optional<String> layer,
        Optional<OcclusionWindow> occlusion) {

    /**
     * @throws NullPointerException if a component is null
     */
    public AttentionProvenance {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(occlusion, "occlusion");
    }

    /**
     * @param model the model's provenance
     * @return provenance of a method with no settings (gradient saliency, guided backpropagation)
     */
    public static AttentionProvenance of(Provenance model) {
        return new AttentionProvenance(model, Optional.empty(), Optional.empty());
    }
}

package org.engagement4j.metrics.maps;

/**
 * Which standardisation path an attention map takes before it is compared (Fraile et al., ICMI 2022,
 * Section 5; see {@link MapStandardizer}).
 *
 * @since 0.1.0
 */
public enum MapKind {

    /**
     * A full-resolution map: the human map ({@code 160x208}, centre-cropped to {@code 160x160}),
     * gradient saliency, guided backpropagation and guided Grad-CAM ({@code 160x160}). Standardised
     * by Gaussian blur (kernel 25, sigma 5) and taking every 5th pixel.
     */
    FINE,

    /**
     * A low-resolution map: Grad-CAM and occlusion ({@code 10x10}, the size of the network's
     * {@code layer4} output). Standardised by antialiased bicubic resampling to the target size.
     */
    COARSE
}

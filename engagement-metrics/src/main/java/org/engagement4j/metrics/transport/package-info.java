/**
 * Optimal transport between non-negative 2-D histograms: the exact Earth Mover's Distance
 * (first Wasserstein distance for a metric ground) and two clearly named approximations.
 *
 * <ul>
 *   <li>{@link org.engagement4j.metrics.transport.Emd}: the exact EMD (network simplex with an
 *       LP-duality certificate over all pixel pairs); the paper's metric.</li>
 *   <li>{@link org.engagement4j.metrics.transport.SlicedWasserstein}: sliced Wasserstein,
 *       an approximation (a lower bound for the EMD with {@code p = 1}).</li>
 *   <li>{@link org.engagement4j.metrics.transport.SinkhornDistance}: entropy-regularised
 *       transport, an approximation (an upper bound for the EMD).</li>
 *   <li>{@link org.engagement4j.metrics.transport.GroundDistance} (the cost between pixels) and
 *       {@link org.engagement4j.metrics.transport.MassPolicy} (how masses are made equal) are
 *       shared by all three.</li>
 * </ul>
 *
 * <p>Paper: Fraile et al., ICMI 2022, Section 5 (comparison of human and machine attention):
 * per-frame EMD on 32x32 maps with the Euclidean ground in pixel-index units, averaged over the 15
 * frames of a snippet. The reference code's OpenCV {@code cv2.EMD} overestimates it on 32x32 maps
 * (see {@link org.engagement4j.metrics.transport.Emd}).
 *
 * <p>Pure Java, no logging; every class is immutable and thread-safe.
 *
 * @since 0.1.0
 */
package org.engagement4j.metrics.transport;

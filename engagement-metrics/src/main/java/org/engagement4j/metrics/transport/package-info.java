/**
 * Optimal transport between non-negative 2-D histograms: the exact Earth Mover's Distance
 * (first Wasserstein distance) and clearly named approximations.
 *
 * <p>Paper: Fraile et al., ICMI 2022, Section 5 (comparison of human and machine attention):
 * per-frame EMD on 32x32 maps, averaged over the 15 frames of a snippet.
 */
package org.engagement4j.metrics.transport;

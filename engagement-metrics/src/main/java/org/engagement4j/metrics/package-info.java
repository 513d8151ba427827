/**
 * engagement-metrics: pure-Java metrics for comparing attention maps and labels. The shared value
 * type is {@link org.engagement4j.metrics.Volume}, a {@code [T,H,W]} block of doubles.
 *
 * <p>This module has no native code, logs nothing, and depends only on Apache Commons
 * (Statistics, RNG).
 */
package org.engagement4j.metrics;

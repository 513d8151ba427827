/**
 * Human attention maps: the format of the reference's painting tool (REFERENCE.md §8), read and
 * written so that maps painted there, or by this project's annotator, flow into
 * engagement-metrics' comparison with the machine maps.
 *
 * <p>One snippet is one folder holding {@code heatmap.npy} (float32 {@code [T, H, W]} in
 * {@code [0, 1]}, the raw low-resolution frames' size, e.g. 15 x 160 x 208) and {@code info.json}
 * (session, annotator, start, target variable, consensus label, the painter's own labels); see
 * {@link org.engagement4j.xai.human.HumanMaps}.
 *
 * @since 0.1.0
 */
package org.engagement4j.xai.human;

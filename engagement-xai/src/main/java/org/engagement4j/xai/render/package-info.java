/**
 * Pictures of attention maps: colour-mapped overlays of a map on its frames as a PNG grid or an
 * animated GIF ({@link org.engagement4j.xai.render.Overlays}, {@link org.engagement4j.xai.render.ImageFiles}),
 * and a methods-by-frames figure like the paper's Figures 4 and 5
 * ({@link org.engagement4j.xai.render.AttentionFigure}). Only {@code java.awt.image} and
 * {@code javax.imageio} are used, off screen, so everything works headless.
 *
 * <p>MP4 output is not offered: engagement-core's video package only decodes (it has no
 * encoder). An animated GIF or the PNG frames can be turned into MP4 with the {@code ffmpeg}
 * command line.
 *
 * @since 0.1.0
 */
package org.engagement4j.xai.render;

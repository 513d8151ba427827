/**
 * Recordings to clips: decoding MP4 and AVCHD {@code .MTS} video with FFmpeg, downsampling to the
 * paper's 160-pixel-high frames at 3.125 fps, and the on-disk clip cache the snippet sampler reads
 * (Fraile et al., ICMI 2022, Section 3.3; REFERENCE.md §1–2).
 *
 * <p>Entry points: {@link org.engagement4j.core.video.VideoPreprocessor} (probe, decode,
 * preprocess, cache check) configured by {@link org.engagement4j.core.video.ClipSettings}, and
 * {@link org.engagement4j.core.video.Clip} (the frames, memory-mapped). Bad recordings raise
 * {@link org.engagement4j.core.video.VideoFormatException}. {@link
 * org.engagement4j.core.video.Mp4Writer} encodes RGB frames to an H.264 MP4 (OpenH264), atomically,
 * for overlays and synthetic recordings.
 *
 * <p>FFmpeg is called through the JavaCPP presets ({@code org.bytedeco:ffmpeg}, the LGPL build),
 * the same native layer JavaCV's {@code FFmpegFrameGrabber} wraps. Calling it directly lets the
 * decoder keep the previous frame by reference (nearest-frame selection needs it), convert only
 * the frames that are kept, scale a single field for deinterlacing by stride, and keeps JavaCV's
 * module descriptor, which requires JavaFX, OpenCV and a dozen camera SDK modules, off the module
 * path of users.
 */
package org.engagement4j.core.video;

/**
 * The human attention annotator (REFERENCE.md §8; issue 8): an embedded web server and a static
 * page on which a researcher labels snippets engaged / not engaged and paints where the evidence
 * is, frame by frame, with the reference tool's Gaussian brush.
 *
 * <p>Input and output are {@link org.engagement4j.examples.annotator.SnippetFolders snippet
 * folders}; a saved snippet is exactly what {@code org.engagement4j.xai.human.HumanMaps} reads,
 * so painted maps flow into the comparison with the machine maps.
 * {@link org.engagement4j.examples.annotator.Brush} is the brush's arithmetic in Java, the twin
 * of the page's {@code brush.js}. Start the server with {@code engagement annotate --snippets
 * DIR}.
 *
 * @since 0.1.0
 */
package org.engagement4j.examples.annotator;

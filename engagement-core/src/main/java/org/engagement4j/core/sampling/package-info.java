/**
 * From coded sessions to the 5-second snippets a network trains and is evaluated on (Fraile et
 * al., ICMI 2022, Sections 3.3–3.4; REFERENCE.md §3, §8, §10).
 *
 * <ul>
 *   <li>{@link org.engagement4j.core.sampling.SnippetSampler}: the per-epoch training plan, ten
 *       snippets per session, each from one coder chosen at random, in ten consecutive chunks of
 *       the task span;</li>
 *   <li>{@link org.engagement4j.core.sampling.EvaluationWindows}: back-to-back windows over the
 *       span shared by all coders, labelled by every coder (human-machine agreement);</li>
 *   <li>{@link org.engagement4j.core.sampling.ComparisonSetSelector}: the comparison set for
 *       human attention painting, where the other coders agree on the label.</li>
 * </ul>
 *
 * <p>All three share a {@link org.engagement4j.core.sampling.SnippetShape} (window length, frame
 * count, frame rate) and the label rule: a coder labels a window engaged iff their engaged time
 * inside it is more than half the window. Coders are never merged. All randomness comes from one
 * seed, split per session (and epoch, coder...) so that results do not depend on the order in
 * which sessions are given.
 */
package org.engagement4j.core.sampling;

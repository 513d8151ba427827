package org.engagement4j.core.sampling;

import java.util.List;
import java.util.Objects;
import org.engagement4j.core.annotation.Task;

/**
 * One epoch's training snippets for one task (REFERENCE.md §3), plus the ones that could not be
 * drawn. For every session given, {@code snippetsPerSession} entries appear in total across
 * {@link #snippets()} and {@link #skipped()}.
 *
 * @param task the task
 * @param epoch the epoch number
 * @param seed the seed of the sampler
 * @param snippets the snippets, session by session (sessions in id order), in index order
 * @param skipped the snippets that could not be drawn (masked time, spans too short)
 * @since 0.1.0
 */
public record SnippetPlan(Task task, int epoch, long seed, List<Snippet> snippets,
        List<SkippedSnippet> skipped) {

    /** Copies the lists. */
    public SnippetPlan {
        Objects.requireNonNull(task, "task");
        snippets = List.copyOf(snippets);
        skipped = List.copyOf(skipped);
    }
}

/**
 * Session-level folds (Fraile et al., ICMI 2022, Section 3.3; REFERENCE.md §4): the sessions are
 * split into five disjoint folds by rejection sampling, keeping the split whose per-fold positive
 * rates (per task and engagement variable) and fold sizes are closest to the whole data set's; the
 * last fold is the test set.
 *
 * <p>Entry point: {@link org.engagement4j.core.folds.FoldSplitter}; result:
 * {@link org.engagement4j.core.folds.FoldPlan}, with a JSON form. Everything is reproducible from
 * one seed and independent of the order in which sessions are given.
 */
package org.engagement4j.core.folds;

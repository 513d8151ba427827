/**
 * Evaluating trained classifiers as the paper does (Fraile et al., ICMI 2022, Section 4;
 * REFERENCE.md §10):
 *
 * <ul>
 *   <li>Table 2 ({@link org.engagement4j.core.evaluation.PerformanceRecord}): the empirical
 *       probability of the positive class ({@link org.engagement4j.core.evaluation.EmpiricalProbability}),
 *       validation and test accuracy and F1, random baselines and whether each score beats
 *       them;</li>
 *   <li>Table 3 and Figure 3 ({@link org.engagement4j.core.evaluation.AgreementRecord}):
 *       Cohen's kappa and raw agreement per rater pair, human-human and human-machine, on
 *       back-to-back windows of the test sessions, the machine labelling by argmax
 *       ({@link org.engagement4j.core.evaluation.ModelEvaluator});</li>
 *   <li>{@link org.engagement4j.core.evaluation.EvaluationReport}: CSV and JSON of both.</li>
 * </ul>
 */
package org.engagement4j.core.evaluation;

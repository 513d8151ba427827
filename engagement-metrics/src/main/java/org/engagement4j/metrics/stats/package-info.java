/**
 * Is a ranking of methods significant? Paired tests over per-sample scores: the Wilcoxon
 * signed-rank test and a seeded paired bootstrap confidence interval of the mean difference.
 */
package org.engagement4j.metrics.stats;

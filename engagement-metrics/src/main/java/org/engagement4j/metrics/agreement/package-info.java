/**
 * Agreement statistics for binary labels: confusion matrices, accuracy, F1, balanced accuracy,
 * random baselines, raw agreement and Cohen's kappa with its standard error, and pairwise rater
 * matrices (paper Table 2, Table 3 and Figure 1).
 */
package org.engagement4j.metrics.agreement;

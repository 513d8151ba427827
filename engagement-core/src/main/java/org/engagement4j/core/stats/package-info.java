/**
 * Descriptive statistics of coded sessions: the duration statistics of the paper's Table 1
 * ({@link org.engagement4j.core.stats.DurationTable}) and the human-human agreement matrices of
 * its Figure 1 ({@link org.engagement4j.core.stats.HumanAgreement}), with CSV and JSON writers
 * (Fraile et al., ICMI 2022, §3.2; REFERENCE.md §1 and §10).
 *
 * <p>Results are immutable records; undefined values are empty optionals (null in JSON, empty
 * fields in CSV), never NaN, except in the {@code double[][]} matrix views, where NaN marks an
 * undefined cell as documented.
 */
package org.engagement4j.core.stats;

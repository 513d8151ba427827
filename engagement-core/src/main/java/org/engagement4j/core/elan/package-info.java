/**
 * ELAN annotation files ({@code .eaf}, formats 2.7 to 3.0): a secure, fast reader
 * ({@link org.engagement4j.core.elan.ElanReader}), an atomic EAF 3.0 writer
 * ({@link org.engagement4j.core.elan.ElanWriter}), the document model
 * ({@link org.engagement4j.core.elan.ElanDocument} with its tiers, annotations and time slots),
 * and a generator of several coders' documents with controlled disagreement
 * ({@link org.engagement4j.core.elan.SyntheticCoding}).
 *
 * <p>This is the first step of the annotation pipeline (Fraile et al., ICMI 2022, Section 3.1;
 * REFERENCE.md §1): one file per session and coder, {@code <session>_<coder>_<YYYYMMDD>.eaf}.
 * The documents keep raw tier names and values; mapping them to tasks, engagement variables and
 * masks (trim, lower case, synonyms; overlap and missing-tier checks) is the role mapping's job.
 */
package org.engagement4j.core.elan;

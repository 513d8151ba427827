/**
 * Who coded what and when: the paper's tasks and engagement variables, half-open millisecond
 * intervals and their algebra, one coder's annotations of a session, and a session coded by
 * several coders (Fraile et al., ICMI 2022, Sections 3.1–3.2; REFERENCE.md §1).
 *
 * <p>Coders are never merged: every snippet later uses one coder's spans and labels.
 */
package org.engagement4j.core.annotation;

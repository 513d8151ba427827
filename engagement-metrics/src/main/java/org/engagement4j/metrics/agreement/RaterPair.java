package org.engagement4j.metrics.agreement;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Agreement of one pair of raters over the rows both labelled: one cell of the paper's Figure 1
 * or Figure 3 (Fraile et al., ICMI 2022, doi:10.1145/3536221.3556629).
 *
 * @param first name of the first rater (rows of the contingency table)
 * @param second name of the second rater (columns); equal to {@code first} on the diagonal
 * @param rows number of rows both raters labelled, at least 0
 * @param agreement raw agreement, empty when {@code rows = 0}
 * @param kappa Cohen's kappa with its standard errors, empty when {@code rows = 0} or when both
 *     raters used one and the same category throughout (see {@link CohensKappa})
 * @since 0.1.0
 */
public record RaterPair(String first, String second, long rows, OptionalDouble agreement,
        Optional<KappaResult> kappa) {

    /**
     * Validates the components.
     *
     * @param first name of the first rater (rows of the contingency table)
     * @param second name of the second rater (columns); equal to {@code first} on the diagonal
     * @param rows number of rows both raters labelled, at least 0
     * @param agreement raw agreement, empty when {@code rows = 0}
     * @param kappa Cohen's kappa with its standard errors, empty when {@code rows = 0} or when both
     *     raters used one and the same category throughout (see {@link CohensKappa})
     * @throws IllegalArgumentException if {@code rows} is negative, {@code rows = 0} while a value
     *     is present, or {@code rows > 0} without an agreement
     * @throws NullPointerException if a component is null
     */
    public RaterPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        Objects.requireNonNull(agreement, "agreement");
        Objects.requireNonNull(kappa, "kappa");
        if (rows < 0) {
            throw new IllegalArgumentException("rows = " + rows + ": must be non-negative");
        }
        if (rows == 0 && (agreement.isPresent() || kappa.isPresent())) {
            throw new IllegalArgumentException("rows = 0: agreement and kappa must be empty");
        }
        if (rows > 0 && agreement.isEmpty()) {
            throw new IllegalArgumentException("rows = " + rows + ": agreement must be present");
        }
    }

    /** @return kappa's point value, or empty when kappa is undefined */
    public OptionalDouble kappaValue() {
        return kappa.isPresent() ? OptionalDouble.of(kappa.get().kappa()) : OptionalDouble.empty();
    }
}

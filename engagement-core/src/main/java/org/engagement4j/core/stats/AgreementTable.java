package org.engagement4j.core.stats;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The human-human agreement of a set of coded sessions (the paper's Figure 1 and its per-task
 * and per-variable breakdowns), as computed by {@link HumanAgreement}.
 *
 * @param stepMs the sampling step in milliseconds
 * @param maskedExcluded whether samples inside a coder's masked time were left out for that coder
 * @param coders all coder names, in order
 * @param matrices one matrix per scope that has at least one sample, in
 *     {@link AgreementScope#standard()} order
 * @since 0.1.0
 */
public record AgreementTable(long stepMs, boolean maskedExcluded, List<String> coders,
        List<AgreementMatrix> matrices) {

    /**
     * Validates and copies the components.
     *
     * @param stepMs the sampling step in milliseconds
     * @param maskedExcluded whether samples inside a coder's masked time were left out for that
     *     coder
     * @param coders all coder names, in order
     * @param matrices one matrix per scope that has at least one sample, in
     *     {@link AgreementScope#standard()} order
     * @throws IllegalArgumentException if {@code stepMs < 1} or there is no matrix
     */
    public AgreementTable {
        if (stepMs < 1) {
            throw new IllegalArgumentException("stepMs = " + stepMs + ": must be positive");
        }
        coders = List.copyOf(coders);
        matrices = List.copyOf(matrices);
        if (matrices.isEmpty()) {
            throw new IllegalArgumentException("matrices: at least one is required");
        }
    }

    /**
     * @param scope a scope
     * @return its matrix, or empty when the scope has no sample (no session has a span of the
     *     task shared by all its coders)
     */
    public Optional<AgreementMatrix> matrix(AgreementScope scope) {
        Objects.requireNonNull(scope, "scope");
        return matrices.stream().filter(m -> m.scope().equals(scope)).findFirst();
    }

    /**
     * @return the matrix of all tasks and both variables together: the paper's Figure 1
     * @throws IllegalStateException if the table lacks it (never for tables made by
     *     {@link HumanAgreement})
     */
    public AgreementMatrix overall() {
        return matrix(AgreementScope.all()).orElseThrow(() -> new IllegalStateException(
                String.format(Locale.ROOT, "no matrix for scope %s", AgreementScope.all())));
    }
}

package org.engagement4j.core.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.metrics.agreement.PairMean;
import org.engagement4j.metrics.agreement.RaterMatrix;
import org.engagement4j.metrics.agreement.RaterPair;

/**
 * Pairwise raw agreement and Cohen's kappa of the coders over the samples of one
 * {@link AgreementScope}: one panel of the paper's Figure 1 (Fraile et al., ICMI 2022, §3.2).
 * Each pair is compared only on the samples both coders labelled, that is, on the sessions both
 * coded; the arithmetic is {@link RaterMatrix}'s (equal to statsmodels' {@code cohens_kappa}).
 *
 * @param scope the tasks and variables pooled
 * @param raters the coders' pairwise agreement (coders in name order)
 * @param samples number of sample rows pooled (each row: one time of one session, task and
 *     variable; a coder who did not code the session has no label in the row)
 * @since 0.1.0
 */
public record AgreementMatrix(AgreementScope scope, RaterMatrix raters, int samples) {

    /**
     * Validates and copies the components.
     *
     * @param scope the tasks and variables pooled
     * @param raters the coders' pairwise agreement (coders in name order)
     * @param samples number of sample rows pooled (each row: one time of one session, task and
     *     variable; a coder who did not code the session has no label in the row)
     * @throws IllegalArgumentException if {@code samples < 1}
     */
    public AgreementMatrix {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(raters, "raters");
        if (samples < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "scope %s: samples = %d, must be positive", scope, samples));
        }
    }

    /** @return the coder names, in the matrices' row and column order */
    public List<String> coders() {
        return raters.raters();
    }

    /**
     * @return the distinct pairs of coders who share at least one sample (both coded a common
     *     session), in row order
     */
    public List<RaterPair> pairs() {
        List<RaterPair> list = new ArrayList<>();
        for (RaterPair p : raters.pairs()) {
            if (p.rows() > 0) {
                list.add(p);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /** @return a new symmetric matrix of raw agreement, NaN for pairs without a shared sample */
    public double[][] agreement() {
        return raters.agreementMatrix();
    }

    /**
     * @return a new symmetric matrix of Cohen's kappa, NaN for pairs without a shared sample or
     *     with an undefined kappa (both coders constant and equal)
     */
    public double[][] kappa() {
        return raters.kappaMatrix();
    }

    /** @return mean raw agreement over the distinct pairs, undefined pairs counted apart */
    public PairMean meanAgreement() {
        return raters.meanAgreement(coders(), coders());
    }

    /**
     * @return mean kappa over the distinct pairs, undefined pairs counted apart (the paper's
     *     "average Cohen's Kappa over all rater pairs", 0.63)
     */
    public PairMean meanKappa() {
        return raters.meanKappa(coders(), coders());
    }
}

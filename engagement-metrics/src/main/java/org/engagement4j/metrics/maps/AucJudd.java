package org.engagement4j.metrics.maps;

import java.util.Arrays;
import java.util.Locale;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.MapMetric;
import org.engagement4j.metrics.Volume;

/**
 * AUC-Judd: the area under the ROC curve of the machine map as a classifier of fixation pixels
 * (Judd et al., ICCV 2009, doi:10.1109/ICCV.2009.5459462; Bylinskii et al., TPAMI 2019,
 * doi:10.1109/TPAMI.2018.2815601, MATLAB {@code AUC_Judd.m}).
 *
 * <p>Thresholds are the machine values at fixations, from high to low. At threshold {@code t} the
 * true-positive rate is the fraction of fixations with value {@code >= t} and the false-positive rate
 * the fraction of non-fixation pixels with value {@code >= t}; the curve runs from {@code (0, 0)}
 * through these points to {@code (1, 1)} and its area is taken with the trapezoid rule. In
 * {@code [0, 1]}, higher is better, 0.5 is chance; invariant to strictly increasing transforms of the
 * machine map.
 *
 * <p>When the machine values at fixations are distinct this equals {@code AUC_Judd.m}. With ties
 * this class takes one threshold per distinct value and counts all tied pixels at once; the MATLAB
 * code instead adds random jitter of about {@code 1e-7} by default, and without jitter counts tied
 * fixations as false positives. So a constant machine map scores exactly 0.5 here.
 *
 * <p>Fixations of a continuous human map follow {@link Fixations}, as for {@link Nss}. Undefined
 * without fixations, or when every pixel is a fixation (no false-positive rate): such frames are
 * marked undefined; the volume forms throw.
 *
 * @since 0.1.0
 */
public final class AucJudd implements MapMetric {

    private static final AucJudd DEFAULT = new AucJudd(Nss.DEFAULT_FIXATION_THRESHOLD);

    private final double fraction;

    private AucJudd(double fraction) {
        this.fraction = fraction;
    }

    /** @return AUC-Judd with the default fixation threshold 0.5 */
    public static AucJudd of() {
        return DEFAULT;
    }

    /**
     * @param fraction a human pixel is a fixation when it is positive and at least this fraction of
     *     the maximum; in {@code (0, 1]}
     * @return a copy with this threshold
     * @throws IllegalArgumentException if the fraction is out of range
     */
    public AucJudd withFixationThreshold(double fraction) {
        return new AucJudd(Fixations.requireFraction(fraction));
    }

    /** @return the fixation threshold as a fraction of the human map's maximum */
    public double fixationThreshold() {
        return fraction;
    }

    /** @return {@code "auc_judd"} */
    @Override
    public String name() {
        return "auc_judd";
    }

    /** @return true */
    @Override
    public boolean higherIsBetter() {
        return true;
    }

    /**
     * AUC-Judd over the volume, fixations thresholded against the volume's maximum.
     *
     * @throws IllegalArgumentException if the shapes differ, a value is not finite, or the human map
     *     has no fixation or only fixations
     */
    @Override
    public double volume(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        return volume(Fixations.aboveVolumeFraction(human, fraction), machine);
    }

    /**
     * AUC-Judd of every frame, fixations thresholded against each frame's maximum; frames with no
     * fixation or only fixations are undefined.
     *
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    @Override
    public FrameScores perFrame(Volume human, Volume machine) {
        Inputs.requirePair(human, machine);
        return perFrame(Fixations.aboveFrameFraction(human, fraction), machine);
    }

    /**
     * AUC-Judd over the volume at explicit fixations.
     *
     * @param fixations the fixation mask
     * @param machine the machine map, same shape, every value finite
     * @return the value
     * @throws IllegalArgumentException if the shapes differ, a value is not finite, or the mask is
     *     empty or full
     */
    public double volume(Fixations fixations, Volume machine) {
        Nss.checkMasked(fixations, machine);
        if (fixations.count() == 0) {
            throw Nss.noFixations(name());
        }
        if (fixations.count() == machine.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: all %d pixels are fixations, so there is no false-positive rate and the"
                            + " metric is undefined", name(), machine.size()));
        }
        return auc(machine.toArray(), fixations.toArray());
    }

    /**
     * AUC-Judd of every frame at explicit fixations; frames with no fixation or only fixations are
     * undefined.
     *
     * @param fixations the fixation mask
     * @param machine the machine map, same shape, every value finite
     * @return the scores
     * @throws IllegalArgumentException if the shapes differ or a value is not finite
     */
    public FrameScores perFrame(Fixations fixations, Volume machine) {
        Nss.checkMasked(fixations, machine);
        return Nss.masked(fixations, machine, AucJudd::auc);
    }

    /** AUC-Judd of a finite sample at a mask; NaN with no fixation or no non-fixation. */
    static double auc(double[] s, boolean[] fix) {
        int nf = 0;
        for (boolean b : fix) {
            if (b) {
                nf++;
            }
        }
        int nn = s.length - nf;
        if (nf == 0 || nn == 0) {
            return Double.NaN;
        }
        double[] f = new double[nf];
        double[] o = new double[nn];
        int a = 0;
        int b = 0;
        for (int i = 0; i < s.length; i++) {
            if (fix[i]) {
                f[a++] = s[i];
            } else {
                o[b++] = s[i];
            }
        }
        Arrays.sort(f);
        Arrays.sort(o);
        int i = nf - 1;
        int j = nn - 1;
        double fp0 = 0;
        double tp0 = 0;
        double area = 0;
        while (i >= 0) {
            double t = f[i];
            // ">=" also absorbs -0.0 / 0.0, which sort apart but compare equal
            while (i >= 0 && f[i] >= t) {
                i--;
            }
            while (j >= 0 && o[j] >= t) {
                j--;
            }
            double tp = (double) (nf - 1 - i) / nf;
            double fp = (double) (nn - 1 - j) / nn;
            area += (fp - fp0) * (tp + tp0) / 2;
            fp0 = fp;
            tp0 = tp;
        }
        area += (1 - fp0) * (1 + tp0) / 2;
        return area;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AucJudd && Double.compare(((AucJudd) o).fraction, fraction) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(fraction);
    }

    @Override
    public String toString() {
        return "auc_judd{fixationThreshold=" + fraction + "}";
    }
}

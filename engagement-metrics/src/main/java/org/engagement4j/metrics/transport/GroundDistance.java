package org.engagement4j.metrics.transport;

import java.util.Locale;
import java.util.Objects;

/**
 * The cost of moving one unit of mass from pixel {@code (y1, x1)} to pixel {@code (y2, x2)} of a
 * 2-D histogram, in pixel-index units (row, column), as in the reference code, where the 32x32
 * maps were compared with OpenCV's {@code cv2.EMD} using {@code DIST_L2} on (row, column)
 * coordinates (Fraile et al., ICMI 2022, Section 5).
 *
 * <p>The three built-in grounds depend only on the offset {@code (y2 - y1, x2 - x1)}, which lets
 * {@link Emd} look costs up in a small table instead of materialising the cost matrix:
 * <ul>
 *   <li>{@link #EUCLIDEAN}: {@code sqrt(dy^2 + dx^2)}, a metric (the paper's choice);</li>
 *   <li>{@link #L1}: {@code |dy| + |dx|}, a metric;</li>
 *   <li>{@link #SQEUCLIDEAN}: {@code dy^2 + dx^2}, not a metric (it breaks the triangle
 *       inequality); the optimal cost is the squared 2-Wasserstein distance.</li>
 * </ul>
 * Caller-supplied costs come from {@link #custom(String, boolean, PixelCost)}.
 *
 * <p>{@link #isMetric()} is a promise the solver relies on: for a metric ground the optimal cost
 * depends only on {@code a - b} (Kantorovich-Rubinstein duality), so {@link Emd} transports only
 * the surplus {@code (a - b)+} to the deficit {@code (b - a)+}. A ground that claims to be a metric
 * but is not would give wrong (too low) distances.
 *
 * @since 0.1.0
 */
public interface GroundDistance {

    /** Euclidean distance {@code sqrt(dy^2 + dx^2)} between pixel indices; a metric. */
    GroundDistance EUCLIDEAN = StandardGround.EUCLIDEAN;

    /** Manhattan (city-block) distance {@code |dy| + |dx|} between pixel indices; a metric. */
    GroundDistance L1 = StandardGround.L1;

    /**
     * Squared Euclidean distance {@code dy^2 + dx^2} between pixel indices; not a metric, so the
     * solver works on the full bipartite problem.
     */
    GroundDistance SQEUCLIDEAN = StandardGround.SQEUCLIDEAN;

    /**
     * The cost of moving one unit of mass between two pixels.
     *
     * @param y1 row of the pixel the mass leaves (first histogram)
     * @param x1 column of the pixel the mass leaves
     * @param y2 row of the pixel the mass reaches (second histogram)
     * @param x2 column of the pixel the mass reaches
     * @return the cost, finite and {@code >= 0}
     */
    double cost(int y1, int x1, int y2, int x2);

    /**
     * @return {@code true} if this cost is a metric on pixels (zero on the diagonal, symmetric,
     *     triangle inequality); enables the mass-difference reduction described in the class
     *     comment. True for {@link #EUCLIDEAN} and {@link #L1}.
     */
    boolean isMetric();

    /**
     * @return a short stable name: {@code euclidean}, {@code l1}, {@code sqeuclidean}, or the
     *     custom name
     */
    String name();

    /**
     * The built-in ground distance with this name.
     *
     * @param name {@code "euclidean"}, {@code "l1"} or {@code "sqeuclidean"}, case-insensitive,
     *     surrounding blanks ignored
     * @return the ground distance
     * @throws IllegalArgumentException if the name is not one of those, listing the valid names
     * @throws NullPointerException if {@code name} is null
     */
    static GroundDistance parse(String name) {
        Objects.requireNonNull(name, "name");
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (StandardGround g : StandardGround.values()) {
            if (g.name().equals(key)) {
                return g;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "name: unknown ground distance '%s'; expected one of [euclidean, l1, sqeuclidean]",
                name));
    }

    /**
     * A caller-supplied ground distance. It is treated as a general cost (one evaluation per pixel
     * pair, possibly cached as a dense matrix), never as translation-invariant.
     *
     * <p>The solver checks every value it uses: a NaN, infinite or negative cost is reported as an
     * {@link IllegalArgumentException} naming this ground and the pixel pair.
     *
     * @param name a short name used in messages and {@link #name()}; not blank
     * @param metric whether {@code cost} is a metric (see {@link #isMetric()}); say {@code false}
     *     when unsure: the result is then exact in every case, only slower
     * @param cost the cost function; must be deterministic and thread-safe
     * @return the ground distance
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws NullPointerException if an argument is null
     */
    static GroundDistance custom(String name, boolean metric, PixelCost cost) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cost, "cost");
        if (name.isBlank()) {
            throw new IllegalArgumentException(
                    "name: a custom ground distance needs a non-blank name");
        }
        return new CustomGround(name, metric, cost);
    }

    /**
     * A cost between two pixels, for {@link GroundDistance#custom(String, boolean, PixelCost)}.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    interface PixelCost {

        /**
         * @param y1 row of the pixel the mass leaves
         * @param x1 column of the pixel the mass leaves
         * @param y2 row of the pixel the mass reaches
         * @param x2 column of the pixel the mass reaches
         * @return the cost of moving one unit of mass, finite and {@code >= 0}
         */
        double cost(int y1, int x1, int y2, int x2);
    }
}

package org.engagement4j.metrics.transport;

import java.util.List;

/**
 * The built-in grounds. Their cost depends only on {@code (|dy|, |dx|)}, so the solver reads it
 * from a per-shape table ({@link GridGeometry}) instead of calling {@link #cost} per pixel pair.
 * A final class rather than an enum because {@link Enum#name()} is final and upper-case, while the
 * public names are lower-case.
 */
final class StandardGround implements GroundDistance {

    private static final int KIND_EUCLIDEAN = 0;
    private static final int KIND_L1 = 1;
    private static final int KIND_SQEUCLIDEAN = 2;

    static final StandardGround EUCLIDEAN = new StandardGround(KIND_EUCLIDEAN, "euclidean", true);
    static final StandardGround L1 = new StandardGround(KIND_L1, "l1", true);
    static final StandardGround SQEUCLIDEAN =
            new StandardGround(KIND_SQEUCLIDEAN, "sqeuclidean", false);

    private final int kind;
    private final String name;
    private final boolean metric;

    private StandardGround(int kind, String name, boolean metric) {
        this.kind = kind;
        this.name = name;
        this.metric = metric;
    }

    /** @return the built-in grounds, in the order used by error messages */
    static List<StandardGround> values() {
        return List.of(EUCLIDEAN, L1, SQEUCLIDEAN);
    }

    /**
     * The cost of an offset. Exact for the offsets of any realistic map: squares and sums of
     * integers below 2^26 are exact in double and {@link Math#sqrt} is correctly rounded, so these
     * equal POT's {@code ot.dist} on integer coordinates bit for bit.
     *
     * @param dy row offset
     * @param dx column offset
     * @return the cost
     */
    double offsetCost(int dy, int dx) {
        double y = dy;
        double x = dx;
        switch (kind) {
            case KIND_EUCLIDEAN:
                return Math.sqrt(y * y + x * x);
            case KIND_L1:
                return Math.abs(y) + Math.abs(x);
            default:
                return y * y + x * x;
        }
    }

    @Override
    public double cost(int y1, int x1, int y2, int x2) {
        return offsetCost(y2 - y1, x2 - x1);
    }

    @Override
    public boolean isMetric() {
        return metric;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}

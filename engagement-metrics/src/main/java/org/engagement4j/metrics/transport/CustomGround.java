package org.engagement4j.metrics.transport;

/** A caller-supplied ground distance; see {@link GroundDistance#custom}. */
final class CustomGround implements GroundDistance {

    private final String name;
    private final boolean metric;
    private final PixelCost cost;

    CustomGround(String name, boolean metric, PixelCost cost) {
        this.name = name;
        this.metric = metric;
        this.cost = cost;
    }

    @Override
    public double cost(int y1, int x1, int y2, int x2) {
        return cost.cost(y1, x1, y2, x2);
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
        return name + (metric ? " (custom metric)" : " (custom)");
    }
}

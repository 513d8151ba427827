/**
 * engagement-metrics: exact EMD, map standardisation, similarity and agreement metrics, paired
 * tests and {@code .npy} I/O. Pure Java, no logging.
 */
module org.engagement4j.metrics {
    requires org.apache.commons.statistics.inference;
    requires org.apache.commons.statistics.ranking;
    requires org.apache.commons.statistics.distribution;
    requires org.apache.commons.rng.api;
    requires org.apache.commons.rng.simple;
    requires org.apache.commons.rng.sampling;

    exports org.engagement4j.metrics;
    exports org.engagement4j.metrics.transport;
    exports org.engagement4j.metrics.maps;
    exports org.engagement4j.metrics.agreement;
    exports org.engagement4j.metrics.stats;
    exports org.engagement4j.metrics.io;
}

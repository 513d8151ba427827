/**
 * engagement-core: recordings, ELAN annotations, folds, snippet sampling, preprocessing, the
 * classifier on ONNX Runtime, ONNX graph building and differentiation, training.
 */
module org.engagement4j.core {
    requires transitive org.engagement4j.metrics;
    requires org.slf4j;

    exports org.engagement4j.core;
}

/**
 * engagement-core: recordings, ELAN annotations, folds, snippet sampling, preprocessing, the
 * classifier on ONNX Runtime, ONNX graph building and differentiation, training.
 */
module org.engagement4j.core {
    requires transitive org.engagement4j.metrics;
    requires org.slf4j;
    requires java.xml;
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.rng.api;
    requires org.apache.commons.rng.simple;
    requires org.apache.commons.rng.sampling;
    requires com.microsoft.onnxruntime;
    // transitive: the public graph API takes and returns the generated ONNX protobuf messages.
    requires transitive com.google.protobuf;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.ffmpeg;

    exports org.engagement4j.core;
    exports org.engagement4j.core.annotation;
    exports org.engagement4j.core.video;
    exports org.engagement4j.core.elan;
    exports org.engagement4j.core.stats;
    exports org.engagement4j.core.folds;
    exports org.engagement4j.core.sampling;
    exports org.engagement4j.core.transform;
    exports org.engagement4j.core.onnx;
    exports org.engagement4j.core.graph;
    exports org.engagement4j.core.graph.backward;
    exports org.engagement4j.core.graph.quant;
    exports org.engagement4j.core.model;
    exports org.engagement4j.core.training;
    exports org.engagement4j.core.evaluation;
    // Not API: the atomic file writes shared with engagement-xai.
    exports org.engagement4j.core.internal to org.engagement4j.xai;
}

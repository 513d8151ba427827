/**
 * engagement-xai: attention maps from a plain forward ONNX model through core's backward graph.
 * Its API packages arrive with the attention-map issue.
 */
module org.engagement4j.xai {
    requires transitive org.engagement4j.core;
}

/**
 * engagement-xai: attention maps from a plain forward ONNX model through core's backward graph
 * ({@code attention}), pictures of them ({@code render}) and the human annotator's map format
 * ({@code human}).
 */
module org.engagement4j.xai {
    requires transitive org.engagement4j.core;
    requires org.slf4j;
    // The explainer runs its backward graph on ONNX Runtime (a dependency of core, not re-exported).
    requires com.microsoft.onnxruntime;
    requires com.fasterxml.jackson.databind;
    // transitive: the render API hands out java.awt.image.BufferedImage (javax.imageio writes them).
    requires transitive java.desktop;

    exports org.engagement4j.xai.attention;
    exports org.engagement4j.xai.render;
    exports org.engagement4j.xai.human;
}

package org.engagement4j.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A model ready for ONNX Runtime: the bytes to load (the caller's, or an edited copy with the
 * encoder output exposed, quantised or lowered to 2-D convolutions), and what was learnt from the
 * graph on the way.
 *
 * @param bytes the serialised model to create the session from
 * @param sha256 the SHA-256 of the caller's bytes, lower-case hex
 * @param opset the default-domain opset
 * @param embeddingName the encoder output, when one was found
 * @param originalOutputs the graph outputs of the caller's model, in order
 * @param precision int8 when the caller's file was quantised or it was quantised at load
 * @param lowered whether the 3-D convolutions run as 2-D ones
 *     ({@link org.engagement4j.core.graph.Conv3dLowering})
 */
record PreparedModel(byte[] bytes, String sha256, int opset, Optional<String> embeddingName,
        List<String> originalOutputs, Precision precision, boolean lowered) {
}

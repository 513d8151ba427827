/**
 * Building, reading and editing ONNX graphs in Java, without Python.
 *
 * <ul>
 *   <li>{@link org.engagement4j.core.graph.GraphBuilder}: inputs with symbolic dimensions,
 *       initializers from Java arrays, nodes with attributes, outputs, opset; {@code build()}
 *       checks the graph and returns a {@code ModelProto}.</li>
 *   <li>{@link org.engagement4j.core.graph.OnnxModels}: atomic write, read, bytes.</li>
 *   <li>{@link org.engagement4j.core.graph.Mc3Graph}: torchvision's mc3_18 video classifier (paper
 *       section "Model", REFERENCE.md section 6) with the node structure of
 *       {@code torch.onnx.export} on the eval-mode model (BatchNorm folded into Conv), with seeded
 *       random weights, closed-form weights, or a torchvision state_dict read from
 *       {@link org.engagement4j.core.graph.Safetensors}.</li>
 *   <li>{@link org.engagement4j.core.graph.ModelInspector} and
 *       {@link org.engagement4j.core.graph.ModelEditor}: find the pooled encoder output and the
 *       Grad-CAM layer of a torchvision export, expose an inner tensor as a graph output.</li>
 * </ul>
 *
 * <p>Caller mistakes and malformed files raise {@link java.lang.IllegalArgumentException} with the
 * culprit (tensor, node or file) and what was expected; I/O failures raise
 * {@link java.io.IOException}.
 *
 * @since 0.1.0
 */
package org.engagement4j.core.graph;

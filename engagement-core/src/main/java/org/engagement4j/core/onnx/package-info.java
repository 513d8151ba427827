/**
 * The ONNX protobuf messages ({@code OnnxProtos.ModelProto}, {@code GraphProto}, {@code NodeProto},
 * {@code TensorProto}, ...), generated at build time by protoc from {@code src/main/proto/onnx.proto}
 * (ONNX 1.12, IR version 8, Apache-2.0). Nothing here is hand-written; the graph package builds,
 * inspects and edits these messages.
 *
 * @since 0.1.0
 */
package org.engagement4j.core.onnx;

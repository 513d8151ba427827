package org.engagement4j.core.graph;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/**
 * Reading and writing ONNX model files ({@code .onnx}: one serialized {@code ModelProto}).
 *
 * <p>Models larger than 2 GiB (protobuf's limit, where ONNX moves tensors to external files) are
 * not supported; the full mc3_18 is about 46 MB.
 *
 * @since 0.1.0
 */
public final class OnnxModels {

    private OnnxModels() {
    }

    /**
     * @param model a model
     * @return its serialized bytes, which {@code OrtEnvironment.createSession(byte[])} accepts
     */
    public static byte[] toBytes(ModelProto model) {
        return Objects.requireNonNull(model, "model").toByteArray();
    }

    /**
     * Writes a model atomically: to a temporary file in the same folder, then renamed over
     * {@code file}; missing parent folders are created.
     *
     * @param model the model
     * @param file target file; replaced if it exists
     * @throws IOException if writing fails (the target is then left as it was)
     */
    public static void write(ModelProto model, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(file, "file");
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, model::writeTo);
    }

    /**
     * Reads a model file.
     *
     * @param file an {@code .onnx} file
     * @return the model
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not an ONNX model (not protobuf, or no graph)
     */
    public static ModelProto read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses a serialized model.
     *
     * @param bytes the serialized {@code ModelProto}
     * @param source where the bytes come from, for error messages
     * @return the model
     * @throws IllegalArgumentException if the bytes are not an ONNX model (not protobuf, or no graph
     *     or IR version)
     */
    public static ModelProto parse(byte[] bytes, String source) {
        Objects.requireNonNull(bytes, "bytes");
        ModelProto m;
        try {
            m = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is not an ONNX model (%d bytes): %s", source, bytes.length, e.getMessage()), e);
        }
        // Arbitrary bytes sometimes parse as a message made only of unknown fields.
        if (!m.hasGraph() || m.getIrVersion() <= 0 || m.getGraph().getNodeCount() == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is not an ONNX model (%d bytes): no ir_version or no graph nodes", source, bytes.length));
        }
        return m;
    }

    /**
     * The SHA-256 of a model's serialized bytes (the same as of the file {@link #write} writes).
     *
     * @param model a model
     * @return lower-case hex digest
     */
    public static String sha256(ModelProto model) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(toBytes(model)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

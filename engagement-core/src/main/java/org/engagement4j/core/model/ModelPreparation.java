package org.engagement4j.core.model;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.engagement4j.core.graph.ModelEditor;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a model's bytes before ONNX Runtime sees them: hash, opset, and the encoder output of a
 * torchvision-style graph ({@link ModelInspector#encoderOutput}), which is added as a graph output
 * ({@link ModelEditor#exposeOutput}) so that one session gives both logits and embeddings.
 */
final class ModelPreparation {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPreparation.class);

    private ModelPreparation() {
    }

    static PreparedModel prepare(byte[] bytes, String source, boolean exposeEmbedding)
            throws ModelException {
        String sha = sha256(bytes);
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(ModelException.Reason.CORRUPT, String.format(Locale.ROOT,
                    "model %s: not an ONNX model (the protobuf cannot be parsed: %s)", source,
                    e.getMessage()), e);
        }
        if (!model.hasGraph() || model.getIrVersion() < 1) {
            throw new ModelException(ModelException.Reason.CORRUPT, String.format(Locale.ROOT,
                    "model %s: not an ONNX model (%d bytes without %s)", source, bytes.length,
                    model.hasGraph() ? "an ir_version" : "a graph"));
        }
        long opset = ModelInspector.opset(model);
        if (opset < 1 || opset > Integer.MAX_VALUE) {
            throw new ModelException(ModelException.Reason.CORRUPT, String.format(Locale.ROOT,
                    "model %s: no valid opset of the default domain (ai.onnx) among its"
                            + " opset imports %s", source, model.getOpsetImportList()));
        }
        List<String> outputs = new ArrayList<>();
        for (ValueInfoProto v : model.getGraph().getOutputList()) {
            outputs.add(v.getName());
        }
        if (!exposeEmbedding) {
            return new PreparedModel(bytes, sha, (int) opset, Optional.empty(),
                    List.copyOf(outputs));
        }
        String encoder;
        try {
            encoder = ModelInspector.encoderOutput(model).name();
        } catch (IllegalArgumentException e) {
            LOG.info("model {}: no encoder output, embed() is not available: {}", source,
                    e.getMessage());
            return new PreparedModel(bytes, sha, (int) opset, Optional.empty(),
                    List.copyOf(outputs));
        }
        byte[] run = outputs.contains(encoder) ? bytes
                : ModelEditor.exposeOutput(model, encoder).toByteArray();
        return new PreparedModel(run, sha, (int) opset, Optional.of(encoder),
                List.copyOf(outputs));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

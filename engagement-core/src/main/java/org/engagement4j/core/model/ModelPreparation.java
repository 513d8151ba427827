package org.engagement4j.core.model;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.engagement4j.core.graph.Conv3dLowering;
import org.engagement4j.core.graph.FloatTensor;
import org.engagement4j.core.graph.ModelEditor;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.quant.Int8Quantizer;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a model's bytes before ONNX Runtime sees them: hash, opset, and the encoder output of a
 * torchvision-style graph ({@link ModelInspector#encoderOutput}), which is added as a graph output
 * ({@link ModelEditor#exposeOutput}) so that one session gives both logits and embeddings; then,
 * on request, int8 quantisation ({@link Int8Quantizer}) or the exact 2-D lowering of the 3-D
 * convolutions ({@link Conv3dLowering}).
 */
final class ModelPreparation {

    private static final Logger LOG = LoggerFactory.getLogger(ModelPreparation.class);

    /** Operators that only a quantised graph holds. */
    private static final Set<String> QUANTISED_OPS = Set.of("QuantizeLinear", "DequantizeLinear",
            "QLinearConv", "ConvInteger", "MatMulInteger", "QLinearMatMul", "DynamicQuantizeLinear");

    private ModelPreparation() {
    }

    /**
     * What to do to the model besides exposing the embedding.
     *
     * @param exposeEmbedding look for the encoder output and add it as a graph output
     * @param lower lower the 3-D convolutions of a float32 model to 2-D ones when the graph allows
     * @param precision the precision asked for; INT8 quantises a float model with the calibration
     * @param calibration calibration inputs for INT8 (empty otherwise)
     * @param quantizer the quantiser for INT8
     */
    record Options(boolean exposeEmbedding, boolean lower, Precision precision,
            List<FloatTensor> calibration, Int8Quantizer quantizer) {
    }

    static PreparedModel prepare(byte[] bytes, String source, boolean exposeEmbedding)
            throws ModelException {
        return prepare(bytes, source, new Options(exposeEmbedding, false, Precision.FP32, List.of(),
                Int8Quantizer.defaults()));
    }

    static PreparedModel prepare(byte[] bytes, String source, Options options)
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
        ModelProto run = model;
        Optional<String> embedding = Optional.empty();
        if (options.exposeEmbedding()) {
            try {
                String encoder = ModelInspector.encoderOutput(model).name();
                embedding = Optional.of(encoder);
                run = ModelEditor.exposeOutput(model, encoder);
            } catch (IllegalArgumentException e) {
                LOG.info("model {}: no encoder output, embed() is not available: {}", source,
                        e.getMessage());
            }
        }
        Precision precision = isQuantised(model) ? Precision.INT8 : Precision.FP32;
        if (options.precision() == Precision.INT8 && precision == Precision.FP32) {
            if (options.calibration().isEmpty()) {
                throw new IllegalStateException(String.format(Locale.ROOT, "model %s: precision"
                        + " INT8 needs calibration(...) clips, as the model is not quantised"
                        + " (quantise it with 'engagement quantize' or give calibration clips)",
                        source));
            }
            try {
                run = options.quantizer().quantize(run, options.calibration());
            } catch (IllegalArgumentException e) {
                throw new ModelException(ModelException.Reason.UNSUPPORTED_MODEL, String.format(
                        Locale.ROOT, "model %s: int8 quantisation failed: %s", source,
                        e.getMessage()), e);
            }
            precision = Precision.INT8;
            LOG.info("model {}: quantised to int8 (QDQ) at load with {} calibration inputs", source,
                    options.calibration().size());
        } else if (options.precision() == Precision.INT8) {
            LOG.info("model {}: already quantised, calibration not used", source);
        }
        boolean lowered = false;
        if (options.lower() && precision == Precision.FP32) {
            try {
                run = Conv3dLowering.defaults().apply(run);
                lowered = true;
            } catch (IllegalArgumentException e) {
                LOG.info("model {}: runs with its own convolutions: {}", source, e.getMessage());
            }
        }
        byte[] runBytes = run == model ? bytes : run.toByteArray();
        return new PreparedModel(runBytes, sha, (int) opset, embedding, List.copyOf(outputs),
                precision, lowered);
    }

    /** @return whether the graph holds quantisation operators (a QDQ or QOperator model) */
    static boolean isQuantised(ModelProto model) {
        for (NodeProto n : model.getGraph().getNodeList()) {
            if (QUANTISED_OPS.contains(n.getOpType())) {
                return true;
            }
        }
        return false;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}

package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.TensorInfo;
import org.engagement4j.core.model.EngagementClassifier;
import org.engagement4j.core.model.ModelException;
import org.engagement4j.core.model.ModelSignature;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorShapeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code engagement model-info M.onnx}: what an ONNX model holds and whether the classifier
 * accepts it: inputs, outputs, operator counts, the detected encoder output (what
 * {@code embed} returns) and Grad-CAM layer, and the classifier's validated signature. Exits 2
 * (after the description) when the classifier refuses the model, and when the file is not ONNX.
 */
@Command(name = "model-info", mixinStandardHelpOptions = true,
        header = "Inputs, outputs, op counts and detected layers of a model.",
        description = {"Describe an ONNX model: inputs, outputs, opset, operator counts, the",
            "detected encoder output (pooled features) and Grad-CAM layer (layer4's last conv2),",
            "and whether the engagement classifier accepts it (exit status 2 if not)."})
final class ModelInfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "M.onnx", description = "The ONNX model file.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ModelProto m = OnnxModels.read(file);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("file", file.toString());
        root.put("bytes", Files.size(file));
        root.put("ir_version", m.getIrVersion());
        root.put("opset", ModelInspector.opset(m));
        root.put("producer", (m.getProducerName() + " " + m.getProducerVersion()).trim());
        root.put("graph", m.getGraph().getName());
        root.set("inputs", values(mapper, inputsWithoutInitializers(m)));
        root.set("outputs", values(mapper, m.getGraph().getOutputList()));
        root.put("nodes", m.getGraph().getNodeCount());
        root.put("initializers", m.getGraph().getInitializerCount());
        long parameters = 0;
        for (var t : m.getGraph().getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            parameters += n;
        }
        root.put("parameters", parameters);
        ObjectNode ops = root.putObject("op_counts");
        for (Map.Entry<String, Integer> e : ModelInspector.opCounts(m).entrySet()) {
            ops.put(e.getKey(), e.getValue());
        }
        root.set("encoder_output", found(mapper, () -> ModelInspector.encoderOutput(m)));
        root.set("gradcam_layer", found(mapper, () -> ModelInspector.gradCamLayer(m)));
        ObjectNode cls = root.putObject("classifier");
        try (EngagementClassifier c = EngagementClassifier.builder().model(file).intraOpThreads(1)
                .build()) {
            ModelSignature s = c.signature();
            cls.put("accepted", true);
            cls.put("input", s.inputName() + " " + s.inputShapeText());
            cls.put("logits", s.logitsName() + " [N, " + s.classes() + "]");
            cls.put("classes", s.classes());
            cls.put("embedding", s.embeddingName().map(e -> e + " [N, " + s.embeddingSize() + "]")
                    .orElse(null));
            cls.put("sha256", c.provenance().modelSha256());
            cls.put("onnxruntime_version", c.provenance().onnxRuntimeVersion());
        } catch (ModelException e) {
            cls.put("accepted", false);
            cls.put("reason", e.reason().name());
            cls.put("message", e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            printText(out, root);
        }
        out.flush();
        if (!cls.get("accepted").asBoolean()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: " + cls.get("message").asText());
            err.flush();
            return ErrorHandler.BAD_INPUT;
        }
        return 0;
    }

    private static List<ValueInfoProto> inputsWithoutInitializers(ModelProto m) {
        java.util.Set<String> init = new java.util.HashSet<>();
        for (var t : m.getGraph().getInitializerList()) {
            init.add(t.getName());
        }
        return m.getGraph().getInputList().stream().filter(v -> !init.contains(v.getName()))
                .toList();
    }

    private static ArrayNode values(ObjectMapper mapper, List<ValueInfoProto> list) {
        ArrayNode a = mapper.createArrayNode();
        for (ValueInfoProto v : list) {
            ObjectNode o = a.addObject();
            o.put("name", v.getName());
            o.put("type", v.getType().hasTensorType()
                    ? elementName(v.getType().getTensorType().getElemType()) : "(not a tensor)");
            o.put("shape", shape(v));
        }
        return a;
    }

    private static String elementName(int code) {
        for (org.engagement4j.core.graph.ElementType t
                : org.engagement4j.core.graph.ElementType.values()) {
            if (t.onnxCode() == code) {
                return t.name().toLowerCase(Locale.ROOT);
            }
        }
        return "type " + code;
    }

    private static String shape(ValueInfoProto v) {
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return "(unknown)";
        }
        StringBuilder b = new StringBuilder("[");
        List<TensorShapeProto.Dimension> dims = v.getType().getTensorType().getShape().getDimList();
        for (int i = 0; i < dims.size(); i++) {
            TensorShapeProto.Dimension d = dims.get(i);
            b.append(i == 0 ? "" : ", ").append(d.hasDimValue() ? Long.toString(d.getDimValue())
                    : d.hasDimParam() ? d.getDimParam() : "?");
        }
        return b.append(']').toString();
    }

    private interface Search {
        TensorInfo find();
    }

    private static ObjectNode found(ObjectMapper mapper, Search search) {
        ObjectNode o = mapper.createObjectNode();
        try {
            TensorInfo t = search.find();
            o.put("found", true);
            o.put("tensor", t.name());
            o.put("producer", t.producerOp() + " " + t.producerNode());
            o.put("shape", t.shape().map(ModelInfoCommand::dims).orElse("(unknown)"));
        } catch (IllegalArgumentException e) {
            o.put("found", false);
            o.put("reason", e.getMessage());
        }
        return o;
    }

    private static String dims(List<Dim> dims) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            Dim d = dims.get(i);
            b.append(i == 0 ? "" : ", ").append(d.isFixed() ? Long.toString(d.value())
                    : d.isSymbolic() ? d.symbol() : "?");
        }
        return b.append(']').toString();
    }

    private static void printText(PrintWriter out, ObjectNode r) {
        out.printf(Locale.ROOT, "model      %s (%d bytes)%n", r.get("file").asText(),
                r.get("bytes").asLong());
        out.printf(Locale.ROOT, "format     ONNX IR %d, opset %d, producer %s, graph %s%n",
                r.get("ir_version").asLong(), r.get("opset").asLong(),
                r.get("producer").asText(), r.get("graph").asText());
        for (String k : List.of("inputs", "outputs")) {
            for (var v : r.get(k)) {
                out.printf(Locale.ROOT, "%-10s %s %s %s%n", k.substring(0, k.length() - 1),
                        v.get("name").asText(), v.get("type").asText(), v.get("shape").asText());
            }
        }
        out.printf(Locale.ROOT, "size       %d nodes, %d initializers, %d parameters%n",
                r.get("nodes").asInt(), r.get("initializers").asInt(),
                r.get("parameters").asLong());
        StringBuilder ops = new StringBuilder();
        r.get("op_counts").fields().forEachRemaining(e -> ops.append(ops.length() == 0 ? "" : ", ")
                .append(e.getKey()).append(" ").append(e.getValue().asInt()));
        out.printf(Locale.ROOT, "ops        %s%n", ops);
        for (String k : List.of("encoder_output", "gradcam_layer")) {
            var v = r.get(k);
            String label = k.equals("encoder_output") ? "encoder" : "grad-cam";
            if (v.get("found").asBoolean()) {
                out.printf(Locale.ROOT, "%-10s %s %s (from %s)%n", label, v.get("tensor").asText(),
                        v.get("shape").asText(), v.get("producer").asText());
            } else {
                out.printf(Locale.ROOT, "%-10s not found: %s%n", label, v.get("reason").asText());
            }
        }
        var c = r.get("classifier");
        if (c.get("accepted").asBoolean()) {
            out.printf(Locale.ROOT, "classifier accepted: %s -> %s, embedding %s%n",
                    c.get("input").asText(), c.get("logits").asText(),
                    c.get("embedding").isNull() ? "none" : c.get("embedding").asText());
            out.printf(Locale.ROOT, "sha256     %s%n", c.get("sha256").asText());
        } else {
            out.printf(Locale.ROOT, "classifier refused (%s): %s%n", c.get("reason").asText(),
                    c.get("message").asText());
        }
    }
}

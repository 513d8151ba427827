package org.engagement4j.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.engagement4j.core.graph.Dim;
import org.engagement4j.core.graph.Mc3Architecture;
import org.engagement4j.core.graph.Mc3Graph;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.Safetensors;
import org.engagement4j.core.graph.StateDict;
import org.engagement4j.core.graph.TensorInfo;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code engagement make-model --width 8 --classes 2 --seed 1 --out m.onnx}: writes a torchvision
 * mc3_18 ONNX graph built in Java (BatchNorm folded, the node structure of torch.onnx.export), with
 * seeded random weights, closed-form weights, or a torchvision state_dict from a safetensors file.
 * Demos and tests get a model without Python and without downloading weights.
 */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        header = "Build a torchvision mc3_18 ONNX model in Java.",
        description = {"Build a torchvision mc3_18 video classifier as an ONNX file (input 'input'",
            "[batch,3,time,H,W], output 'logits' [batch,K]), with seeded random weights (default),",
            "the closed-form test weights, or a torchvision state_dict read from a .safetensors file."})
final class MakeModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--width", paramLabel = "W",
            description = "Channels of the stem and layer1; layers 2-4 have 2W, 4W, 8W (default 64, "
                    + "torchvision's mc3_18; with --weights, read from the file).")
    Integer width;

    @Option(names = "--classes", paramLabel = "K",
            description = "Outputs of the final layer (default 2; with --weights, read from the file).")
    Integer classes;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Seed of the random weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--weights", paramLabel = "FILE.safetensors",
            description = "Read a torchvision mc3_18 state_dict (float32) instead of drawing weights.")
    Path weights;

    @Option(names = "--closed-form",
            description = "Use the closed-form weights of the reference tests instead of random ones.")
    boolean closedForm;

    @Option(names = "--input-size", defaultValue = "160x160", paramLabel = "HxW|dynamic",
            description = "Spatial size the input declares, or 'dynamic' for symbolic height and width "
                    + "(default: ${DEFAULT-VALUE}).")
    String inputSize;

    @Option(names = "--opset", defaultValue = "17", paramLabel = "N",
            description = "ONNX opset, 13 to 17 (default: ${DEFAULT-VALUE}).")
    int opset;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "Model file to write.")
    Path out;

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (weights != null && closedForm) {
            throw new IllegalArgumentException("--weights and --closed-form exclude each other");
        }
        StateDict sd = weights == null ? null : Safetensors.read(weights);
        Mc3Architecture arch = sd == null ? Mc3Architecture.mc3_18(2) : Mc3Architecture.inferFrom(sd);
        if (width != null) {
            arch = arch.withBaseWidth(width);
        }
        if (classes != null) {
            arch = arch.withNumClasses(classes);
        }
        arch = withSize(arch, inputSize).withOpset(opset);
        if (sd == null) {
            sd = closedForm ? Mc3Graph.closedFormStateDict(arch) : Mc3Graph.randomStateDict(arch, seed);
        }
        ModelProto model = Mc3Graph.build(arch, sd);
        OnnxModels.write(model, out);

        long parameters = 0;
        for (TensorProto t : model.getGraph().getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) {
                n *= d;
            }
            parameters += n;
        }
        TensorInfo pooled = ModelInspector.encoderOutput(model);
        TensorInfo cam = ModelInspector.gradCamLayer(model);
        String sha = OnnxModels.sha256(model);
        PrintWriter pw = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("file", out.toString());
            root.put("sha256", sha);
            root.put("bytes", model.getSerializedSize());
            root.put("base_width", arch.baseWidth());
            root.put("classes", arch.numClasses());
            root.put("input", "[batch, 3, time, " + arch.inputHeight() + ", " + arch.inputWidth() + "]");
            root.put("opset", arch.opset());
            root.put("nodes", model.getGraph().getNodeCount());
            root.put("parameters", parameters);
            root.put("weights", sd.source());
            root.put("encoder_output", pooled.name());
            root.put("gradcam_layer", cam.name());
            pw.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            pw.printf(Locale.ROOT, "wrote %s (%d bytes, sha256 %s)%n", out, model.getSerializedSize(), sha);
            pw.printf(Locale.ROOT, "mc3_18: base width %d, %d classes, input [batch, 3, time, %s, %s], opset %d%n",
                    arch.baseWidth(), arch.numClasses(), arch.inputHeight(), arch.inputWidth(), arch.opset());
            pw.printf(Locale.ROOT, "%d nodes, %d parameters (BatchNorm folded), weights: %s%n",
                    model.getGraph().getNodeCount(), parameters, sd.source());
            pw.printf(Locale.ROOT, "encoder output: %s %s%n", pooled.name(), pooled.shape().map(Object::toString).orElse("?"));
            pw.printf(Locale.ROOT, "Grad-CAM layer: %s %s%n", cam.name(), cam.shape().map(Object::toString).orElse("?"));
        }
        pw.flush();
        return 0;
    }

    private static Mc3Architecture withSize(Mc3Architecture arch, String size) {
        String s = size.trim().toLowerCase(Locale.ROOT);
        if (s.equals("dynamic")) {
            return arch.withInputSize(Dim.symbolic("height"), Dim.symbolic("width"));
        }
        String[] parts = s.split("x");
        try {
            if (parts.length == 2) {
                return arch.withInputSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "--input-size must be HxW (for example 160x160) or 'dynamic', got '%s'", size));
    }
}

package org.engagement4j.core.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.engagement4j.core.graph.Attributes;
import org.engagement4j.core.graph.ModelInspector;
import org.engagement4j.core.graph.OnnxModels;
import org.engagement4j.core.graph.TensorInfo;
import org.engagement4j.core.graph.Tensors;
import org.engagement4j.core.internal.AtomicFiles;
import org.engagement4j.core.onnx.OnnxProtos.GraphProto;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.NodeProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorProto;
import org.engagement4j.core.onnx.OnnxProtos.TensorShapeProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;
import org.engagement4j.core.transform.Normalization;

/**
 * The trained network as files: the forward ONNX graph with the trained head merged in, the
 * normalisation statistics and a provenance record (REFERENCE.md §6; issue "Export").
 *
 * <h2>Merging</h2>
 * {@link #mergeHead} finds the encoder output of a classifier graph
 * ({@link ModelInspector#encoderOutput}: the pooled, flattened features feeding the final
 * {@code Gemm}, or {@code MatMul} + {@code Add}) and replaces that final layer by one new
 * {@code Gemm} ({@code transB = 1}) reading the head's float32 weight {@code [K, D]} and bias
 * {@code [K]} (initializers {@code fc.weight}, {@code fc.bias}, named as in torchvision). The
 * logits output keeps its name, its shape becomes {@code [batch, K]}; the old layer's nodes and
 * initializers are removed, everything else (opset, encoder, metadata) is kept. So a Kinetics-400
 * export, or a model whose head was trained before, becomes the paper's 2-class classifier, and
 * {@link org.engagement4j.core.model.EngagementClassifier} loads it like any export.
 *
 * <h2>Files written by {@link #write}</h2>
 * <ul>
 *   <li>{@value #MODEL_FILE}: the merged model;</li>
 *   <li>{@value #NORMALIZATION_FILE}: the training folds' statistics
 *       ({@link Normalization#write});</li>
 *   <li>{@value #PROVENANCE_FILE}: {@link TrainingProvenance#toJson()} plus {@code model_sha256}
 *       (of the file written) and {@code normalization}.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class HeadExport {

    /** The merged model's file name. */
    public static final String MODEL_FILE = "model.onnx";
    /** The normalisation file name. */
    public static final String NORMALIZATION_FILE = "normalization.json";
    /** The provenance file name. */
    public static final String PROVENANCE_FILE = "provenance.json";

    private HeadExport() {
    }

    /**
     * Replaces a classifier graph's final linear layer by a trained head.
     *
     * @param forward a classifier graph ending {@code pool -> Flatten -> Gemm} (a torchvision
     *     export, or {@link org.engagement4j.core.graph.Mc3Graph})
     * @param head the trained head
     * @return the merged model (the input is not changed)
     * @throws IllegalArgumentException if the graph has no such final layer (the message says
     *     what was found), or the encoder output's fixed width differs from the head's input size
     */
    public static ModelProto mergeHead(ModelProto forward, LinearHead head) {
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(head, "head");
        TensorInfo features = ModelInspector.encoderOutput(forward);
        long d = features.fixedDim(1);
        if (d > 0 && d != head.inputSize()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the encoder output %s of graph '%s' has %d features, the head reads %d",
                    features.name(), forward.getGraph().getName(), d, head.inputSize()));
        }
        GraphProto g = forward.getGraph();
        // The final layer: the node reading the features whose output is (or feeds, via an Add)
        // a graph output.
        Set<String> outputs = new HashSet<>();
        for (ValueInfoProto v : g.getOutputList()) {
            outputs.add(v.getName());
        }
        int linear = -1;
        int add = -1;
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            boolean kind = n.getOpType().equals("Gemm") || n.getOpType().equals("MatMul");
            if (kind && n.getInputCount() > 0 && n.getInput(0).equals(features.name())) {
                if (outputs.contains(n.getOutput(0))) {
                    linear = i;
                    break;
                }
                for (int j = i + 1; j < g.getNodeCount(); j++) {
                    NodeProto a = g.getNode(j);
                    if (a.getOpType().equals("Add") && a.getInputList().contains(n.getOutput(0))
                            && outputs.contains(a.getOutput(0))) {
                        linear = i;
                        add = j;
                    }
                }
                if (linear >= 0) {
                    break;
                }
            }
        }
        if (linear < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "graph '%s': no Gemm or MatMul (+ Add) reads the encoder output %s and"
                            + " produces a graph output", g.getName(), features.name()));
        }
        NodeProto old = g.getNode(linear);
        String logits = add >= 0 ? g.getNode(add).getOutput(0) : old.getOutput(0);
        Set<String> dropped = new HashSet<>();
        for (int idx : add >= 0 ? new int[] {linear, add} : new int[] {linear}) {
            for (String in : g.getNode(idx).getInputList()) {
                dropped.add(in);
            }
        }
        dropped.remove(features.name());
        dropped.remove(old.getOutput(0));
        // Only initializers no remaining node reads are dropped.
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (i != linear && i != add) {
                dropped.removeAll(g.getNode(i).getInputList());
            }
        }
        Set<String> taken = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            taken.addAll(n.getOutputList());
            taken.add(n.getName());
        }
        for (TensorProto t : g.getInitializerList()) {
            if (!dropped.contains(t.getName())) {
                taken.add(t.getName());
            }
        }
        for (ValueInfoProto v : g.getInputList()) {
            if (!dropped.contains(v.getName())) {
                taken.add(v.getName());
            }
        }
        String wName = fresh("fc.weight", taken);
        String bName = fresh("fc.bias", taken);
        String nodeName = fresh(old.getName().isEmpty() ? "/fc/Gemm" : old.getName(), taken);
        NodeProto gemm = NodeProto.newBuilder().setOpType("Gemm").setName(nodeName)
                .addInput(features.name()).addInput(wName).addInput(bName).addOutput(logits)
                .addAllAttribute(Attributes.none().withFloat("alpha", 1f).withFloat("beta", 1f)
                        .withInt("transB", 1).asList())
                .build();
        GraphProto.Builder gb = g.toBuilder().clearNode().clearInitializer().clearInput()
                .clearValueInfo().clearOutput();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (i == linear) {
                gb.addNode(gemm);
            } else if (i != add) {
                gb.addNode(g.getNode(i));
            }
        }
        List<TensorProto> inits = new ArrayList<>();
        for (TensorProto t : g.getInitializerList()) {
            if (!dropped.contains(t.getName())) {
                inits.add(t);
            }
        }
        inits.add(Tensors.floats(wName, head.weightFloats(), head.classes(), head.inputSize()));
        inits.add(Tensors.floats(bName, head.biasFloats(), head.classes()));
        gb.addAllInitializer(inits);
        for (ValueInfoProto v : g.getInputList()) {
            // Old exports list initializers as inputs too; the removed ones must go with them.
            if (!dropped.contains(v.getName())) {
                gb.addInput(v);
            }
        }
        for (ValueInfoProto v : g.getValueInfoList()) {
            if (!v.getName().equals(old.getOutput(0)) && !v.getName().equals(logits)) {
                gb.addValueInfo(v);
            }
        }
        for (ValueInfoProto v : g.getOutputList()) {
            gb.addOutput(v.getName().equals(logits) ? withClasses(v, head.classes()) : v);
        }
        return forward.toBuilder().setGraph(gb).build();
    }

    private static ValueInfoProto withClasses(ValueInfoProto v, int classes) {
        if (!v.hasType() || !v.getType().hasTensorType()
                || !v.getType().getTensorType().hasShape()
                || v.getType().getTensorType().getShape().getDimCount() != 2) {
            return v;
        }
        ValueInfoProto.Builder b = v.toBuilder();
        TensorShapeProto.Builder s = b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        s.setDim(1, TensorShapeProto.Dimension.newBuilder().setDimValue(classes));
        return b.build();
    }

    private static String fresh(String name, Set<String> taken) {
        String n = name;
        for (int i = 1; taken.contains(n); i++) {
            n = name + "_" + i;
        }
        taken.add(n);
        return n;
    }

    /**
     * Writes the merged model, the normalisation and the provenance into a folder (created if
     * missing; the three files are replaced, each atomically).
     *
     * @param dir the folder
     * @param merged the merged model ({@link #mergeHead})
     * @param normalization the training folds' statistics
     * @param provenance how the model was trained
     * @return the SHA-256 of the model file written
     * @throws IOException if a file cannot be written
     */
    public static String write(Path dir, ModelProto merged, Normalization normalization,
            TrainingProvenance provenance) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(merged, "merged");
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(provenance, "provenance");
        return writeFiles(dir, merged, normalization, provenance.jsonNode());
    }

    /**
     * The three files of an export, shared by {@link #write} and {@link FineTuneExport#write}:
     * the provenance tree gets {@code model_sha256} and {@code normalization} added.
     */
    static String writeFiles(Path dir, ModelProto model, Normalization normalization,
            ObjectNode p) throws IOException {
        Files.createDirectories(dir);
        OnnxModels.write(model, dir.resolve(MODEL_FILE));
        String sha = OnnxModels.sha256(model);
        normalization.write(dir.resolve(NORMALIZATION_FILE));
        p.put("model_sha256", sha);
        p.set("normalization", new ObjectMapper().readTree(normalization.toJson()));
        AtomicFiles.writeString(dir.resolve(PROVENANCE_FILE), ProvenanceJson.pretty(p) + "\n");
        return sha;
    }
}

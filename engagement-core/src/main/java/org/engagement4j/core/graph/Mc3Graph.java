package org.engagement4j.core.graph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;

/**
 * Builds torchvision's {@code mc3_18} (see {@link Mc3Architecture}) as an ONNX graph with the node
 * structure that {@code torch.onnx.export} writes for the eval-mode model (torch 1.13, checked
 * against a committed export in the tests): every Conv3d + BatchNorm3d pair becomes one
 * {@code Conv} with the BatchNorm folded into its weight and bias (eps 1e-5), then {@code Relu},
 * {@code Add} for the residuals, {@code GlobalAveragePool}, {@code Flatten} (axis 1) and
 * {@code Gemm} (transB = 1): 48 nodes in torch's order.
 *
 * <p>Names follow the export: input {@value #INPUT} {@code [batch, 3, time, H, W]}, output
 * {@value #OUTPUT} {@code [batch, K]}, node names such as {@code /layer4/layer4.1/conv2/conv2.0/Conv}
 * and outputs {@code <node>_output_0}. Initializers are named after their module
 * ({@code layer1.0.conv1.0.weight}, {@code layer1.0.conv1.0.bias}: the folded values;
 * {@code fc.weight}, {@code fc.bias}), where torch writes numbered names.
 *
 * <p>Weights come from a {@link StateDict} with torchvision's names: read from a file
 * ({@link #fromSafetensors}), seeded random ({@link #randomStateDict}) or the closed-form rule that
 * the reference tests share with Python ({@link #closedFormStateDict}).
 *
 * @since 0.1.0
 */
public final class Mc3Graph {

    /** Name of the graph input. */
    public static final String INPUT = "input";

    /** Name of the graph output (raw class scores). */
    public static final String OUTPUT = "logits";

    /** The pooled encoder output [batch, 8w] that feeds the final Gemm (as torch names it). */
    public static final String ENCODER_OUTPUT = "/Flatten_output_0";

    /** The Grad-CAM layer: layer4's last conv2 output (BatchNorm folded), before the residual Add. */
    public static final String GRADCAM_LAYER = "/layer4/layer4.1/conv2/conv2.0/Conv_output_0";

    private Mc3Graph() {
    }

    /**
     * Builds the graph from a torchvision state_dict, folding every BatchNorm into its convolution.
     *
     * @param arch the architecture
     * @param weights tensors named as in torchvision's state_dict ({@link Mc3Architecture#stateDictShapes()});
     *     extra tensors are ignored
     * @return the model
     * @throws IllegalArgumentException if a tensor is missing, not float32 or of the wrong shape
     *     (the message names it and the state dict's source)
     */
    public static ModelProto build(Mc3Architecture arch, StateDict weights) {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(weights, "weights");
        Map<String, long[]> shapes = arch.stateDictShapes();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            weights.tensor(e.getKey(), e.getValue());
        }
        Dim batch = Dim.symbolic("batch");
        GraphBuilder g = GraphBuilder.named("mc3_18").opset(arch.opset())
                .docString("torchvision mc3_18 (BatchNorm folded into Conv), built by engagement4j")
                .metadata("engagement4j.architecture", String.format(Locale.ROOT,
                        "mc3_18 base_width=%d classes=%d input=%sx%s", arch.baseWidth(), arch.numClasses(),
                        arch.inputHeight(), arch.inputWidth()))
                .metadata("engagement4j.weights", weights.source());
        g.input(INPUT, batch, Dim.of(3), Dim.symbolic("time"), arch.inputHeight(), arch.inputWidth());

        String x = conv(g, arch.stem(), INPUT, "/stem/stem.0/Conv", weights);
        x = relu(g, x, "/stem/stem.2/Relu");
        for (Mc3Architecture.Block b : arch.blocks()) {
            String layer = b.path().substring(0, b.path().indexOf('.'));
            String p = "/" + layer + "/" + b.path();
            String y = conv(g, b.conv1(), x, p + "/conv1/conv1.0/Conv", weights);
            y = relu(g, y, p + "/conv1/conv1.2/Relu");
            y = conv(g, b.conv2(), y, p + "/conv2/conv2.0/Conv", weights);
            String residual = x;
            if (b.downsample() != null) {
                residual = conv(g, b.downsample(), x, p + "/downsample/downsample.0/Conv", weights);
            }
            String sum = p + "/Add_output_0";
            g.node("Add", p + "/Add", List.of(y, residual), List.of(sum), Attributes.none());
            x = relu(g, sum, p + "/relu/Relu");
        }
        g.node("GlobalAveragePool", "/avgpool/GlobalAveragePool", List.of(x),
                List.of("/avgpool/GlobalAveragePool_output_0"), Attributes.none());
        g.node("Flatten", "/Flatten", List.of("/avgpool/GlobalAveragePool_output_0"), List.of(ENCODER_OUTPUT),
                Attributes.none().withInt("axis", 1));
        g.initializer(Tensors.floats("fc.weight", weights.tensor("fc.weight").view(), arch.numClasses(),
                arch.featureSize()));
        g.initializer(Tensors.floats("fc.bias", weights.tensor("fc.bias").view(), arch.numClasses()));
        g.node("Gemm", "/fc/Gemm", List.of(ENCODER_OUTPUT, "fc.weight", "fc.bias"), List.of(OUTPUT),
                Attributes.none().withFloat("alpha", 1f).withFloat("beta", 1f).withInt("transB", 1));
        g.output(OUTPUT, batch, Dim.of(arch.numClasses()));
        return g.build();
    }

    /**
     * Seeded random weights: {@link #randomStateDict} then {@link #build}.
     *
     * @param arch the architecture
     * @param seed the seed; the same seed and architecture give the same model, bit for bit
     * @return the model
     */
    public static ModelProto random(Mc3Architecture arch, long seed) {
        return build(arch, randomStateDict(arch, seed));
    }

    /**
     * Reads a torchvision state_dict from a safetensors file and builds the graph; the width and
     * the number of classes are read from the tensors ({@link Mc3Architecture#inferFrom}), the input
     * is 160 x 160, opset 17.
     *
     * @param file a safetensors file holding an mc3_18 state_dict
     * @return the model
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is malformed or a tensor is missing or misshapen
     */
    public static ModelProto fromSafetensors(Path file) throws IOException {
        StateDict sd = Safetensors.read(file);
        return build(Mc3Architecture.inferFrom(sd), sd);
    }

    /**
     * Reads a torchvision state_dict from a safetensors file and builds the graph.
     *
     * @param file a safetensors file holding an mc3_18 state_dict
     * @param arch the architecture the tensors must match
     * @return the model
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is malformed or a tensor is missing or misshapen
     */
    public static ModelProto fromSafetensors(Path file, Mc3Architecture arch) throws IOException {
        return build(arch, Safetensors.read(file));
    }

    /**
     * Seeded random weights in torchvision's state_dict layout. Each tensor has its own stream,
     * derived from the seed and the tensor's name (XO_RO_SHI_RO_128_PP). Convolutions: normal with
     * standard deviation sqrt(2 / fan_in) (He); BatchNorm weight U(0.8, 1.2), except after the last
     * convolution of each residual branch (conv2 and downsample) where it is U(0.2, 0.5), so that
     * the residual sums stay of order 1 across the eight blocks; BatchNorm bias and running_mean
     * N(0, 0.05^2); running_var U(0.8, 1.2); fc weight N(0, 1 / features), fc bias N(0, 0.1^2).
     * Logits are then of order 1, as in a trained classifier.
     *
     * @param arch the architecture
     * @param seed the seed
     * @return the tensors, source {@code "random(seed=...)"}
     */
    public static StateDict randomStateDict(Mc3Architecture arch, long seed) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : arch.stateDictShapes().entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(tensorSeed(seed, name));
            ZigguratSampler.NormalizedGaussian gauss = ZigguratSampler.NormalizedGaussian.of(rng);
            float[] v = new float[Tensors.elementCount(name, shape)];
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            boolean residualEnd = name.contains(".conv2.1.") || name.contains(".downsample.1.");
            for (int i = 0; i < v.length; i++) {
                double x;
                if (name.equals("fc.weight")) {
                    x = gauss.sample() / Math.sqrt(shape[1]);
                } else if (name.equals("fc.bias")) {
                    x = 0.1 * gauss.sample();
                } else if (shape.length == 5) {
                    x = gauss.sample() * Math.sqrt(2.0 / (shape[1] * shape[2] * shape[3] * shape[4]));
                } else {
                    x = switch (leaf) {
                        case "weight" -> residualEnd ? 0.2 + 0.3 * rng.nextDouble() : 0.8 + 0.4 * rng.nextDouble();
                        case "running_var" -> 0.8 + 0.4 * rng.nextDouble();
                        default -> 0.05 * gauss.sample();
                    };
                }
                v[i] = (float) x;
            }
            out.put(name, FloatTensor.wrap(v, shape));
        }
        return StateDict.of("random(seed=" + seed + ")", out);
    }

    /**
     * Weights from a closed-form rule that needs no random generator, so that Python can compute the
     * same tensors (the full-size reference test: torch's outputs are committed, the 46 MB of weights
     * are not). Float tensors are numbered k = 0, 1, ... in state_dict order; element i (flat, C
     * order) of tensor k is {@code a + b * sin(0.37 i + 0.1 k)}, computed in double and rounded to
     * float, with (a, b) = (0, 2 / sqrt(fan_in)) for convolution weights, (1, 0.25) for BatchNorm
     * weight, (0, 0.1) for BatchNorm bias, running_mean and fc bias, (1.25, 0.25) for running_var,
     * (0, 1 / sqrt(features)) for fc weight.
     *
     * @param arch the architecture
     * @return the tensors, source {@code "closed-form"}
     */
    public static StateDict closedFormStateDict(Mc3Architecture arch) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        int k = 0;
        for (Map.Entry<String, long[]> e : arch.stateDictShapes().entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            double a;
            double b;
            if (name.equals("fc.weight")) {
                a = 0;
                b = 1 / Math.sqrt(shape[1]);
            } else if (shape.length == 5) {
                a = 0;
                b = 2 / Math.sqrt(shape[1] * shape[2] * shape[3] * shape[4]);
            } else {
                a = switch (leaf) {
                    case "weight" -> 1;
                    case "running_var" -> 1.25;
                    default -> 0;
                };
                b = switch (leaf) {
                    case "weight", "running_var" -> 0.25;
                    default -> 0.1;
                };
            }
            float[] v = new float[Tensors.elementCount(name, shape)];
            double c = 0.1 * k;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (a + b * Math.sin(0.37 * i + c));
            }
            out.put(name, FloatTensor.wrap(v, shape));
            k++;
        }
        return StateDict.of("closed-form", out);
    }

    private static String conv(GraphBuilder g, Mc3Architecture.Conv c, String x, String nodeName, StateDict w) {
        BatchNormFolding.Folded f = BatchNormFolding.fold(w.tensor(c.module() + ".weight").view(), c.out(),
                w.tensor(c.batchNorm() + ".weight").view(), w.tensor(c.batchNorm() + ".bias").view(),
                w.tensor(c.batchNorm() + ".running_mean").view(), w.tensor(c.batchNorm() + ".running_var").view(),
                BatchNormFolding.EPS);
        String wName = c.module() + ".weight";
        String bName = c.module() + ".bias";
        g.initializer(Tensors.floats(wName, f.weight(), c.weightShape()));
        g.initializer(Tensors.floats(bName, f.bias(), c.out()));
        int[] k = c.kernel();
        int[] s = c.stride();
        int[] p = c.pads();
        String out = nodeName + "_output_0";
        g.node("Conv", nodeName, List.of(x, wName, bName), List.of(out), Attributes.none()
                .withInts("dilations", 1, 1, 1)
                .withInt("group", 1)
                .withInts("kernel_shape", k[0], k[1], k[2])
                .withInts("pads", p[0], p[1], p[2], p[0], p[1], p[2])
                .withInts("strides", s[0], s[1], s[2]));
        return out;
    }

    private static String relu(GraphBuilder g, String x, String nodeName) {
        String out = nodeName + "_output_0";
        g.node("Relu", nodeName, List.of(x), List.of(out), Attributes.none());
        return out;
    }

    /** SplitMix64 finaliser over the seed and an FNV-1a hash of the name: one stream per tensor. */
    private static long tensorSeed(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        long z = seed * 0x9e3779b97f4a7c15L ^ h;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

package org.engagement4j.core.graph.backward;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.engagement4j.core.onnx.OnnxProtos.ModelProto;
import org.engagement4j.core.onnx.OnnxProtos.ValueInfoProto;

/**
 * Appends the backward pass of a forward ONNX model to the model itself, so that one ONNX Runtime
 * run returns the forward outputs and gradients of the logits with respect to chosen tensors: the
 * input (gradient saliency, guided backpropagation), an inner activation (Grad-CAM's layer) or a
 * weight (fine-tuning). Neither ONNX Runtime's Java API nor DJL computes gradients; this does it
 * with standard ONNX operators.
 *
 * <pre>{@code
 * BackwardModel bw = BackwardGraph.of(Mc3Graph.random(Mc3Architecture.mc3_18(2), 7))
 *         .withRespectTo(Mc3Graph.INPUT, Mc3Graph.GRADCAM_LAYER)
 *         .guided(true)
 *         .build();
 * // run bw.model() with "input" [1, 3, T, H, W] and "seed" = identity [2, 2]:
 * // bw.gradientOutputs().get("input") is [2, 3, T, H, W], row k = d logits[0, k] / d input.
 * }</pre>
 *
 * <p>What is computed: a new graph input {@code seed} {@code [S, ...]} (the logits' shape with the
 * batch axis replaced by S rows) and, for every tensor {@code X}, the gradient of
 * {@code seed[s] . logits} with respect to X, one row per seed row: {@code [S, ...X without batch]}
 * for graph inputs and node outputs, {@code [S, ...X]} for initializers. With a forward batch of 1
 * every backward tensor broadcasts against the batch-1 activations, so all targets of one sample
 * share one forward pass. With a forward batch of N and N seed rows, row n pairs with sample n
 * (plain gradients only). See {@link BackwardModel}.
 *
 * <p>Supported operators (opset 13 or later): Conv (1-D/2-D/3-D, any stride, padding including
 * auto_pad, dilation and group; input gradients as plain Conv nodes, see below), BatchNormalization
 * (inference), Relu, Add, Mul (with broadcasting), GlobalAveragePool, AveragePool, MaxPool,
 * ReduceMean, Flatten, Reshape, Gemm (alpha, beta, transA = 0 on the batched operand, transB), MatMul,
 * Identity, Softmax, Sigmoid, Clip. Only nodes on a path from a differentiated tensor to the logits
 * are inspected and differentiated; anything else on such a path raises
 * {@link UnsupportedOpException} naming the operator and node. Gradients are summed where a tensor
 * feeds several nodes (a residual block's input).
 *
 * <p>Convolution input-gradients are stride-1 {@code Conv} nodes with flipped, transposed kernels;
 * a strided convolution becomes one stride-1 Conv producing stride^d phase channels followed by
 * depth-to-space, because ONNX Runtime's CPU ConvTranspose is about ten times slower in 3-D. The
 * kernels are derived from the weight tensors inside the graph (ONNX Runtime folds them once).
 * Weight gradients (an initializer in {@link #withRespectTo}) are per seed row; a Conv weight's is an
 * im2col (a Conv with one-hot kernels) and a batched MatMul, whose memory is the kernel volume times
 * the layer input: meant for fine-tuning, not needed for attention maps. A MaxPool on the path
 * raises the model's opset to 16 when it is lower (ScatterElements with reduction). Conventions at
 * kinks: ReLU passes the gradient where its output is {@code > 0}, Clip where its output lies
 * strictly inside the bounds, MaxPool to the window's maximum that ONNX Runtime reports.
 *
 * <p>Element types: float32 and float64 graphs (ONNX Runtime's CPU Conv is float32
 * only). An unknown tensor name, a tensor that does not reach the logits, or a taken seed name is
 * an {@link IllegalArgumentException} naming it (with candidates for unknown names).
 *
 * <p><b>Guided mode</b> (Springenberg et al., "Striving for Simplicity: The All Convolutional Net",
 * ICLR 2015 workshop, arXiv:1412.6806): every Relu's backward passes only positive gradients where
 * its forward input was positive. Plain and guided gradients come from one chain of 2S rows that
 * shares the forward pass; the Relu rule is {@code Where(y > 0, Max(g, lb), 0)} with {@code lb}
 * = -inf on the plain rows and 0 on the guided rows. Guided mode needs a forward batch of 1.
 *
 * <p>Conventions about the forward graph: axis 0 of every graph input and every tensor computed
 * from one is the batch axis (Reshape and Flatten keep it first); initializers and Constant nodes are
 * constants. Instances are immutable; {@link #build()} may be called any number of times.
 *
 * @since 0.1.0
 */
public final class BackwardGraph {

    /** Default name of the seed input. */
    public static final String DEFAULT_SEED_INPUT = "seed";

    private final ModelProto forward;
    private final String logits;
    private final List<String> wrt;
    private final boolean guided;
    private final String seedInput;

    private BackwardGraph(ModelProto forward, String logits, List<String> wrt, boolean guided, String seedInput) {
        this.forward = forward;
        this.logits = logits;
        this.wrt = wrt;
        this.guided = guided;
        this.seedInput = seedInput;
    }

    /**
     * Starts a configuration for a forward model (a torch export or a model built in Java).
     *
     * @param forward the forward model; not modified
     * @return a configuration differentiating the model's single graph output with respect to
     *     nothing yet (call {@link #withRespectTo})
     */
    public static BackwardGraph of(ModelProto forward) {
        Objects.requireNonNull(forward, "forward");
        return new BackwardGraph(forward, null, List.of(), false, DEFAULT_SEED_INPUT);
    }

    /**
     * @param tensorName the tensor to differentiate (default: the model's single graph output)
     * @return a copy with that logits tensor
     * @throws IllegalArgumentException if the name is blank
     */
    public BackwardGraph logits(String tensorName) {
        requireName(tensorName, "logits tensor name");
        return new BackwardGraph(forward, tensorName, wrt, guided, seedInput);
    }

    /**
     * @param tensorNames graph inputs, node outputs or initializers; duplicates are dropped, order is kept
     * @return a copy differentiating with respect to exactly these tensors
     * @throws IllegalArgumentException if none is given or a name is blank
     */
    public BackwardGraph withRespectTo(String... tensorNames) {
        Objects.requireNonNull(tensorNames, "tensorNames");
        if (tensorNames.length == 0) {
            throw new IllegalArgumentException("withRespectTo needs at least one tensor name");
        }
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String t : tensorNames) {
            requireName(t, "tensor name");
            names.add(t);
        }
        return new BackwardGraph(forward, logits, List.copyOf(names), guided, seedInput);
    }

    /**
     * @param alsoGuided whether to compute guided-backpropagation gradients of the same tensors too
     *     (default false)
     * @return a copy with that setting
     */
    public BackwardGraph guided(boolean alsoGuided) {
        return new BackwardGraph(forward, logits, wrt, alsoGuided, seedInput);
    }

    /**
     * @param name the name of the new graph input holding the seed rows (default {@value #DEFAULT_SEED_INPUT})
     * @return a copy with that name
     * @throws IllegalArgumentException if the name is blank
     */
    public BackwardGraph seedInput(String name) {
        requireName(name, "seed input name");
        return new BackwardGraph(forward, logits, wrt, guided, name);
    }

    /**
     * Builds the model with the backward pass.
     *
     * @return the model and the names of its seed input and gradient outputs
     * @throws IllegalStateException if {@link #withRespectTo} was not called
     * @throws IllegalArgumentException if the logits or a tensor to differentiate is not in the graph
     *     (the message lists candidates), does not reach the logits, the seed name is taken, the
     *     logits are not float32/float64, or the opset is below 13
     * @throws UnsupportedOpException if a node on a differentiated path has no gradient rule
     */
    public BackwardModel build() {
        if (wrt.isEmpty()) {
            throw new IllegalStateException("nothing to differentiate with respect to: call withRespectTo(...)");
        }
        return new Differentiator(forward, logits != null ? logits : singleOutput(), wrt, guided, seedInput).run();
    }

    private String singleOutput() {
        List<String> outs = new ArrayList<>();
        for (ValueInfoProto v : forward.getGraph().getOutputList()) {
            outs.add(v.getName());
        }
        if (outs.size() != 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "graph '%s' has %d outputs %s; name the logits with logits(...)", forward.getGraph().getName(),
                    outs.size(), outs));
        }
        return outs.get(0);
    }

    private static void requireName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "BackwardGraph[graph=%s, logits=%s, wrt=%s, guided=%b, seed=%s]",
                forward.getGraph().getName(), logits == null ? "(single output)" : logits, wrt, guided, seedInput);
    }
}

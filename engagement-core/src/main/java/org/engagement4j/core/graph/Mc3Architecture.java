package org.engagement4j.core.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of a torchvision {@code mc3_18} network (Tran et al., "A Closer Look at Spatiotemporal
 * Convolutions for Action Recognition", CVPR 2018, doi:10.1109/CVPR.2018.00675): the model of the
 * paper's section "Model" (REFERENCE.md section 6), possibly narrowed for tests.
 *
 * <p>Layout (torchvision's {@code VideoResNet} with {@code BasicBlock} x [2, 2, 2, 2]): a stem
 * Conv3d(3, w, (3, 7, 7), stride (1, 2, 2), padding (1, 3, 3)) + BatchNorm + ReLU; layer1 with
 * 3x3x3 convolutions ({@code Conv3DSimple}) at width w; layers 2-4 with 1x3x3 convolutions
 * ({@code Conv3DNoTemporal}) at widths 2w, 4w, 8w, each starting with a spatial stride of 2 and a
 * 1x1x1 downsample convolution on the residual path; global average pooling; flatten; a linear
 * layer from 8w features to K classes. torchvision's mc3_18 has w = 64 (512 features); the
 * paper's classifier replaces the 400-class layer by K = 2.
 *
 * <p>{@code inputHeight} and {@code inputWidth} are the spatial dimensions the graph input
 * declares; a torch export of the paper's test-time input has them fixed at 160. They may be
 * symbolic ({@link Dim#symbolic}) for a graph that accepts any size. Batch and time are always
 * symbolic ({@code "batch"}, {@code "time"}), as in an export with dynamic axes.
 *
 * @param baseWidth channels of the stem and layer1 (64 in mc3_18), at least 1
 * @param numClasses outputs of the final linear layer, at least 1
 * @param inputHeight height dimension of the graph input
 * @param inputWidth width dimension of the graph input
 * @param opset opset of the default ONNX domain, 13 to 17 (what torch 1.13 exports)
 * @since 0.1.0
 */
public record Mc3Architecture(int baseWidth, int numClasses, Dim inputHeight, Dim inputWidth, int opset) {

    /** Channels of torchvision's mc3_18 stem. */
    public static final int MC3_18_WIDTH = 64;

    /** Default spatial size: the paper's test-time centre crop, 160 x 160. */
    public static final int DEFAULT_INPUT_SIZE = 160;

    /** Smallest supported opset. */
    public static final int MIN_OPSET = 13;

    /** Largest supported opset. */
    public static final int MAX_OPSET = 17;

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException if a count is below 1, a fixed spatial size is 0 or the opset
     *     is outside [13, 17]
     */
    public Mc3Architecture {
        Objects.requireNonNull(inputHeight, "inputHeight");
        Objects.requireNonNull(inputWidth, "inputWidth");
        if (baseWidth < 1 || baseWidth > 1 << 16) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "base width must be in [1, 65536], got %d", baseWidth));
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "number of classes must be >= 1, got %d", numClasses));
        }
        if (inputHeight.isFixed() && inputHeight.value() < 1 || inputWidth.isFixed() && inputWidth.value() < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "input height and width must be >= 1, got %s x %s", inputHeight, inputWidth));
        }
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "opset must be in [%d, %d], got %d", MIN_OPSET, MAX_OPSET, opset));
        }
    }

    /**
     * torchvision's mc3_18 at full width with a 160 x 160 input and opset 17.
     *
     * @param numClasses outputs of the final layer: 2 for the paper's classifier, 400 for Kinetics
     * @return the architecture
     */
    public static Mc3Architecture mc3_18(int numClasses) {
        return new Mc3Architecture(MC3_18_WIDTH, numClasses, Dim.of(DEFAULT_INPUT_SIZE), Dim.of(DEFAULT_INPUT_SIZE),
                GraphBuilder.DEFAULT_OPSET);
    }

    /**
     * @param width channels of the stem and layer1 (for example 8 or 16 for tests)
     * @return a copy with that width; the layers have 2x, 4x and 8x as many channels
     */
    public Mc3Architecture withBaseWidth(int width) {
        return new Mc3Architecture(width, numClasses, inputHeight, inputWidth, opset);
    }

    /**
     * @param classes outputs of the final layer
     * @return a copy with that many classes
     */
    public Mc3Architecture withNumClasses(int classes) {
        return new Mc3Architecture(baseWidth, classes, inputHeight, inputWidth, opset);
    }

    /**
     * @param height height dimension of the input (fixed or symbolic)
     * @param width width dimension of the input (fixed or symbolic)
     * @return a copy with that input size
     */
    public Mc3Architecture withInputSize(Dim height, Dim width) {
        return new Mc3Architecture(baseWidth, numClasses, height, width, opset);
    }

    /**
     * @param height fixed input height, at least 1
     * @param width fixed input width, at least 1
     * @return a copy with that input size
     */
    public Mc3Architecture withInputSize(int height, int width) {
        return withInputSize(Dim.of(height), Dim.of(width));
    }

    /**
     * @param version opset of the default domain, 13 to 17
     * @return a copy with that opset
     */
    public Mc3Architecture withOpset(int version) {
        return new Mc3Architecture(baseWidth, numClasses, inputHeight, inputWidth, version);
    }

    /**
     * @return the pooled feature size (8 x base width; 512 for mc3_18), the encoder output size
     */
    public int featureSize() {
        return 8 * baseWidth;
    }

    /**
     * @return the channels of layer1 to layer4 (w, 2w, 4w, 8w)
     */
    public int[] layerWidths() {
        return new int[] {baseWidth, 2 * baseWidth, 4 * baseWidth, 8 * baseWidth};
    }

    /**
     * The float tensors of the torchvision {@code state_dict}, in its order (without the int64
     * {@code num_batches_tracked} buffers): per convolution its weight, then its BatchNorm's
     * {@code weight}, {@code bias}, {@code running_mean}, {@code running_var}; then {@code fc.weight}
     * [K, 8w] and {@code fc.bias} [K].
     *
     * @return tensor name to shape, in state_dict order
     */
    public Map<String, long[]> stateDictShapes() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (Conv c : convs()) {
            m.put(c.module + ".weight", c.weightShape());
            for (String leaf : BN_LEAVES) {
                m.put(c.batchNorm + "." + leaf, new long[] {c.out});
            }
        }
        m.put("fc.weight", new long[] {numClasses, featureSize()});
        m.put("fc.bias", new long[] {numClasses});
        return m;
    }

    /**
     * @return the number of float parameters and BatchNorm statistics in the state_dict
     */
    public long stateDictSize() {
        long n = 0;
        for (long[] s : stateDictShapes().values()) {
            long p = 1;
            for (long d : s) {
                p *= d;
            }
            n += p;
        }
        return n;
    }

    /**
     * Reads the width and the number of classes from a torchvision state_dict (the shapes of
     * {@code stem.0.weight} and {@code fc.weight}); input size 160 x 160 and opset 17.
     *
     * @param weights a state_dict
     * @return the architecture it belongs to (its other tensors are checked when a graph is built)
     * @throws IllegalArgumentException if those tensors are missing or have unexpected shapes
     */
    public static Mc3Architecture inferFrom(StateDict weights) {
        FloatTensor stem = weights.tensor("stem.0.weight");
        FloatTensor fc = weights.tensor("fc.weight");
        if (stem.rank() != 5 || stem.dim(1) != 3 || stem.dim(0) < 1 || stem.dim(0) > 1 << 16) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor 'stem.0.weight' in %s has shape %s, expected [w, 3, 3, 7, 7]", weights.source(),
                    Arrays.toString(stem.shape())));
        }
        if (fc.rank() != 2 || fc.dim(0) < 1 || fc.dim(0) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "tensor 'fc.weight' in %s has shape %s, expected [classes, features]", weights.source(),
                    Arrays.toString(fc.shape())));
        }
        return mc3_18((int) fc.dim(0)).withBaseWidth((int) stem.dim(0));
    }

    private static final List<String> BN_LEAVES = List.of("weight", "bias", "running_mean", "running_var");

    /** One convolution + BatchNorm pair, with torch's module paths. */
    record Conv(String module, String batchNorm, int in, int out, int[] kernel, int[] stride, int[] pads) {
        long[] weightShape() {
            return new long[] {out, in, kernel[0], kernel[1], kernel[2]};
        }
    }

    /** One BasicBlock: conv1 (+ReLU), conv2, optional downsample, Add, ReLU. */
    record Block(String path, Conv conv1, Conv conv2, Conv downsample) {
    }

    /**
     * The blocks in forward order, stem excluded.
     */
    List<Block> blocks() {
        List<Block> out = new ArrayList<>();
        int[] widths = layerWidths();
        int in = baseWidth;
        for (int layer = 0; layer < 4; layer++) {
            int planes = widths[layer];
            boolean temporal = layer == 0;
            int[] k = temporal ? new int[] {3, 3, 3} : new int[] {1, 3, 3};
            int[] p = temporal ? new int[] {1, 1, 1} : new int[] {0, 1, 1};
            int s = layer == 0 ? 1 : 2;
            int[] firstStride = temporal ? new int[] {s, s, s} : new int[] {1, s, s};
            for (int b = 0; b < 2; b++) {
                String path = "layer" + (layer + 1) + "." + b;
                int[] stride = b == 0 ? firstStride : new int[] {1, 1, 1};
                Conv c1 = new Conv(path + ".conv1.0", path + ".conv1.1", in, planes, k, stride, p);
                Conv c2 = new Conv(path + ".conv2.0", path + ".conv2.1", planes, planes, k, new int[] {1, 1, 1}, p);
                Conv ds = null;
                if (b == 0 && (s != 1 || in != planes)) {
                    ds = new Conv(path + ".downsample.0", path + ".downsample.1", in, planes, new int[] {1, 1, 1},
                            firstStride, new int[] {0, 0, 0});
                }
                out.add(new Block(path, c1, c2, ds));
                in = planes;
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The stem convolution. */
    Conv stem() {
        return new Conv("stem.0", "stem.1", 3, baseWidth, new int[] {3, 7, 7}, new int[] {1, 2, 2},
                new int[] {1, 3, 3});
    }

    /** Every convolution in state_dict order (stem; per block conv1, conv2, downsample). */
    List<Conv> convs() {
        List<Conv> out = new ArrayList<>();
        out.add(stem());
        for (Block b : blocks()) {
            out.add(b.conv1);
            out.add(b.conv2);
            if (b.downsample != null) {
                out.add(b.downsample);
            }
        }
        return out;
    }
}

package org.engagement4j.core.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.rng.UniformRandomProvider;
import org.engagement4j.core.internal.Seeds;

/**
 * The classifier head of the paper's network: one fully connected layer {@code Linear(D, K)} on
 * the encoder's {@code D}-dimensional embedding (512 for mc3_18), {@code K = 2} classes (not
 * engaged, engaged); REFERENCE.md §6. {@code logits = W x + b} with {@code W} of shape
 * {@code [K, D]} (torch's {@code nn.Linear.weight} layout, row-major) and {@code b} of length
 * {@code K}.
 *
 * <p>Values are kept in double precision, the precision {@link HeadTrainer} computes in; ONNX
 * export rounds them to float32 ({@link #weightFloats()}). Every value is finite.
 *
 * <p>Immutable: factories copy their arrays and accessors return copies.
 *
 * @since 0.1.0
 */
public final class LinearHead {

    private final int classes;
    private final int inputSize;
    private final double[] weight;
    private final double[] bias;

    private LinearHead(int classes, int inputSize, double[] weight, double[] bias) {
        this.classes = classes;
        this.inputSize = inputSize;
        this.weight = weight;
        this.bias = bias;
    }

    /**
     * A head with the given parameters.
     *
     * @param weight {@code [classes, inputSize]} row-major, copied
     * @param bias {@code [classes]}, copied
     * @return the head; its input size is {@code weight.length / bias.length}
     * @throws IllegalArgumentException if there are fewer than 2 classes, {@code weight.length} is
     *     not a positive multiple of {@code bias.length}, or a value is not finite (the message
     *     gives its position)
     */
    public static LinearHead of(double[] weight, double[] bias) {
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(bias, "bias");
        int k = bias.length;
        if (k < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "bias: %d value(s); a classifier head needs at least 2 classes", k));
        }
        if (weight.length == 0 || weight.length % k != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "weight: %d values is not [classes = %d, D] for any D >= 1", weight.length,
                    k));
        }
        int d = weight.length / k;
        for (int i = 0; i < weight.length; i++) {
            if (!Double.isFinite(weight[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "weight[%d][%d] is %s; every parameter must be finite", i / d, i % d,
                        weight[i]));
            }
        }
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(bias[i])) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "bias[%d] is %s; every parameter must be finite", i, bias[i]));
            }
        }
        return new LinearHead(k, d, weight.clone(), bias.clone());
    }

    /**
     * A head from float32 parameters (a torch checkpoint, an ONNX initializer).
     *
     * @param weight {@code [classes, inputSize]} row-major
     * @param bias {@code [classes]}
     * @return the head
     * @throws IllegalArgumentException as {@link #of(double[], double[])}
     */
    public static LinearHead ofFloats(float[] weight, float[] bias) {
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(bias, "bias");
        double[] w = new double[weight.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weight[i];
        }
        double[] b = new double[bias.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = bias[i];
        }
        return of(w, b);
    }

    /**
     * A seeded random head drawn as torch initialises {@code nn.Linear(D, K)}: every weight and
     * bias uniform in {@code [-1/sqrt(D), 1/sqrt(D))} (Kaiming-uniform with {@code a = sqrt(5)}
     * gives that bound for the weight; torch uses the same bound for the bias). The generator is
     * this library's ({@code XO_RO_SHI_RO_128_PP} seeded from {@code seed}), so the values are not
     * torch's for the same seed, only their distribution; weights first, row by row, then the
     * bias, each value rounded to float32 as a torch parameter would be.
     *
     * @param inputSize D, at least 1
     * @param classes K, at least 2
     * @param seed the seed; equal arguments give an equal head
     * @return the head
     * @throws IllegalArgumentException if a size is out of range
     */
    public static LinearHead initialise(int inputSize, int classes, long seed) {
        if (inputSize < 1 || classes < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a head needs inputSize >= 1 and classes >= 2, got %d and %d", inputSize,
                    classes));
        }
        UniformRandomProvider rng = Seeds.rng(seed, "head-init");
        double bound = 1 / Math.sqrt(inputSize);
        double[] w = new double[classes * inputSize];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (-bound + 2 * bound * rng.nextDouble());
        }
        double[] b = new double[classes];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (-bound + 2 * bound * rng.nextDouble());
        }
        return new LinearHead(classes, inputSize, w, b);
    }

    /** @return K, the number of classes */
    public int classes() {
        return classes;
    }

    /** @return D, the embedding size the head reads */
    public int inputSize() {
        return inputSize;
    }

    /** @return a copy of the weight, {@code [classes, inputSize]} row-major */
    public double[] weight() {
        return weight.clone();
    }

    /** @return a copy of the bias */
    public double[] bias() {
        return bias.clone();
    }

    /** @return the weight rounded to float32 (what an ONNX export stores) */
    public float[] weightFloats() {
        float[] out = new float[weight.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) weight[i];
        }
        return out;
    }

    /** @return the bias rounded to float32 */
    public float[] biasFloats() {
        float[] out = new float[bias.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) bias[i];
        }
        return out;
    }

    /**
     * @param k a class
     * @param j an input feature
     * @return {@code W[k][j]}
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public double weight(int k, int j) {
        Objects.checkIndex(k, classes);
        Objects.checkIndex(j, inputSize);
        return weight[k * inputSize + j];
    }

    /**
     * @param k a class
     * @return {@code b[k]}
     * @throws IndexOutOfBoundsException if {@code k} is out of range
     */
    public double bias(int k) {
        return bias[Objects.checkIndex(k, classes)];
    }

    /**
     * @param embedding one embedding of length {@link #inputSize()}
     * @return the {@code K} logits {@code W x + b}, summed in double precision
     * @throws IllegalArgumentException if the length differs
     */
    public double[] logits(float[] embedding) {
        Objects.requireNonNull(embedding, "embedding");
        if (embedding.length != inputSize) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "embedding of length %d given to a head that reads %d features",
                    embedding.length, inputSize));
        }
        double[] out = new double[classes];
        HeadMath.logits(weight, bias, classes, inputSize, embedding, 0, out);
        return out;
    }

    /**
     * @param embedding one embedding
     * @return the predicted class: the index of the largest logit (the lowest index on a tie, as
     *     torch's {@code argmax})
     * @throws IllegalArgumentException if the length differs from {@link #inputSize()}
     */
    public int predict(float[] embedding) {
        return HeadMath.argmax(logits(embedding));
    }

    /**
     * The head as JSON: {@code {"format": "engagement4j-linear-head", "classes": K,
     * "input_size": D, "weight": [[...], ...], "bias": [...]}}, values written as the shortest
     * decimal that reads back to the same double.
     *
     * @return the JSON text
     */
    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("format", "engagement4j-linear-head");
        o.put("classes", classes);
        o.put("input_size", inputSize);
        ArrayNode w = o.putArray("weight");
        for (int k = 0; k < classes; k++) {
            ArrayNode row = w.addArray();
            for (int j = 0; j < inputSize; j++) {
                row.add(weight[k * inputSize + j]);
            }
        }
        ArrayNode b = o.putArray("bias");
        for (double v : bias) {
            b.add(v);
        }
        try {
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree of numbers always serialises", e);
        }
    }

    /**
     * Reads {@link #toJson()}.
     *
     * @param json the text
     * @param source where it comes from, for messages
     * @return the head
     * @throws IllegalArgumentException if the text is not such a head (naming the field)
     */
    public static LinearHead fromJson(String json, String source) {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: not JSON: %s", source, e.getMessage()), e);
        }
        if (root == null || !"engagement4j-linear-head".equals(root.path("format").asText())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: field format must be \"engagement4j-linear-head\"", source));
        }
        JsonNode w = root.path("weight");
        JsonNode b = root.path("bias");
        if (!w.isArray() || w.isEmpty() || !b.isArray()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: fields weight (array of rows) and bias (array) are required", source));
        }
        int d = w.get(0).size();
        double[] weight = new double[w.size() * d];
        for (int k = 0; k < w.size(); k++) {
            JsonNode row = w.get(k);
            if (!row.isArray() || row.size() != d) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: weight row %d has %d values, row 0 has %d", source, k, row.size(),
                        d));
            }
            for (int j = 0; j < d; j++) {
                weight[k * d + j] = number(row.get(j), source, "weight");
            }
        }
        double[] bias = new double[b.size()];
        for (int k = 0; k < bias.length; k++) {
            bias[k] = number(b.get(k), source, "bias");
        }
        if (bias.length != w.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d weight rows but %d bias values", source, w.size(), bias.length));
        }
        return of(weight, bias);
    }

    private static double number(JsonNode n, String source, String field) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: field %s holds %s, expected numbers", source, field, n));
        }
        return n.doubleValue();
    }

    /**
     * @param o another object
     * @return whether {@code o} is a head with bit-identical parameters
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof LinearHead h && classes == h.classes
                && Arrays.equals(weight, h.weight) && Arrays.equals(bias, h.bias);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(weight) + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LinearHead[%d -> %d]", inputSize, classes);
    }
}

package org.engagement4j.core.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a result came from: which model, run how, by which software. Every result of
 * {@link EngagementClassifier} carries one, so that a score written to disk can be traced back to
 * the exact model file and runtime that produced it (DESIGN.md, "determinism and provenance").
 *
 * @param modelSha256 the SHA-256 of the model file as given to the builder (64 lower-case hex
 *     digits); the classifier may run an edited copy (an extra embedding output) but the hash is
 *     always that of the caller's bytes, so it matches {@code sha256sum model.onnx}
 * @param opset the model's default-domain ({@code ai.onnx}) opset version, at least 1
 * @param provider the execution provider that actually runs the model (after any fallback)
 * @param libraryVersion engagement4j's version ({@link org.engagement4j.core.Engagement4j#VERSION})
 * @param onnxRuntimeVersion the native ONNX Runtime library's version, e.g. {@code 1.22.0}
 * @param javaVersion the running Java version ({@code Runtime.version()}), e.g. {@code 17.0.15+6}
 * @param precision the arithmetic of the model's convolutions: {@link Precision#INT8} for a
 *     quantised model (read from a QDQ file or quantised at load), else {@link Precision#FP32}
 * @since 0.1.0
 */
public record Provenance(String modelSha256, int opset, Provider provider, String libraryVersion,
        String onnxRuntimeVersion, String javaVersion, Precision precision) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Validates the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code modelSha256} is not 64 lower-case hex digits or
     *     {@code opset} is below 1
     */
    public Provenance {
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(onnxRuntimeVersion, "onnxRuntimeVersion");
        Objects.requireNonNull(javaVersion, "javaVersion");
        Objects.requireNonNull(precision, "precision");
        if (!SHA256.matcher(modelSha256).matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "modelSha256: \"%s\" is not 64 lower-case hex digits", modelSha256));
        }
        if (opset < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "opset: %d, must be at least 1", opset));
        }
    }

    /**
     * A float32 provenance (precision {@link Precision#FP32}).
     *
     * @param modelSha256 the SHA-256 of the model file, 64 lower-case hex digits
     * @param opset the default-domain opset, at least 1
     * @param provider the execution provider
     * @param libraryVersion engagement4j's version
     * @param onnxRuntimeVersion ONNX Runtime's version
     * @param javaVersion the Java version
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code modelSha256} is not 64 lower-case hex digits or
     *     {@code opset} is below 1
     */
    public Provenance(String modelSha256, int opset, Provider provider, String libraryVersion,
            String onnxRuntimeVersion, String javaVersion) {
        this(modelSha256, opset, provider, libraryVersion, onnxRuntimeVersion, javaVersion,
                Precision.FP32);
    }

    /**
     * The JSON form used in timeline and command-line output: an object with the keys
     * {@code model_sha256}, {@code opset}, {@code provider} ({@code CPU} or {@code CUDA}),
     * {@code library_version}, {@code onnxruntime_version}, {@code java_version} and
     * {@code precision} ({@code FP32} or {@code INT8}).
     *
     * @return the JSON text, on one line
     */
    public String toJson() {
        return jsonNode().toString();
    }

    /** @return the JSON form as a new tree, for this package's writers */
    ObjectNode jsonNode() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model_sha256", modelSha256);
        o.put("opset", opset);
        o.put("provider", provider.name());
        o.put("library_version", libraryVersion);
        o.put("onnxruntime_version", onnxRuntimeVersion);
        o.put("java_version", javaVersion);
        o.put("precision", precision.name());
        return o;
    }
}

package org.engagement4j.core.model;

/**
 * The ONNX Runtime execution provider a classifier runs on.
 *
 * @since 0.1.0
 */
public enum Provider {
    /** ONNX Runtime's CPU kernels (MLAS); available in every build. The default. */
    CPU,
    /**
     * NVIDIA GPUs through the CUDA execution provider. Needs the {@code onnxruntime_gpu} artifact
     * instead of {@code onnxruntime} (the {@code cuda} Maven profile of engagement-core swaps it
     * in), a CUDA-capable GPU, and the CUDA and cuDNN libraries that the ONNX Runtime release was
     * built against.
     */
    CUDA
}

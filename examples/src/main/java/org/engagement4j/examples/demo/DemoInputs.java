package org.engagement4j.examples.demo;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The data a demo run works on after its generation stage: the ELAN folder, one recording per
 * session and the evidence masks. {@link DemoPipeline#run(DemoInputs, Path, long, DemoListener)}
 * takes it directly, so that other benchmarks can be run through the same stages.
 *
 * @param eafDir folder of {@code <session>_<coder>_<YYYYMMDD>.eaf} files
 * @param videos session id to its recording (sorted copy)
 * @param evidence the sessions' evidence masks, the "human" maps of the comparison
 * @since 0.1.0
 */
public record DemoInputs(Path eafDir, Map<String, Path> videos, DemoEvidence evidence) {

    /**
     * Copies the map.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if there is no video
     */
    public DemoInputs {
        Objects.requireNonNull(eafDir, "eafDir");
        Objects.requireNonNull(evidence, "evidence");
        videos = Collections.unmodifiableMap(new TreeMap<>(
                Objects.requireNonNull(videos, "videos")));
        if (videos.isEmpty()) {
            throw new IllegalArgumentException("demo inputs: videos: at least one recording is"
                    + " needed");
        }
    }

    /**
     * The inputs of a generated synthetic benchmark: its ELAN folder, its videos and its
     * evidence masks ({@link EvidenceMasks}).
     *
     * @param benchmark a benchmark written by {@link GuidedPlayGenerator} or re-read with
     *     {@link GeneratedBenchmark#read(Path)}
     * @return the inputs
     * @throws IllegalArgumentException if the benchmark has no session
     */
    public static DemoInputs of(GeneratedBenchmark benchmark) {
        Map<String, Path> videos = new TreeMap<>();
        for (GeneratedSession s : benchmark.sessions()) {
            videos.put(s.name(), s.video());
        }
        EvidenceMasks masks = EvidenceMasks.of(benchmark);
        return new DemoInputs(benchmark.elanFolder(), videos, masks::snippet);
    }
}

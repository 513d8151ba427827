package org.engagement4j.examples.demo;

import java.io.IOException;
import java.nio.file.Path;
import org.engagement4j.core.video.ProgressListener;

/**
 * The demo's first stage: the synthetic guided-play benchmark ({@link GuidedPlayGenerator}) as
 * the {@link DemoInputs} of the later stages, its evidence masks ({@link EvidenceMasks}) as the
 * human maps.
 */
final class DemoBenchmark {

    private DemoBenchmark() {
    }

    /** Generates the benchmark of the settings into {@code dir}. */
    static DemoInputs generate(DemoSettings settings, Path dir, long seed, DemoListener listener)
            throws IOException {
        GuidedPlayGenerator gen = GuidedPlayGenerator.withDefaults()
                .withSessions(settings.sessions()).withSessionLengthMs(settings.sessionLengthMs())
                .withCoders(settings.coders())
                .withFrameSize(settings.videoWidth(), settings.videoHeight())
                .withFps(settings.videoFps());
        ProgressListener bar = listener.step("generate " + settings.sessions() + " recordings");
        Object lock = new Object();
        // The generator reports from its worker threads; a progress bar draws on one line.
        GeneratedBenchmark b = gen.generate(dir, seed, (done, total) -> {
            synchronized (lock) {
                bar.progress(done, total);
            }
        });
        listener.stepEnded(bar);
        return DemoInputs.of(b);
    }
}

package org.engagement4j.examples.demo;

import org.engagement4j.core.video.ProgressListener;

/**
 * What a demo run reports while it works: the start and end of each stage and a progress
 * listener per long step (the command line draws them as progress bars). Called on the thread
 * that runs the demo.
 *
 * @since 0.1.0
 */
public interface DemoListener {

    /** Reports nothing. */
    DemoListener NONE = new DemoListener() {
        @Override
        public void stageStarted(String stage) {
        }

        @Override
        public ProgressListener step(String label) {
            return ProgressListener.NONE;
        }

        @Override
        public void stepEnded(ProgressListener step) {
        }

        @Override
        public void stageEnded(String stage, double seconds) {
        }
    };

    /**
     * @param stage the stage's name, e.g. {@code "generate"}
     */
    void stageStarted(String stage);

    /**
     * @param label what the step does, e.g. {@code "bake dolls (train)"}
     * @return the listener of the step's progress
     */
    ProgressListener step(String label);

    /**
     * @param step a listener returned by {@link #step(String)}, now finished
     */
    void stepEnded(ProgressListener step);

    /**
     * @param stage the stage's name
     * @param seconds its wall-clock time
     */
    void stageEnded(String stage, double seconds);
}

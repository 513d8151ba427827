package org.engagement4j.metrics.maps;

import java.util.function.ToDoubleBiFunction;
import org.engagement4j.metrics.FrameScores;
import org.engagement4j.metrics.Volume;

/** Runs a frame-level computation over every frame of a checked (human, machine) pair. */
final class Frames {

    private Frames() {
    }

    /**
     * @param human the human map, already checked
     * @param machine the machine map, same shape, already checked
     * @param f the value of one frame pair given as two row-major arrays (which it may modify),
     *     NaN when the metric is undefined on that frame
     * @return the scores
     */
    static FrameScores each(Volume human, Volume machine, ToDoubleBiFunction<double[], double[]> f) {
        int n = human.frameSize();
        double[] values = new double[human.frames()];
        double[] h = new double[n];
        double[] m = new double[n];
        for (int t = 0; t < values.length; t++) {
            human.copyFrameInto(t, h, 0);
            machine.copyFrameInto(t, m, 0);
            values[t] = f.applyAsDouble(h, m);
        }
        return FrameScores.of(values);
    }
}

package org.engagement4j.metrics.transport;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Runs independent tasks {@code 0..n-1} on a private fork/join pool of a fixed size. Each task
 * writes only its own result slot, so results do not depend on scheduling. Callers validate
 * their input before, so that tasks do not throw for caller mistakes.
 */
final class Parallel {

    private Parallel() {
    }

    /**
     * @param n number of tasks
     * @param threads worker threads; 1 runs everything in the calling thread
     * @param task the task body, called once per index
     */
    static void forEach(int n, int threads, IntConsumer task) {
        if (threads <= 1 || n <= 1) {
            for (int i = 0; i < n; i++) {
                task.accept(i);
            }
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(Math.min(threads, n));
        try {
            pool.invoke(new Range(task, 0, n));
        } finally {
            pool.shutdown();
        }
    }

    private static final class Range extends RecursiveAction {
        private static final long serialVersionUID = 1L;

        // Transient-free: the pool never serialises tasks.
        @SuppressWarnings("serial")
        private final IntConsumer task;
        private final int from;
        private final int to;

        Range(IntConsumer task, int from, int to) {
            this.task = task;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                task.accept(from);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Range(task, from, mid), new Range(task, mid, to));
        }
    }
}

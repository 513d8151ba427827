package org.engagement4j.core.elan;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Estimates the times of unaligned time slots; the rule is documented on {@link ElanReader}.
 *
 * <p>Works on slot indices (positions in {@code TIME_ORDER}) so that the 7,000-slot reference
 * files resolve in well under a millisecond.
 */
final class SlotResolver {

    /** Marks a slot without time, in {@link #values} and in the result. */
    static final long NONE = -1L;

    private final long[] values;
    private final long[] resolved;

    /**
     * @param values per slot in {@code TIME_ORDER} order, its {@code TIME_VALUE} or {@link #NONE}
     */
    SlotResolver(long[] values) {
        this.values = values;
        this.resolved = values.clone();
    }

    /**
     * Runs both rules.
     *
     * @param tierEdges per tier, its alignable annotations in file order as consecutive pairs
     *     {@code start slot index, end slot index}
     * @return per slot its resolved time, or {@link #NONE} where no estimate is possible
     */
    long[] resolve(List<int[]> tierEdges) {
        for (int[] edges : tierEdges) {
            chains(edges);
        }
        neighbours();
        return resolved;
    }

    /**
     * Rule 1: on one tier, a chain of annotations linked end slot to start slot, from an aligned
     * slot through unaligned slots to an aligned slot, splits its time evenly (ELAN's display of
     * a time subdivision whose parts were not aligned by hand).
     */
    private void chains(int[] edges) {
        int n = edges.length / 2;
        if (n == 0) {
            return;
        }
        Map<Integer, Integer> endByStart = new HashMap<>(n * 2);
        for (int k = 0; k < n; k++) {
            endByStart.putIfAbsent(edges[2 * k], edges[2 * k + 1]);
        }
        int[] path = new int[Math.min(n, values.length) + 1];
        for (int k = 0; k < n; k++) {
            int first = edges[2 * k];
            int cur = edges[2 * k + 1];
            if (values[first] == NONE || values[cur] != NONE || resolved[cur] != NONE) {
                continue;
            }
            int len = 0;
            boolean closed = false;
            // A chain visits each slot at most once; the bound also stops cycles.
            while (len < path.length) {
                path[len++] = cur;
                Integer next = endByStart.get(cur);
                if (next == null) {
                    break;
                }
                cur = next;
                if (values[cur] != NONE) {
                    closed = true;
                    break;
                }
            }
            if (!closed) {
                continue;
            }
            long a = values[first];
            long b = values[cur];
            if (b < a) {
                continue;
            }
            long steps = len + 1L;
            for (int i = 0; i < len; i++) {
                if (resolved[path[i]] == NONE) {
                    resolved[path[i]] = a + Math.floorDiv((b - a) * (i + 1), steps);
                }
            }
        }
    }

    /**
     * Rule 2: a slot still without time lies in a run of unaligned slots between two aligned
     * slots of {@code TIME_ORDER}; the run splits the time between them evenly. No aligned slot
     * on one side: the slot stays unresolved.
     */
    private void neighbours() {
        int m = values.length;
        int i = 0;
        while (i < m) {
            if (values[i] != NONE) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < m && values[i] == NONE) {
                i++;
            }
            int runEnd = i; // exclusive
            if (runStart == 0 || runEnd == m) {
                continue;
            }
            long a = values[runStart - 1];
            long b = values[runEnd];
            long steps = runEnd - runStart + 1L;
            for (int j = runStart; j < runEnd; j++) {
                if (resolved[j] == NONE) {
                    resolved[j] = a + Math.floorDiv((b - a) * (j - runStart + 1), steps);
                }
            }
        }
    }
}

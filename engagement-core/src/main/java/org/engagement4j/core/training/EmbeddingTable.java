package org.engagement4j.core.training;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * Baked embeddings with what each row came from: pass, session, coder, snippet, start time, and
 * the coder's label for both variables (so one bake serves the task-engagement and the
 * social-engagement head). Read from a bake file by {@link BakedEmbeddings#read}; joined over
 * folds with {@link #concat}; turned into a training set for one variable by
 * {@link #labelled(Variable)}.
 *
 * <p>Immutable; accessors copy.
 *
 * @since 0.1.0
 */
public final class EmbeddingTable {

    private final String source;
    private final Task task;
    private final int dimension;
    private final List<String> sessions;
    private final List<String> coders;
    private final int[] pass;
    private final int[] session;
    private final int[] coder;
    private final int[] snippet;
    private final long[] startMs;
    private final int[] startFrame;
    private final boolean[][] labels;
    private final float[] features;

    EmbeddingTable(String source, Task task, int dimension, List<String> sessions,
            List<String> coders, int[] pass, int[] session, int[] coder, int[] snippet,
            long[] startMs, int[] startFrame, boolean[][] labels, float[] features) {
        this.source = source;
        this.task = task;
        this.dimension = dimension;
        this.sessions = List.copyOf(sessions);
        this.coders = List.copyOf(coders);
        this.pass = pass;
        this.session = session;
        this.coder = coder;
        this.snippet = snippet;
        this.startMs = startMs;
        this.startFrame = startFrame;
        this.labels = labels;
        this.features = features;
    }

    /**
     * The rows of several tables of one task and dimension, in order; session and coder names are
     * re-indexed.
     *
     * @param parts at least one table
     * @param source a description of the union, for messages
     * @return the union
     * @throws IllegalArgumentException if the list is empty, or tasks or dimensions differ
     */
    public static EmbeddingTable concat(List<EmbeddingTable> parts, String source) {
        Objects.requireNonNull(parts, "parts");
        Objects.requireNonNull(source, "source");
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(source + ": no table to join");
        }
        EmbeddingTable first = parts.get(0);
        Set<String> sessionSet = new TreeSet<>();
        Set<String> coderSet = new TreeSet<>();
        long n = 0;
        for (EmbeddingTable t : parts) {
            if (t.task != first.task || t.dimension != first.dimension) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: %s holds %s embeddings of dimension %d, %s holds %s of dimension %d",
                        source, t.source, t.task.paperName(), t.dimension, first.source,
                        first.task.paperName(), first.dimension));
            }
            sessionSet.addAll(t.sessions);
            coderSet.addAll(t.coders);
            n += t.size();
        }
        if (n * first.dimension > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: %d rows of %d values exceed one array", source, n, first.dimension));
        }
        List<String> ss = new ArrayList<>(sessionSet);
        List<String> cs = new ArrayList<>(coderSet);
        Map<String, Integer> si = index(ss);
        Map<String, Integer> ci = index(cs);
        int rows = (int) n;
        int d = first.dimension;
        Builder b = new Builder(rows, d);
        for (EmbeddingTable t : parts) {
            for (int i = 0; i < t.size(); i++) {
                b.add(t.pass[i], si.get(t.sessions.get(t.session[i])),
                        ci.get(t.coders.get(t.coder[i])), t.snippet[i], t.startMs[i],
                        t.startFrame[i], t.label(i, Variable.TASK_ENGAGEMENT),
                        t.label(i, Variable.SOCIAL_ENGAGEMENT), t.features, i * d);
            }
        }
        return b.build(source, first.task, ss, cs);
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }

    /**
     * The rows of some sessions only (e.g. one fold of a table that holds several).
     *
     * @param keep session ids
     * @return a table with the rows of those sessions, in order
     */
    public EmbeddingTable sessions(Collection<String> keep) {
        Set<String> k = new HashSet<>(Objects.requireNonNull(keep, "keep"));
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (k.contains(sessions.get(session[i]))) {
                n++;
            }
        }
        Builder b = new Builder(n, dimension);
        for (int i = 0; i < size(); i++) {
            if (k.contains(sessions.get(session[i]))) {
                b.add(pass[i], session[i], coder[i], snippet[i], startMs[i], startFrame[i],
                        label(i, Variable.TASK_ENGAGEMENT), label(i, Variable.SOCIAL_ENGAGEMENT),
                        features, i * dimension);
            }
        }
        return b.build(source + " " + new TreeSet<>(k), task, sessions, coders);
    }

    /**
     * The training or evaluation set of one variable: these embeddings and that variable's labels.
     *
     * @param variable the variable
     * @return the set, named after this table's source and the variable
     * @throws IllegalArgumentException if the table is empty
     */
    public LabelledEmbeddings labelled(Variable variable) {
        boolean[] l = labels[Objects.requireNonNull(variable, "variable").ordinal()];
        if (l.length == 0) {
            throw new IllegalArgumentException(source + ": no embeddings");
        }
        return LabelledEmbeddings.of(features, dimension, l,
                source + " / " + task.paperName() + " / " + variable.paperName());
    }

    /** @return a description of where the rows come from */
    public String source() {
        return source;
    }

    /** @return the task */
    public Task task() {
        return task;
    }

    /** @return D */
    public int dimension() {
        return dimension;
    }

    /** @return the number of rows */
    public int size() {
        return pass.length;
    }

    /** @return the session ids the rows refer to (unmodifiable) */
    public List<String> sessionNames() {
        return sessions;
    }

    /** @return the coder names the rows refer to (unmodifiable) */
    public List<String> coderNames() {
        return coders;
    }

    /**
     * @param row a row
     * @return its pass, from 0
     */
    public int pass(int row) {
        return pass[Objects.checkIndex(row, size())];
    }

    /**
     * @param row a row
     * @return its session id
     */
    public String session(int row) {
        return sessions.get(session[Objects.checkIndex(row, size())]);
    }

    /**
     * @param row a row
     * @return the coder whose labels it carries
     */
    public String coder(int row) {
        return coders.get(coder[Objects.checkIndex(row, size())]);
    }

    /**
     * @param row a row
     * @return its snippet's index in the session's plan (its chunk)
     */
    public int snippet(int row) {
        return snippet[Objects.checkIndex(row, size())];
    }

    /**
     * @param row a row
     * @return the start of its label window, ms
     */
    public long startMs(int row) {
        return startMs[Objects.checkIndex(row, size())];
    }

    /**
     * @param row a row
     * @return its first frame
     */
    public int startFrame(int row) {
        return startFrame[Objects.checkIndex(row, size())];
    }

    /**
     * @param row a row
     * @param variable a variable
     * @return the coder's label
     */
    public boolean label(int row, Variable variable) {
        return labels[variable.ordinal()][Objects.checkIndex(row, size())];
    }

    /**
     * @param row a row
     * @return a copy of its embedding
     */
    public float[] embedding(int row) {
        Objects.checkIndex(row, size());
        float[] out = new float[dimension];
        System.arraycopy(features, row * dimension, out, 0, dimension);
        return out;
    }

    /**
     * @param variable a variable
     * @return the fraction of rows labelled engaged, NaN for an empty table
     */
    public double positiveRate(Variable variable) {
        boolean[] l = labels[variable.ordinal()];
        int p = 0;
        for (boolean b : l) {
            if (b) {
                p++;
            }
        }
        return (double) p / l.length;
    }

    /**
     * @param o another object
     * @return whether {@code o} is a table with equal rows (bit-identical embeddings), names and
     *     task; the source text is not compared
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EmbeddingTable t)) {
            return false;
        }
        return task == t.task && dimension == t.dimension && sessions.equals(t.sessions)
                && coders.equals(t.coders) && java.util.Arrays.equals(pass, t.pass)
                && java.util.Arrays.equals(session, t.session)
                && java.util.Arrays.equals(coder, t.coder)
                && java.util.Arrays.equals(snippet, t.snippet)
                && java.util.Arrays.equals(startMs, t.startMs)
                && java.util.Arrays.equals(startFrame, t.startFrame)
                && java.util.Arrays.deepEquals(labels, t.labels)
                && java.util.Arrays.equals(features, t.features);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(features) + java.util.Arrays.hashCode(startMs);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "EmbeddingTable[%s: %s, %d rows x %d, %d sessions]",
                source, task.paperName(), size(), dimension, sessions.size());
    }

    /** Fills the row arrays of a table of known size. */
    static final class Builder {
        private final int d;
        private final int[] pass;
        private final int[] session;
        private final int[] coder;
        private final int[] snippet;
        private final long[] startMs;
        private final int[] startFrame;
        private final boolean[][] labels;
        private final float[] features;
        private int n;

        Builder(int rows, int d) {
            this.d = d;
            pass = new int[rows];
            session = new int[rows];
            coder = new int[rows];
            snippet = new int[rows];
            startMs = new long[rows];
            startFrame = new int[rows];
            labels = new boolean[Variable.values().length][rows];
            features = new float[rows * d];
        }

        void add(int p, int s, int c, int snip, long start, int frame, boolean taskLabel,
                boolean socialLabel, float[] src, int offset) {
            pass[n] = p;
            session[n] = s;
            coder[n] = c;
            snippet[n] = snip;
            startMs[n] = start;
            startFrame[n] = frame;
            labels[Variable.TASK_ENGAGEMENT.ordinal()][n] = taskLabel;
            labels[Variable.SOCIAL_ENGAGEMENT.ordinal()][n] = socialLabel;
            System.arraycopy(src, offset, features, n * d, d);
            n++;
        }

        EmbeddingTable build(String source, Task task, List<String> sessions,
                List<String> coders) {
            if (n != pass.length) {
                throw new IllegalStateException(n + " of " + pass.length + " rows filled");
            }
            return new EmbeddingTable(source, task, d, Collections.unmodifiableList(sessions),
                    coders, pass, session, coder, snippet, startMs, startFrame, labels, features);
        }
    }
}

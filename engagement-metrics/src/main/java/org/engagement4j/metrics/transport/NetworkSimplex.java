package org.engagement4j.metrics.transport;

import java.util.Arrays;
import java.util.Locale;

/**
 * Primal network simplex for the uncapacitated transportation problem between {@code S} sources
 * and {@code D} sinks with implicit arc costs: the exact optimum, certified by LP duality.
 *
 * <p>Method (Ahuja, Magnanti and Orlin, <i>Network Flows</i>, 1993, ch. 11; the tree storage
 * follows the idea of LEMON's network simplex, Kovacs, Optim. Methods Softw. 2015,
 * doi:10.1080/10556788.2015.1039553; the shortlist that of Gottschlich and Schuhmacher, PLoS ONE
 * 2014, doi:10.1371/journal.pone.0110214):
 * <ol>
 *   <li>An artificial root joins every source ({@code s -> root}, cost 0) and every sink
 *       ({@code root -> t}, cost {@code ART = max cost + 1}). The first basis comes from the
 *       least-cost rule on a shortlist of arcs; each of its trees hangs from the root (see
 *       {@link #initTree()}), which makes it strongly feasible.</li>
 *   <li>Pivots price the shortlist with block search and leave by Cunningham's rule (the last
 *       blocking arc met when walking the cycle from its apex along the entering arc), which keeps
 *       every tree strongly feasible and rules out cycling.</li>
 *   <li>When no shortlisted arc has a negative reduced cost, every one of the {@code S * D} arcs
 *       is priced against the current potentials. Violated arcs join the shortlist and pivoting
 *       continues from the current basis; when none is violated the potentials are a feasible
 *       dual whose value equals the primal cost: the flow is optimal for the full problem (and
 *       the artificial arcs carry no mass, since each artificial path costs more than the direct
 *       arc that could replace it).</li>
 * </ol>
 *
 * <p>Arcs carry no state: a non-tree arc of an uncapacitated problem always has zero flow, and a
 * tree arc is stored at its child node, its direction given by the child's side (a source's arc
 * points to its parent, a sink's arc comes from it). The tree is kept as parent pointers, subtree
 * sizes and a preorder thread (successor, predecessor and last node of each subtree), so that a
 * subtree is one stretch of the thread and its complement the rest of the cycle. A pivot re-links
 * the moved subtree as {@code O(stem length)} stretches of the old thread and shifts the
 * potentials of the smaller side; all potentials are recomputed from the tree every {@code N}
 * pivots and before each full pricing, so round-off does not accumulate.
 *
 * <p>Not thread-safe: one instance per solve.
 */
final class NetworkSimplex {

    /** How arc costs are obtained. */
    enum CostKind { TABLE, MATRIX, FUNCTION }

    /** Sinks shortlisted per source before the first full pricing pass. */
    static final int DEFAULT_SHORTLIST = 4;

    private static final int NONE = -1;

    /** Most leftover pairs the first basis sorts by cost; beyond, the north-west rule. */
    private static final long LEFTOVER_PAIRS = 1L << 21;

    /** Side of the sink tiles used to prune full pricing passes over table costs. */
    private static final int TILE = 4;

    // problem
    private final int nSources;
    private final int nSinks;
    private final int root;
    private final double[] mass;
    private final CostKind kind;
    private final int[] srcY;
    private final int[] srcX;
    private final int[] snkY;
    private final int[] snkX;
    private final double[] table;
    private final int tableWidth;
    private final int[] tableRank;
    private final double[] matrix;
    private final GroundDistance function;
    private final double artificialCost;
    private final double epsilon;
    private final int shortlistK;
    private final int[] hintSource;
    private final int[] hintSink;
    private final int hintCount;
    private final boolean checkInvariants;

    // spanning tree, indexed by node: sources 0..S-1, sinks S..S+D-1, root S+D
    private final int[] parent;
    private final int[] succ;
    private final int[] thread;
    private final int[] revThread;
    private final int[] lastSucc;
    private final double[] flow;
    private final double[] pi;

    // shortlisted arcs: source node, sink node, cost
    private int[] arcSource;
    private int[] arcSink;
    private double[] arcCost;
    private int arcCount;
    private int nextArc;
    private int blockSize;
    private double enteringReducedCost;

    // sink tiles for pruned full pricing (table costs)
    private int tilesX;
    private int[] tileStart;
    private int[] tileSinks;
    private int[] tileY0;
    private int[] tileY1;
    private int[] tileX0;
    private int[] tileX1;
    private double[] tileMaxPi;

    private int[] stem = new int[16];
    private int[] pieceStart = new int[32];
    private int[] pieceEnd = new int[32];
    private long pivots;
    private int certifications;

    private NetworkSimplex(Builder b) {
        this.nSources = b.srcMass.length;
        this.nSinks = b.snkMass.length;
        this.root = nSources + nSinks;
        int n = root + 1;
        this.mass = new double[n];
        System.arraycopy(b.srcMass, 0, mass, 0, nSources);
        System.arraycopy(b.snkMass, 0, mass, nSources, nSinks);
        this.kind = b.kind;
        this.srcY = b.srcY;
        this.srcX = b.srcX;
        this.snkY = b.snkY;
        this.snkX = b.snkX;
        this.table = b.table;
        this.tableWidth = b.tableWidth;
        this.tableRank = b.tableRank;
        this.matrix = b.matrix;
        this.function = b.function;
        this.shortlistK = b.shortlist;
        this.hintSource = b.hintSource;
        this.hintSink = b.hintSink;
        this.hintCount = b.hintCount;
        this.checkInvariants = b.checkInvariants;
        this.artificialCost = b.maxCost + 1.0;
        // Reduced costs of tree arcs are zero up to the round-off of a few potentials of size
        // ~ART; this threshold sits well above it. A flow optimal for reduced costs >= -epsilon
        // is within epsilon * (total mass) of the true optimum (LP duality).
        this.epsilon = 1e-13 * Math.max(1.0, artificialCost);
        this.parent = new int[n];
        this.succ = new int[n];
        this.thread = new int[n];
        this.revThread = new int[n];
        this.lastSucc = new int[n];
        this.flow = new double[n];
        this.pi = new double[n];
    }

    /** Collects the problem; validated by the caller ({@link FrameSolver}). */
    static final class Builder {
        private double[] srcMass;
        private double[] snkMass;
        private int[] srcY;
        private int[] srcX;
        private int[] snkY;
        private int[] snkX;
        private CostKind kind;
        private double[] table;
        private int tableWidth;
        private int[] tableRank;
        private double[] matrix;
        private GroundDistance function;
        private double maxCost;
        private int shortlist = DEFAULT_SHORTLIST;
        private int[] hintSource;
        private int[] hintSink;
        private int hintCount;
        private boolean checkInvariants;

        /**
         * @param srcMass positive source masses
         * @param srcY source rows
         * @param srcX source columns
         * @param snkMass positive sink masses
         * @param snkY sink rows
         * @param snkX sink columns
         * @return this
         */
        Builder nodes(double[] srcMass, int[] srcY, int[] srcX, double[] snkMass, int[] snkY,
                int[] snkX) {
            this.srcMass = srcMass;
            this.srcY = srcY;
            this.srcX = srcX;
            this.snkMass = snkMass;
            this.snkY = snkY;
            this.snkX = snkX;
            return this;
        }

        /**
         * Translation-invariant costs {@code table[|dy| * width + |dx|]}, non-decreasing in
         * {@code |dy|} and in {@code |dx|}.
         *
         * @param costTable the table
         * @param width its row length
         * @param max the largest entry
         * @param rank {@code rank[i]}: position of entry {@code i} when the table is sorted by
         *     cost (ties in any order); lets the first basis bucket-sort arcs by cost
         * @return this
         */
        Builder table(double[] costTable, int width, double max, int[] rank) {
            this.kind = CostKind.TABLE;
            this.table = costTable;
            this.tableWidth = width;
            this.maxCost = max;
            this.tableRank = rank;
            return this;
        }

        /**
         * Dense costs {@code m[s * D + t]}.
         *
         * @param m the matrix
         * @param max its largest entry
         * @return this
         */
        Builder matrix(double[] m, double max) {
            this.kind = CostKind.MATRIX;
            this.matrix = m;
            this.maxCost = max;
            return this;
        }

        /**
         * Costs evaluated on demand (too many pairs to cache); the values must have been checked.
         *
         * @param g the ground
         * @param max the largest cost over all pairs
         * @return this
         */
        Builder function(GroundDistance g, double max) {
            this.kind = CostKind.FUNCTION;
            this.function = g;
            this.maxCost = max;
            return this;
        }

        /**
         * @param k sinks shortlisted per source before the first full pricing pass
         * @return this
         */
        Builder shortlist(int k) {
            this.shortlist = k;
            return this;
        }

        /**
         * Arcs to shortlist besides each source's nearby sinks (for example the optimal arcs of a
         * coarser problem lifted to this one); used with table costs, duplicates skipped.
         *
         * @param sources source indices
         * @param sinks sink indices
         * @param count how many of the pairs to use
         * @return this
         */
        Builder hint(int[] sources, int[] sinks, int count) {
            this.hintSource = sources;
            this.hintSink = sinks;
            this.hintCount = count;
            return this;
        }

        /**
         * @param check whether to verify the tree after every pivot ({@code O(N)} each; tests)
         * @return this
         */
        Builder checkInvariants(boolean check) {
            this.checkInvariants = check;
            return this;
        }

        NetworkSimplex build() {
            return new NetworkSimplex(this);
        }
    }

    /**
     * Solves the problem.
     *
     * @return the optimal total cost {@code sum f_st c_st} over real arcs
     * @throws IllegalStateException if the pivot count exceeds a generous safety cap (not
     *     expected: strongly feasible trees do not cycle)
     */
    double solve() {
        if (nSources == 0 || nSinks == 0) {
            return 0.0;
        }
        initShortlist(shortlistK);
        initTree();
        if (checkInvariants) {
            verifyTree();
        }
        long cap = 1_000_000L + 400L * (root + 1) * (long) Math.max(16, shortlistK);
        boolean full = (long) nSources * nSinks == arcCount;
        while (true) {
            int k;
            while ((k = findEnteringArc()) != NONE) {
                pivot(arcSource[k], arcSink[k], enteringReducedCost);
                if (checkInvariants) {
                    verifyTree();
                }
                if (++pivots % (root + 1) == 0) {
                    recomputePotentials();
                }
                if (pivots > cap) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "network simplex exceeded %d pivots on %d x %d nodes", cap, nSources,
                            nSinks));
                }
            }
            recomputePotentials();
            if (findEnteringArc() != NONE) {
                continue;
            }
            if (full) {
                break;
            }
            certifications++;
            if (!addViolatedArcs()) {
                break;
            }
        }
        return totalCost();
    }

    /** @return pivots made by the last {@link #solve} */
    long pivots() {
        return pivots;
    }

    /** @return full pricing passes made by the last {@link #solve} */
    int certifications() {
        return certifications;
    }

    /** @return shortlisted arcs at the end of the last {@link #solve} */
    int arcCount() {
        return arcCount;
    }

    // ---------------------------------------------------------------- costs

    private double cost(int s, int t) {
        switch (kind) {
            case TABLE:
                return table[Math.abs(srcY[s] - snkY[t]) * tableWidth
                        + Math.abs(srcX[s] - snkX[t])];
            case MATRIX:
                return matrix[s * nSinks + t];
            default:
                return function.cost(srcY[s], srcX[s], snkY[t], snkX[t]);
        }
    }

    /** @return the cost of the tree arc between {@code v} and its parent {@code par} */
    private double treeArcCost(int v, int par) {
        if (par == root) {
            return v < nSources ? 0.0 : artificialCost;
        }
        return v < nSources ? cost(v, par - nSources) : cost(par, v - nSources);
    }

    private double totalCost() {
        double total = 0;
        for (int v = 0; v < root; v++) {
            int p = parent[v];
            if (p != root && flow[v] != 0) {
                total += flow[v] * treeArcCost(v, p);
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- first basis

    /**
     * A strongly feasible first basis from the least-cost (greedy) rule on the shortlist, then on
     * what is left. Each assignment exhausts a node, and an exhausted node gets no further arc,
     * so the assigned arcs form a forest in which every tree holds at most one node with mass
     * left. Each tree hangs from the root by an artificial arc at that node (positive flow) or,
     * if it has none, at one of its sources: zero flow is then only ever on arcs that point
     * towards the root, which is what strong feasibility allows (flow can be sent from every node
     * to the root). With no arc assigned this is the classic all-artificial star.
     */
    private void initTree() {
        int n = root + 1;
        double[] rem = Arrays.copyOf(mass, root);
        int[] fa = new int[root];
        int[] fb = new int[root];
        double[] ff = new double[root];
        int nf = 0;
        for (int k : arcsByCost()) {
            int s = arcSource[k];
            int t = arcSink[k];
            if (rem[s] > 0 && rem[t] > 0) {
                nf = assign(s, t, rem, fa, fb, ff, nf);
            }
        }
        nf = assignLeftovers(rem, fa, fb, ff, nf);

        // adjacency of the forest (CSR)
        int[] start = new int[n + 1];
        for (int e = 0; e < nf; e++) {
            start[fa[e] + 1]++;
            start[fb[e] + 1]++;
        }
        for (int v = 0; v < n; v++) {
            start[v + 1] += start[v];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[] adj = new int[2 * nf];
        for (int e = 0; e < nf; e++) {
            adj[fill[fa[e]]++] = e;
            adj[fill[fb[e]]++] = e;
        }

        // Parents, flows and potentials: hang each tree of the forest from its top node.
        parent[root] = NONE;
        pi[root] = 0;
        flow[root] = 0;
        boolean[] seen = new boolean[root];
        int[] queue = new int[root];
        for (int v0 = 0; v0 < root; v0++) {
            if (seen[v0]) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = v0;
            seen[v0] = true;
            int top = NONE;
            while (head < tail) {
                int v = queue[head++];
                if (rem[v] > 0 || (top == NONE && v < nSources)) {
                    top = v;
                }
                for (int i = start[v]; i < start[v + 1]; i++) {
                    int e = adj[i];
                    int w = fa[e] == v ? fb[e] : fa[e];
                    if (!seen[w]) {
                        seen[w] = true;
                        queue[tail++] = w;
                    }
                }
            }
            parent[top] = root;
            flow[top] = rem[top];
            pi[top] = top < nSources ? 0.0 : artificialCost;
            head = 0;
            tail = 0;
            queue[tail++] = top;
            while (head < tail) {
                int v = queue[head++];
                for (int i = start[v]; i < start[v + 1]; i++) {
                    int e = adj[i];
                    int w = fa[e] == v ? fb[e] : fa[e];
                    if (w == parent[v]) {
                        continue;
                    }
                    parent[w] = v;
                    flow[w] = ff[e];
                    double c = treeArcCost(w, v);
                    pi[w] = w < nSources ? pi[v] - c : pi[v] + c;
                    queue[tail++] = w;
                }
            }
        }
        buildThread();
    }

    /** Preorder thread, subtree sizes and last successors from the parent pointers. */
    private void buildThread() {
        int n = root + 1;
        int[] childStart = new int[n + 1];
        for (int v = 0; v < root; v++) {
            childStart[parent[v] + 1]++;
        }
        for (int v = 0; v < n; v++) {
            childStart[v + 1] += childStart[v];
        }
        int[] fill = Arrays.copyOf(childStart, n);
        int[] children = new int[root];
        for (int v = 0; v < root; v++) {
            children[fill[parent[v]]++] = v;
        }
        int[] order = new int[n];
        int[] stack = new int[n];
        int sp = 0;
        int count = 0;
        stack[sp++] = root;
        while (sp > 0) {
            int v = stack[--sp];
            order[count++] = v;
            for (int i = childStart[v + 1] - 1; i >= childStart[v]; i--) {
                stack[sp++] = children[i];
            }
        }
        int[] position = new int[n];
        for (int i = 0; i < n; i++) {
            int v = order[i];
            position[v] = i;
            thread[v] = order[(i + 1) % n];
            revThread[order[(i + 1) % n]] = v;
            succ[v] = 1;
        }
        for (int i = n - 1; i > 0; i--) {
            succ[parent[order[i]]] += succ[order[i]];
        }
        for (int v = 0; v < n; v++) {
            lastSucc[v] = order[position[v] + succ[v] - 1];
        }
    }

    /** Ships {@code min(rem[s], rem[t])} on {@code s -> t}, exhausting at least one exactly. */
    private static int assign(int s, int t, double[] rem, int[] fa, int[] fb, double[] ff,
            int nf) {
        double f;
        if (rem[s] <= rem[t]) {
            f = rem[s];
            rem[t] = rem[s] == rem[t] ? 0 : rem[t] - f;
            rem[s] = 0;
        } else {
            f = rem[t];
            rem[s] -= f;
            rem[t] = 0;
        }
        fa[nf] = s;
        fb[nf] = t;
        ff[nf] = f;
        return nf + 1;
    }

    /**
     * Mass the shortlist could not place: least-cost rule over every pair of nodes with mass
     * left (bucket-sorted table ranks, so linear), or the north-west corner rule for general
     * costs and very many such pairs. The arcs used join the shortlist.
     */
    private int assignLeftovers(double[] rem, int[] fa, int[] fb, double[] ff, int nf) {
        int ls = 0;
        int lt = 0;
        for (int v = 0; v < root; v++) {
            if (rem[v] > 0) {
                if (v < nSources) {
                    ls++;
                } else {
                    lt++;
                }
            }
        }
        if (ls == 0 || lt == 0) {
            return nf;
        }
        int[] src = new int[ls];
        int[] snk = new int[lt];
        ls = 0;
        lt = 0;
        for (int v = 0; v < root; v++) {
            if (rem[v] > 0) {
                if (v < nSources) {
                    src[ls++] = v;
                } else {
                    snk[lt++] = v;
                }
            }
        }
        int before = nf;
        long pairs = (long) ls * lt;
        if (kind == CostKind.TABLE && pairs <= LEFTOVER_PAIRS) {
            int m = (int) pairs;
            int[] key = new int[m];
            int[] count = new int[table.length + 1];
            for (int i = 0; i < ls; i++) {
                int sy = srcY[src[i]];
                int sx = srcX[src[i]];
                for (int j = 0; j < lt; j++) {
                    int t = snk[j] - nSources;
                    int r = tableRank[Math.abs(sy - snkY[t]) * tableWidth
                            + Math.abs(sx - snkX[t])];
                    key[i * lt + j] = r;
                    count[r + 1]++;
                }
            }
            for (int i = 0; i < table.length; i++) {
                count[i + 1] += count[i];
            }
            int[] order = new int[m];
            for (int k = 0; k < m; k++) {
                order[count[key[k]]++] = k;
            }
            for (int k : order) {
                int s = src[k / lt];
                int t = snk[k % lt];
                if (rem[s] > 0 && rem[t] > 0) {
                    nf = assign(s, t, rem, fa, fb, ff, nf);
                }
            }
        } else {
            int i = 0;
            int j = 0;
            while (i < ls && j < lt) {
                nf = assign(src[i], snk[j], rem, fa, fb, ff, nf);
                if (rem[src[i]] == 0) {
                    i++;
                }
                if (rem[snk[j]] == 0) {
                    j++;
                }
            }
        }
        ensureArcCapacity(nf - before);
        for (int e = before; e < nf; e++) {
            addArc(fa[e], fb[e] - nSources, cost(fa[e], fb[e] - nSources));
        }
        updateBlockSize();
        return nf;
    }

    /** @return shortlist indices in non-decreasing cost order */
    private int[] arcsByCost() {
        int m = arcCount;
        int[] order = new int[m];
        if (kind == CostKind.TABLE) {
            // counting sort on the cost rank of the table entry
            int[] key = new int[m];
            int[] count = new int[table.length + 1];
            for (int k = 0; k < m; k++) {
                int s = arcSource[k];
                int t = arcSink[k] - nSources;
                int r = tableRank[Math.abs(srcY[s] - snkY[t]) * tableWidth
                        + Math.abs(srcX[s] - snkX[t])];
                key[k] = r;
                count[r + 1]++;
            }
            for (int i = 0; i < table.length; i++) {
                count[i + 1] += count[i];
            }
            for (int k = 0; k < m; k++) {
                order[count[key[k]]++] = k;
            }
        } else {
            Integer[] boxed = new Integer[m];
            for (int k = 0; k < m; k++) {
                boxed[k] = k;
            }
            Arrays.sort(boxed, (x, y) -> Double.compare(arcCost[x], arcCost[y]));
            for (int k = 0; k < m; k++) {
                order[k] = boxed[k];
            }
        }
        return order;
    }

    // ---------------------------------------------------------------- pivots

    /**
     * One pivot on the entering arc {@code p -> q}.
     *
     * @param p source node
     * @param q sink node
     * @param rc the arc's (negative) reduced cost
     */
    private void pivot(int p, int q, double rc) {
        // Apex of the cycle: an ancestor has a strictly larger subtree than its descendants.
        int u = p;
        int v = q;
        while (u != v) {
            if (succ[u] < succ[v]) {
                u = parent[u];
            } else {
                v = parent[v];
            }
        }
        int apex = u;

        // Leaving arc. Flow runs apex -> ... -> p -> q -> ... -> apex. On p's side flow goes down
        // the tree, so only source nodes' arcs (pointing up) shrink; on q's side flow goes up, so
        // only sink nodes' arcs (pointing down) shrink. Strict '<' on p's side keeps the blocking
        // arc nearest p, '<=' on q's side the one nearest the apex: the last blocking arc in
        // cycle order from the apex (Cunningham's rule for strongly feasible trees).
        double delta = Double.POSITIVE_INFINITY;
        int out = NONE;
        boolean outOnSourceSide = false;
        for (u = p; u != apex; u = parent[u]) {
            if (u < nSources && flow[u] < delta) {
                delta = flow[u];
                out = u;
                outOnSourceSide = true;
            }
        }
        for (v = q; v != apex; v = parent[v]) {
            if (v >= nSources && flow[v] <= delta) {
                delta = flow[v];
                out = v;
                outOnSourceSide = false;
            }
        }

        if (delta > 0) {
            // x - delta with x >= delta is >= 0 exactly in IEEE arithmetic: no negative flows.
            for (u = p; u != apex; u = parent[u]) {
                flow[u] = u < nSources ? flow[u] - delta : flow[u] + delta;
            }
            for (v = q; v != apex; v = parent[v]) {
                flow[v] = v < nSources ? flow[v] + delta : flow[v] - delta;
            }
        }

        int in = outOnSourceSide ? p : q;
        int newParent = outOnSourceSide ? q : p;
        int moved = succ[out];

        // Subtree sizes on the cycle: the moved subtree leaves the path above out and joins the
        // path above newParent; both paths end at the apex, above which nothing changes.
        for (u = parent[out]; u != apex; u = parent[u]) {
            succ[u] -= moved;
        }
        for (u = newParent; u != apex; u = parent[u]) {
            succ[u] += moved;
        }

        // stem: in = stem[0], parent chain up to out = stem[len - 1]
        int len = 0;
        for (u = in;; u = parent[u]) {
            if (len == stem.length) {
                stem = Arrays.copyOf(stem, len * 2);
            }
            stem[len++] = u;
            if (u == out) {
                break;
            }
        }
        int last = relinkThread(len, newParent);

        // Reverse the stem: the arc stored at stem[i] moves to stem[i + 1], the entering arc is
        // stored at the new subtree root, and the leaving arc (stored at out) disappears. After
        // the reversal stem[i] keeps the moved subtree minus what hung below stem[i - 1].
        for (int i = len - 1; i > 0; i--) {
            flow[stem[i]] = flow[stem[i - 1]];
            succ[stem[i]] = moved - succ[stem[i - 1]];
            parent[stem[i]] = stem[i - 1];
            lastSucc[stem[i]] = last;
        }
        flow[in] = delta;
        succ[in] = moved;
        parent[in] = newParent;
        lastSucc[in] = last;

        // Potentials: the entering arc must price to zero. Shift whichever side is smaller;
        // reduced costs depend on differences only. The moved subtree is the thread stretch
        // in..last, its complement the rest of the cycle.
        double sigma = outOnSourceSide ? -rc : rc;
        if (2 * moved <= root + 1) {
            int w = in;
            for (int i = 0; i < moved; i++) {
                pi[w] += sigma;
                w = thread[w];
            }
        } else {
            int w = thread[last];
            for (int i = root + 1 - moved; i > 0; i--) {
                pi[w] -= sigma;
                w = thread[w];
            }
        }
    }

    /**
     * Re-links the preorder thread for a pivot whose stem is {@code stem[0..len-1]}, before the
     * parent pointers change. With {@code S_i} the old thread stretch of {@code stem[i]}'s
     * subtree, the moved subtree's new preorder is {@code S_0}, then for each {@code i >= 1}
     * {@code S_i} without {@code S_(i-1)}: the stretch from {@code stem[i]} to just before
     * {@code stem[i-1]} and the stretch after {@code S_(i-1)} to the end of {@code S_i}. It is
     * cut out at its old place and inserted right after {@code newParent}; last successors of
     * the ancestors that ended at either place are fixed up.
     *
     * @return the last node of the moved subtree in the new preorder
     */
    private int relinkThread(int len, int newParent) {
        int out = stem[len - 1];
        int outLast = lastSucc[out];
        int before = revThread[out];
        int after = thread[outLast];

        // stretches of the new order, from the old thread
        if (pieceStart.length < 2 * len) {
            pieceStart = new int[4 * len];
            pieceEnd = new int[4 * len];
        }
        int pieces = 0;
        pieceStart[pieces] = stem[0];
        pieceEnd[pieces++] = lastSucc[stem[0]];
        for (int i = 1; i < len; i++) {
            int prevLast = lastSucc[stem[i - 1]];
            pieceStart[pieces] = stem[i];
            pieceEnd[pieces++] = revThread[stem[i - 1]];
            if (prevLast != lastSucc[stem[i]]) {
                pieceStart[pieces] = thread[prevLast];
                pieceEnd[pieces++] = lastSucc[stem[i]];
            }
        }
        int last = pieceEnd[pieces - 1];

        // cut S_out out of the thread
        thread[before] = after;
        revThread[after] = before;
        for (int a = parent[out]; a != NONE && lastSucc[a] == outLast; a = parent[a]) {
            lastSucc[a] = before;
        }
        // chain the stretches
        for (int i = 1; i < pieces; i++) {
            thread[pieceEnd[i - 1]] = pieceStart[i];
            revThread[pieceStart[i]] = pieceEnd[i - 1];
        }
        // insert right after newParent
        int next = thread[newParent];
        thread[newParent] = stem[0];
        revThread[stem[0]] = newParent;
        thread[last] = next;
        revThread[next] = last;
        for (int a = newParent; a != NONE && lastSucc[a] == newParent; a = parent[a]) {
            lastSucc[a] = last;
        }
        return last;
    }

    /**
     * Recomputes every potential from its parent's along the thread (preorder: parents first),
     * removing the round-off that repeated shifts accumulate.
     */
    private void recomputePotentials() {
        pi[root] = 0;
        // Counted rather than "until back at the root", so that a damaged thread cannot loop.
        int w = root;
        for (int i = 0; i < root; i++) {
            w = thread[w];
            int par = parent[w];
            double c = treeArcCost(w, par);
            pi[w] = w < nSources ? pi[par] - c : pi[par] + c;
        }
    }

    /**
     * Checks the tree against its definition (tests only): the thread is a preorder of the
     * parent pointers, sizes and last successors match, flows are non-negative, every sink's
     * arc carries flow (strong feasibility), node balances hold and tree arcs price to zero.
     *
     * @throws IllegalStateException at the first broken invariant
     */
    void verifyTree() {
        int n = root + 1;
        int[] position = new int[n];
        Arrays.fill(position, NONE);
        int w = root;
        for (int i = 0; i < n; i++) {
            if (position[w] != NONE) {
                throw new IllegalStateException("thread revisits node " + w);
            }
            position[w] = i;
            if (revThread[thread[w]] != w) {
                throw new IllegalStateException("revThread broken at " + w);
            }
            w = thread[w];
        }
        if (w != root) {
            throw new IllegalStateException("thread is not one cycle");
        }
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            size[i] = 1;
        }
        Integer[] byPos = new Integer[n];
        for (int v = 0; v < n; v++) {
            byPos[position[v]] = v;
        }
        for (int i = n - 1; i > 0; i--) {
            int v = byPos[i];
            if (position[parent[v]] >= position[v]) {
                throw new IllegalStateException("parent after child in thread at " + v);
            }
            size[parent[v]] += size[v];
        }
        double[] balance = new double[n];
        for (int v = 0; v < n; v++) {
            if (size[v] != succ[v]) {
                throw new IllegalStateException("succ wrong at " + v);
            }
            int lastPos = position[v] + size[v] - 1;
            if (byPos[lastPos] != lastSucc[v]) {
                throw new IllegalStateException("lastSucc wrong at " + v);
            }
            // every node of the stretch must be a descendant of v
            for (int i = position[v] + 1; i <= lastPos; i++) {
                int d = byPos[i];
                while (d != v && d != root) {
                    d = parent[d];
                }
                if (d != v) {
                    throw new IllegalStateException("thread stretch of " + v + " leaves it");
                }
            }
            if (v == root) {
                continue;
            }
            if (!(flow[v] >= 0)) {
                throw new IllegalStateException("negative flow at " + v);
            }
            if (v >= nSources && !(flow[v] > 0)) {
                throw new IllegalStateException("not strongly feasible: sink " + v);
            }
            // a source's arc leaves it, a sink's arc enters it
            if (v < nSources) {
                balance[v] += flow[v];
                balance[parent[v]] -= flow[v];
            } else {
                balance[v] -= flow[v];
                balance[parent[v]] += flow[v];
            }
            double c = treeArcCost(v, parent[v]);
            double reduced = v < nSources ? c + pi[v] - pi[parent[v]] : c + pi[parent[v]] - pi[v];
            if (Math.abs(reduced) > 1e3 * epsilon) {
                throw new IllegalStateException("tree arc at " + v + " prices to " + reduced);
            }
        }
        for (int v = 0; v < root; v++) {
            double expected = v < nSources ? mass[v] : -mass[v];
            if (Math.abs(balance[v] - expected) > 1e-9 * Math.max(1, Math.abs(mass[v]))) {
                throw new IllegalStateException("balance broken at " + v);
            }
        }
    }

    // ---------------------------------------------------------------- pricing

    private void ensureArcCapacity(int extra) {
        int need = arcCount + extra;
        if (arcSource == null) {
            int cap = Math.max(16, need);
            arcSource = new int[cap];
            arcSink = new int[cap];
            arcCost = new double[cap];
        } else if (need > arcSource.length) {
            int cap = Math.max(need, arcSource.length * 2);
            arcSource = Arrays.copyOf(arcSource, cap);
            arcSink = Arrays.copyOf(arcSink, cap);
            arcCost = Arrays.copyOf(arcCost, cap);
        }
    }

    private void addArc(int s, int t, double c) {
        arcSource[arcCount] = s;
        arcSink[arcCount] = nSources + t;
        arcCost[arcCount] = c;
        arcCount++;
    }

    private void updateBlockSize() {
        // LEMON uses sqrt(m); half of it was about 10 % faster on 32x32 attention maps here.
        blockSize = Math.max(16, (int) (0.5 * Math.sqrt(arcCount)));
    }

    /**
     * The first shortlist: every arc when the problem is small or a source has few candidates,
     * otherwise each source's sinks within the smallest Chebyshev radius holding {@code k} of
     * them plus the hinted arcs (table costs), or its {@code k} cheapest sinks (general costs).
     */
    private void initShortlist(int k) {
        long all = (long) nSources * nSinks;
        if (all <= Math.max(4096L, (long) k * nSources * 2) || k >= nSinks) {
            ensureArcCapacity((int) all);
            for (int s = 0; s < nSources; s++) {
                for (int t = 0; t < nSinks; t++) {
                    addArc(s, t, cost(s, t));
                }
            }
        } else if (kind == CostKind.TABLE) {
            shortlistByRings(k);
        } else {
            shortlistBySelection(k);
        }
        nextArc = 0;
        updateBlockSize();
    }

    private void shortlistByRings(int k) {
        int minY = Integer.MAX_VALUE;
        int minX = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;
        int maxX = Integer.MIN_VALUE;
        for (int t = 0; t < nSinks; t++) {
            minY = Math.min(minY, snkY[t]);
            maxY = Math.max(maxY, snkY[t]);
            minX = Math.min(minX, snkX[t]);
            maxX = Math.max(maxX, snkX[t]);
        }
        int h = maxY - minY + 1;
        int w = maxX - minX + 1;
        int[] sinkAt = new int[h * w];
        Arrays.fill(sinkAt, NONE);
        for (int t = 0; t < nSinks; t++) {
            sinkAt[(snkY[t] - minY) * w + (snkX[t] - minX)] = t;
        }
        ensureArcCapacity(nSources * k * 2);
        int[] radius = new int[nSources];
        for (int s = 0; s < nSources; s++) {
            int y0 = srcY[s] - minY;
            int x0 = srcX[s] - minX;
            int found = 0;
            for (int r = 0; found < k; r++) {
                int ylo = y0 - r;
                int yhi = y0 + r;
                int xlo = x0 - r;
                int xhi = x0 + r;
                if (ylo < 0 && xlo < 0 && yhi >= h && xhi >= w) {
                    radius[s] = Integer.MAX_VALUE;
                    break;
                }
                ensureArcCapacity(8 * r + 1);
                // the ring: full top and bottom rows, the two end points of the rows between
                for (int y = Math.max(ylo, 0); y <= Math.min(yhi, h - 1); y++) {
                    boolean edgeRow = y == ylo || y == yhi;
                    int step = edgeRow ? 1 : Math.max(1, xhi - xlo);
                    for (int x = xlo; x <= xhi; x += step) {
                        if (x < 0 || x >= w) {
                            continue;
                        }
                        int t = sinkAt[y * w + x];
                        if (t != NONE) {
                            addArc(s, t, cost(s, t));
                            found++;
                        }
                    }
                }
                radius[s] = r;
            }
        }
        ensureArcCapacity(hintCount);
        for (int i = 0; i < hintCount; i++) {
            int s = hintSource[i];
            int t = hintSink[i];
            if (Math.max(Math.abs(srcY[s] - snkY[t]), Math.abs(srcX[s] - snkX[t])) > radius[s]) {
                addArc(s, t, cost(s, t));
            }
        }
    }

    private void shortlistBySelection(int k) {
        ensureArcCapacity(nSources * k);
        int[] bestT = new int[k];
        double[] bestC = new double[k];
        for (int s = 0; s < nSources; s++) {
            int n = 0;
            for (int t = 0; t < nSinks; t++) {
                double c = cost(s, t);
                if (n < k || c < bestC[n - 1]) {
                    int i = n < k ? n++ : n - 1;
                    while (i > 0 && bestC[i - 1] > c) {
                        bestC[i] = bestC[i - 1];
                        bestT[i] = bestT[i - 1];
                        i--;
                    }
                    bestC[i] = c;
                    bestT[i] = t;
                }
            }
            for (int i = 0; i < n; i++) {
                addArc(s, bestT[i], bestC[i]);
            }
        }
    }

    /**
     * Block search (Grigoriadis 1986; as in LEMON): scan the shortlist cyclically in blocks and
     * return the most negative arc of the first block that has one.
     *
     * @return the index of the entering arc, or {@link #NONE} if every shortlisted arc prices
     *     out; its reduced cost is left in {@link #enteringReducedCost}
     */
    private int findEnteringArc() {
        final double threshold = -epsilon;
        int best = NONE;
        double min = threshold;
        int scanned = 0;
        int inBlock = 0;
        int k = nextArc;
        final int m = arcCount;
        while (scanned < m) {
            double rc = arcCost[k] + pi[arcSource[k]] - pi[arcSink[k]];
            if (rc < min && !isTreeArc(arcSource[k], arcSink[k])) {
                min = rc;
                best = k;
            }
            scanned++;
            if (++k == m) {
                k = 0;
            }
            if (++inBlock == blockSize) {
                if (best != NONE) {
                    break;
                }
                inBlock = 0;
            }
        }
        nextArc = k;
        enteringReducedCost = min;
        return best;
    }

    private boolean isTreeArc(int s, int t) {
        return parent[s] == t || parent[t] == s;
    }

    /**
     * Prices every arc against the current potentials and shortlists the violated ones.
     *
     * @return whether any arc was violated
     */
    private boolean addViolatedArcs() {
        int before = arcCount;
        if (kind == CostKind.TABLE) {
            addViolatedArcsByTiles();
        } else {
            final double threshold = -epsilon;
            for (int s = 0; s < nSources; s++) {
                double ps = pi[s];
                for (int t = 0; t < nSinks; t++) {
                    double c = cost(s, t);
                    if (c + ps - pi[nSources + t] < threshold && !isTreeArc(s, nSources + t)) {
                        ensureArcCapacity(1);
                        addArc(s, t, c);
                    }
                }
            }
        }
        if (arcCount == before) {
            return false;
        }
        nextArc = before;
        updateBlockSize();
        return true;
    }

    /**
     * Groups the sinks into {@code TILE x TILE} pixel tiles. A table cost never decreases with
     * |dy| or |dx|, so the cost from a source to the nearest point of a tile's rectangle bounds
     * every arc into the tile from below.
     */
    private void buildTiles() {
        int h = table.length / tableWidth;
        int w = tableWidth;
        tilesX = (w + TILE - 1) / TILE;
        int tiles = tilesX * ((h + TILE - 1) / TILE);
        tileStart = new int[tiles + 1];
        for (int t = 0; t < nSinks; t++) {
            tileStart[(snkY[t] / TILE) * tilesX + snkX[t] / TILE + 1]++;
        }
        for (int i = 0; i < tiles; i++) {
            tileStart[i + 1] += tileStart[i];
        }
        int[] fill = Arrays.copyOf(tileStart, tiles);
        tileSinks = new int[nSinks];
        for (int t = 0; t < nSinks; t++) {
            tileSinks[fill[(snkY[t] / TILE) * tilesX + snkX[t] / TILE]++] = t;
        }
        tileY0 = new int[tiles];
        tileY1 = new int[tiles];
        tileX0 = new int[tiles];
        tileX1 = new int[tiles];
        for (int i = 0; i < tiles; i++) {
            tileY0[i] = (i / tilesX) * TILE;
            tileY1[i] = Math.min(tileY0[i] + TILE, h) - 1;
            tileX0[i] = (i % tilesX) * TILE;
            tileX1[i] = Math.min(tileX0[i] + TILE, w) - 1;
        }
        tileMaxPi = new double[tiles];
    }

    /**
     * Full pricing for table costs that skips every tile of sinks whose cost lower bound and
     * largest potential prove that none of its arcs is violated: still an exact check, and much
     * cheaper than all {@code S x D} arcs because near-optimal potentials are close to
     * 1-Lipschitz (most tiles are skipped).
     */
    private void addViolatedArcsByTiles() {
        if (tileStart == null) {
            buildTiles();
        }
        final double threshold = -epsilon;
        int tiles = tileMaxPi.length;
        for (int i = 0; i < tiles; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = tileStart[i]; k < tileStart[i + 1]; k++) {
                max = Math.max(max, pi[nSources + tileSinks[k]]);
            }
            tileMaxPi[i] = max;
        }
        for (int s = 0; s < nSources; s++) {
            double ps = pi[s];
            int ys = srcY[s];
            int xs = srcX[s];
            for (int i = 0; i < tiles; i++) {
                if (tileStart[i] == tileStart[i + 1]) {
                    continue;
                }
                int dy = ys < tileY0[i] ? tileY0[i] - ys : ys > tileY1[i] ? ys - tileY1[i] : 0;
                int dx = xs < tileX0[i] ? tileX0[i] - xs : xs > tileX1[i] ? xs - tileX1[i] : 0;
                if (table[dy * tableWidth + dx] + ps - tileMaxPi[i] >= threshold) {
                    continue;
                }
                for (int k = tileStart[i]; k < tileStart[i + 1]; k++) {
                    int t = tileSinks[k];
                    double c = table[Math.abs(ys - snkY[t]) * tableWidth
                            + Math.abs(xs - snkX[t])];
                    if (c + ps - pi[nSources + t] < threshold && !isTreeArc(s, nSources + t)) {
                        ensureArcCapacity(1);
                        addArc(s, t, c);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- inspection (tests)

    /**
     * @return {@code {source, sink, flow}} for every tree arc between a source and a sink
     */
    double[][] flows() {
        int n = 0;
        double[][] out = new double[root][];
        for (int v = 0; v < root; v++) {
            int p = parent[v];
            if (p == root) {
                continue;
            }
            int s = v < nSources ? v : p;
            int t = (v < nSources ? p : v) - nSources;
            out[n++] = new double[] {s, t, flow[v]};
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * @return {@code {srcY, srcX, snkY, snkX}} per real tree arc with positive flow, as four
     *     parallel arrays (the coarse level's hint)
     */
    int[][] positiveArcPixels() {
        int n = 0;
        int[][] out = new int[4][root];
        for (int v = 0; v < root; v++) {
            int p = parent[v];
            if (p == root || !(flow[v] > 0)) {
                continue;
            }
            int s = v < nSources ? v : p;
            int t = (v < nSources ? p : v) - nSources;
            out[0][n] = srcY[s];
            out[1][n] = srcX[s];
            out[2][n] = snkY[t];
            out[3][n] = snkX[t];
            n++;
        }
        for (int i = 0; i < 4; i++) {
            out[i] = Arrays.copyOf(out[i], n);
        }
        return out;
    }

    /** @return the flow left on artificial arcs (mass imbalance and round-off only) */
    double artificialFlow() {
        double total = 0;
        for (int v = 0; v < root; v++) {
            if (parent[v] == root) {
                total += flow[v];
            }
        }
        return total;
    }

    /** @return the dual potentials of the sources then the sinks (root potential 0) */
    double[] potentials() {
        return Arrays.copyOf(pi, root);
    }

    /** @return number of sources */
    int sources() {
        return nSources;
    }

    /** @return number of sinks */
    int sinks() {
        return nSinks;
    }

    /**
     * @param node a source {@code 0..S-1} or sink {@code S..S+D-1}
     * @return its mass
     */
    double mass(int node) {
        return mass[node];
    }

    /**
     * @param node a source or sink node
     * @return its pixel {@code {row, column}}
     */
    int[] pixel(int node) {
        return node < nSources ? new int[] {srcY[node], srcX[node]}
                : new int[] {snkY[node - nSources], snkX[node - nSources]};
    }

    /** @return the kind of cost model used */
    CostKind costKind() {
        return kind;
    }
}

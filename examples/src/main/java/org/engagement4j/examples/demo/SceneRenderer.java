package org.engagement4j.examples.demo;

import java.util.Arrays;
import org.engagement4j.core.annotation.CoderAnnotations;
import org.engagement4j.core.annotation.Interval;
import org.engagement4j.core.annotation.Task;
import org.engagement4j.core.annotation.Variable;

/**
 * Draws the synthetic guided-play scene of one session, frame by frame, from the hidden truth:
 * a table seen from the side, the infant on the left, the experimenter on the right and, during a
 * task span, the task's toy on the table. Two rules carry the labels (everything else is
 * nuisance):
 * <ul>
 *   <li>social engagement: the infant's face (a bright patch with eyes) is on the side of the
 *   head facing the experimenter; otherwise the head shows its hair there and the face looks away
 *   or down;</li>
 *   <li>task engagement: the infant's arm reaches across to the toy, holds it above the table
 *   and shakes it by about a quarter of its width from frame to frame; otherwise the hand rests
 *   in the lap and the toy stands still on the table. Each task's toy keeps its shape and colours
 *   whether played with or not, so only the pose and the motion tell the label.</li>
 * </ul>
 * Nuisance: a textured wall and floor, per-session clothing and wall tints, the experimenter's
 * moving arm, a slow global brightness drift and sensor noise; none of it depends on the labels.
 *
 * <p>The preprocessed clip is 208 x 160 and the network sees its centre 160 x 160 crop, the
 * middle 77 % of the width: the infant's head, arm and hand and every toy, shaken or not, lie
 * inside it with a margin of at least 5 % of the width; only the back of the experimenter may
 * fall outside.
 *
 * <p>Every frame is a pure function of the session seed and the frame index (no state carried
 * from frame to frame), so the evidence of the frame the preprocessor keeps can be computed
 * without rendering the frames in between. Geometry is in fractions of the frame size, so any
 * frame size gives the same picture.
 */
final class SceneRenderer {

    /** Sensor noise fields cycled through by frame: enough that no pattern is obvious. */
    private static final int NOISE_FIELDS = 16;
    private static final int NOISE_AMPLITUDE = 3;

    private static final int SKIN = rgb(236, 188, 150);
    private static final int FACE = rgb(255, 222, 196);
    private static final int HAIR = rgb(70, 45, 25);
    private static final int EYE = rgb(20, 20, 30);
    private static final int MOUTH = rgb(190, 60, 60);
    private static final int[] CLOTHES = {rgb(60, 120, 200), rgb(200, 90, 60), rgb(80, 160, 90),
        rgb(150, 90, 170), rgb(220, 170, 40), rgb(90, 90, 90)};

    /** Social-engagement pose of the infant's head. */
    enum Head { TOWARD, AWAY, DOWN }

    /** A half-open pixel rectangle {@code [x0, x1) x [y0, y1)} of the full-size frame. */
    record Box(int x0, int y0, int x1, int y1) {
    }

    /** Where the deciding evidence of one frame lies, in full-size frame pixels. */
    record Evidence(Box head, Box hand, Box toy) {
    }

    private final CoderAnnotations truth;
    private final long seed;
    private final int w;
    private final int h;
    private final long fpsMilli;
    private final int[] background;
    private final byte[][] noise;
    private final int clothes;
    private final int experimenterClothes;
    private final double drift;
    private final double armPhase;

    SceneRenderer(CoderAnnotations truth, long seed, int width, int height, long fpsMilli) {
        this.truth = truth;
        this.seed = seed;
        this.w = width;
        this.h = height;
        this.fpsMilli = fpsMilli;
        this.clothes = CLOTHES[(int) Long.remainderUnsigned(mix(seed ^ 0x11), CLOTHES.length)];
        this.experimenterClothes = CLOTHES[(int) Long.remainderUnsigned(mix(seed ^ 0x22),
                CLOTHES.length)];
        this.drift = unit(seed ^ 0x33) * 2 * Math.PI;
        this.armPhase = unit(seed ^ 0x44) * 2 * Math.PI;
        this.background = background();
        this.noise = new byte[NOISE_FIELDS][w * h];
        for (int f = 0; f < NOISE_FIELDS; f++) {
            long s = mix(seed ^ (0x5000L + f));
            for (int p = 0; p < w * h; p++) {
                s = mix(s + p);
                noise[f][p] = (byte) (Long.remainderUnsigned(s, 2 * NOISE_AMPLITUDE + 1)
                        - NOISE_AMPLITUDE);
            }
        }
    }

    /** @return the time of source frame {@code i} in whole milliseconds (floor) */
    long timeMs(long i) {
        return i * 1_000_000L / fpsMilli;
    }

    /**
     * @param ms a time
     * @return the task whose truth span holds {@code ms}, or null between tasks
     */
    Task taskAt(long ms) {
        for (Task t : Task.values()) {
            Interval span = truth.taskSpans().get(t);
            if (span != null && span.contains(ms)) {
                return t;
            }
        }
        return null;
    }

    /**
     * @param variable an engagement variable
     * @param ms a time
     * @return whether the truth says the infant is engaged at {@code ms}
     */
    boolean engaged(Variable variable, long ms) {
        Task t = taskAt(ms);
        return t != null && truth.isEngaged(t, variable, ms);
    }

    Head head(long ms) {
        if (engaged(Variable.SOCIAL_ENGAGEMENT, ms)) {
            return Head.TOWARD;
        }
        // Alternate the two not-engaged poses in blocks of 3 s so both occur in every stretch.
        return (mix(seed ^ (ms / 3000)) & 1) == 0 ? Head.AWAY : Head.DOWN;
    }

    // ------------------------------------------------------------------ geometry

    private int px(double fx) {
        return (int) Math.round(fx * w);
    }

    private int py(double fy) {
        return (int) Math.round(fy * h);
    }

    private int headX() {
        return px(0.27);
    }

    private int headY() {
        return py(0.37);
    }

    private int headR() {
        return Math.max(3, py(0.10));
    }

    /**
     * Toy offset in pixels at source frame {@code i} while the infant plays with it: lifted off
     * the table and shaken irregularly by a large fraction of its size, so that a 3 fps clip sees
     * it jump from frame to frame.
     */
    private int[] shake(long i) {
        long s = mix(seed ^ 0x7000_0000L ^ i);
        int ax = Math.max(2, px(0.04));
        int ay = Math.max(2, py(0.04));
        int dx = (int) Long.remainderUnsigned(s, 2L * ax + 1) - ax;
        int dy = (int) Long.remainderUnsigned(s >>> 20, 2L * ay + 1) - ay;
        // Never near still while shaken: a small offset would look like the resting toy.
        if (Math.abs(dx) < ax / 2 && Math.abs(dy) < ay / 2) {
            dx = dx < 0 ? -ax : ax;
        }
        return new int[] {dx, dy - lift()};
    }

    /** How far a played-with toy is held above the table. */
    private int lift() {
        return Math.max(2, py(0.08));
    }

    /**
     * The toy's box at rest on the table. Every toy, held and shaken, stays well inside the
     * centre 160 x 160 crop the network sees (the middle 77 % of the width).
     */
    private Box toyBox(Task task) {
        int base = py(0.56);
        return switch (task) {
            case DOLLS -> new Box(px(0.44), base - py(0.20), px(0.58), base);
            case SHAKER -> new Box(px(0.46), base - py(0.17), px(0.55), base);
            case DRUM -> new Box(px(0.43), base - py(0.15), px(0.58), base);
        };
    }

    private static Box shift(Box b, int dx, int dy) {
        return new Box(b.x0() + dx, b.y0() + dy, b.x1() + dx, b.y1() + dy);
    }

    /** @return the hand centre at source frame {@code i} */
    private int[] hand(long i, long ms, Task task, boolean onToy) {
        if (onToy) {
            Box toy = toyBox(task);
            int[] d = shake(i);
            return new int[] {toy.x0() + d[0], (toy.y0() + toy.y1()) / 2 + d[1]};
        }
        double sway = Math.sin(ms / 1700.0 + armPhase);
        return new int[] {px(0.32) + (int) Math.round(sway * px(0.008)), py(0.72)};
    }

    private int handR() {
        return Math.max(2, py(0.04));
    }

    /**
     * @param i source frame index
     * @return the evidence boxes of frame {@code i}; {@code toy} is null outside task spans
     */
    Evidence evidence(long i) {
        long ms = timeMs(i);
        Task task = taskAt(ms);
        boolean onToy = task != null && engaged(Variable.TASK_ENGAGEMENT, ms);
        int r = headR();
        int pad = Math.max(1, r / 8);
        Box head = new Box(headX() - r - pad, headY() - r - pad, headX() + r + pad + 1,
                headY() + r + pad + 1);
        int[] hc = hand(i, ms, task, onToy);
        int hr = handR() + Math.max(1, handR() / 3);
        Box hand = new Box(hc[0] - hr, hc[1] - hr, hc[0] + hr + 1, hc[1] + hr + 1);
        Box toy = null;
        if (task != null) {
            int[] d = onToy ? shake(i) : new int[] {0, 0};
            toy = shift(toyBox(task), d[0], d[1]);
        }
        return new Evidence(head, hand, toy);
    }

    // ------------------------------------------------------------------ drawing

    /**
     * Renders source frame {@code i}.
     *
     * @param i the frame index
     * @param scene scratch of {@code w * h} pixels
     * @param out receives the frame, {@code 0xRRGGBB} per pixel
     */
    void render(long i, int[] scene, int[] out) {
        long ms = timeMs(i);
        System.arraycopy(background, 0, scene, 0, scene.length);
        drawExperimenterArm(scene, ms);
        Task task = taskAt(ms);
        boolean onToy = task != null && engaged(Variable.TASK_ENGAGEMENT, ms);
        if (task != null) {
            int[] d = onToy ? shake(i) : new int[] {0, 0};
            drawToy(scene, task, d[0], d[1]);
        }
        drawHead(scene, head(ms));
        int[] hc = hand(i, ms, task, onToy);
        // A thick sleeve: reaching across the wall to the toy looks nothing like resting.
        thickLine(scene, px(0.30), py(0.52), hc[0], hc[1], Math.max(1, py(0.03)), clothes);
        disc(scene, hc[0], hc[1], handR(), SKIN);
        // Slow brightness drift (period about 23 s) and sensor noise over the whole picture.
        int gain = (int) Math.round(256 * (1 + 0.06 * Math.sin(ms / 3660.0 + drift)));
        byte[] n = noise[(int) Long.remainderUnsigned(mix(seed ^ 0x6000_0000L ^ i),
                NOISE_FIELDS)];
        for (int p = 0; p < scene.length; p++) {
            int c = scene[p];
            int e = n[p];
            int r = clamp((((c >> 16) & 0xFF) * gain >> 8) + e);
            int g = clamp((((c >> 8) & 0xFF) * gain >> 8) + e);
            int b = clamp(((c & 0xFF) * gain >> 8) + e);
            out[p] = (r << 16) | (g << 8) | b;
        }
    }

    private void drawExperimenterArm(int[] f, long ms) {
        double t = ms / 1000.0;
        int hx = px(0.72 + 0.03 * Math.sin(1.3 * t + armPhase));
        int hy = py(0.50 + 0.05 * Math.sin(0.7 * t + 2 * armPhase));
        thickLine(f, px(0.79), py(0.47), hx, hy, Math.max(1, py(0.025)), experimenterClothes);
        disc(f, hx, hy, Math.max(2, py(0.03)), SKIN);
    }

    private void drawToy(int[] f, Task task, int dx, int dy) {
        Box b = shift(toyBox(task), dx, dy);
        switch (task) {
            case DOLLS -> {
                int mid = (b.x0() + b.x1()) / 2;
                int hr = Math.max(2, py(0.025));
                rect(f, b.x0() + 1, b.y0() + 2 * hr, mid - 1, b.y1(), rgb(210, 40, 40));
                rect(f, mid + 1, b.y0() + 2 * hr, b.x1() - 1, b.y1(), rgb(140, 60, 200));
                disc(f, (b.x0() + mid) / 2, b.y0() + hr, hr, SKIN);
                disc(f, (mid + b.x1()) / 2, b.y0() + hr, hr, SKIN);
            }
            case SHAKER -> ellipse(f, (b.x0() + b.x1()) / 2, (b.y0() + b.y1()) / 2,
                    (b.x1() - b.x0()) / 2, (b.y1() - b.y0()) / 2, rgb(245, 215, 30));
            case DRUM -> {
                int top = Math.max(1, (b.y1() - b.y0()) / 4);
                rect(f, b.x0(), b.y0() + top / 2, b.x1(), b.y1(), rgb(40, 70, 200));
                ellipse(f, (b.x0() + b.x1()) / 2, b.y0() + top / 2, (b.x1() - b.x0()) / 2,
                        top / 2, rgb(225, 225, 240));
            }
            default -> throw new IllegalStateException("unknown task " + task);
        }
    }

    private void drawHead(int[] f, Head pose) {
        int cx = headX();
        int cy = headY();
        int r = headR();
        disc(f, cx, cy, r, SKIN);
        int eye = Math.max(1, r / 7);
        switch (pose) {
            case TOWARD -> {
                // Face on the experimenter's (right) side, hair on the back of the head.
                halfDisc(f, cx, cy, r, HAIR, true);
                ellipse(f, cx + r / 3, cy, (2 * r) / 3, (4 * r) / 5, FACE);
                disc(f, cx + r / 2, cy - r / 4, eye, EYE);
                disc(f, cx + r / 8, cy - r / 4, eye, EYE);
                rect(f, cx + r / 8, cy + r / 3, cx + r / 2 + 1, cy + r / 3 + Math.max(1, r / 8),
                        MOUTH);
            }
            case AWAY -> {
                halfDisc(f, cx, cy, r, HAIR, false);
                ellipse(f, cx - (2 * r) / 3, cy, r / 3, (2 * r) / 3, FACE);
                disc(f, cx - (3 * r) / 4, cy - r / 4, eye, EYE);
            }
            case DOWN -> {
                // Hair over the top and the experimenter's side; a sliver of face low down.
                disc(f, cx, cy - r / 4, (4 * r) / 5, HAIR);
                ellipse(f, cx, cy + (2 * r) / 3, r / 2, r / 4, FACE);
            }
            default -> throw new IllegalStateException("unknown pose " + pose);
        }
    }

    // ------------------------------------------------------------------ background

    private int[] background() {
        int[] f = new int[w * h];
        int tint = (int) Long.remainderUnsigned(mix(seed ^ 0x55), 21) - 10;
        int wallEnd = py(0.62);
        int stripe = Math.max(2, px(0.05));
        int block = Math.max(2, py(0.05));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v;
                if (y < wallEnd) {
                    int s = ((x / stripe) & 1) == 0 ? 6 : -6;
                    int k = (int) Long.remainderUnsigned(mix(seed ^ ((long) (y / block) << 32)
                            ^ (x / block)), 11) - 5;
                    v = rgb(clamp(200 + s + k + tint), clamp(204 + s + k), clamp(188 + s + k
                            - tint));
                } else {
                    int streak = (int) Long.remainderUnsigned(mix(seed ^ 0x900 ^ (y / 3)), 17)
                            - 8;
                    v = rgb(clamp(150 + streak), clamp(118 + streak), clamp(86 + streak));
                }
                f[y * w + x] = v;
            }
        }
        int wood = rgb(125, 82, 48);
        rect(f, px(0.37), py(0.56), px(0.74), py(0.60), wood);
        rect(f, px(0.39), py(0.60), px(0.42), py(0.92), wood);
        rect(f, px(0.69), py(0.60), px(0.72), py(0.92), wood);
        // Infant: body seated left of the table; the head and arm are drawn per frame.
        ellipse(f, px(0.27), py(0.63), px(0.07), py(0.15), clothes);
        // Experimenter: body and head, right of the table, facing left; the back of the body
        // may fall outside the centre crop, the face does not.
        rect(f, px(0.78), py(0.40), px(0.91), py(0.95), experimenterClothes);
        disc(f, px(0.83), py(0.28), Math.max(3, py(0.09)), SKIN);
        halfDisc(f, px(0.83), py(0.28), Math.max(3, py(0.09)), HAIR, false);
        disc(f, px(0.805), py(0.27), Math.max(1, py(0.012)), EYE);
        return f;
    }

    // ------------------------------------------------------------------ primitives

    private void rect(int[] f, int x0, int y0, int x1, int y1, int c) {
        int ax = Math.max(0, x0);
        int bx = Math.min(w, x1);
        if (ax >= bx) {
            return;
        }
        for (int y = Math.max(0, y0); y < Math.min(h, y1); y++) {
            Arrays.fill(f, y * w + ax, y * w + bx, c);
        }
    }

    private void ellipse(int[] f, int cx, int cy, int rx, int ry, int c) {
        if (rx <= 0 || ry <= 0) {
            return;
        }
        for (int y = Math.max(0, cy - ry); y <= Math.min(h - 1, cy + ry); y++) {
            double t = (double) (y - cy) / ry;
            int half = (int) Math.floor(rx * Math.sqrt(Math.max(0, 1 - t * t)));
            rect(f, cx - half, y, cx + half + 1, y + 1, c);
        }
    }

    private void disc(int[] f, int cx, int cy, int r, int c) {
        ellipse(f, cx, cy, r, r, c);
    }

    /** The left ({@code left == true}) or right half of a disc. */
    private void halfDisc(int[] f, int cx, int cy, int r, int c, boolean left) {
        for (int y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
            double t = (double) (y - cy) / r;
            int half = (int) Math.floor(r * Math.sqrt(Math.max(0, 1 - t * t)));
            if (left) {
                rect(f, cx - half, y, cx, y + 1, c);
            } else {
                rect(f, cx + 1, y, cx + half + 1, y + 1, c);
            }
        }
    }

    private void thickLine(int[] f, int x0, int y0, int x1, int y1, int r, int c) {
        int steps = Math.max(1, Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) / Math.max(1, r));
        for (int s = 0; s <= steps; s++) {
            disc(f, x0 + (x1 - x0) * s / steps, y0 + (y1 - y0) * s / steps, r, c);
        }
    }

    private static int rgb(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    /** SplitMix64's finaliser: a well-mixed, platform-independent hash of {@code z}. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long z) {
        return (mix(z) >>> 11) * 0x1.0p-53;
    }
}

// The reference painting tool's brush (REFERENCE.md section 8). Keep this arithmetic identical to
// org.engagement4j.examples.annotator.Brush: the end-to-end test replays strokes in Java and
// compares the maps to 1e-6.
"use strict";

const Brush = (() => {
  const PEAK = 0.1;
  const WHEEL_FACTOR = 1.15;
  const INITIAL_FRACTION = 1 / 25;

  // Python's round(): ties go to the even neighbour (Java's Math.rint).
  function rint(v) {
    const f = Math.floor(v);
    const d = v - f;
    if (d < 0.5) return f;
    if (d > 0.5) return f + 1;
    return f % 2 === 0 ? f : f + 1;
  }

  function make(sigma) {
    const side = Math.max(1, Math.trunc(5 * sigma));
    const g = new Float64Array(side);
    let max = 0;
    for (let i = 0; i < side; i++) {
      const d = i - (side - 1) / 2;
      g[i] = Math.exp(-0.5 * (d * d) / (sigma * sigma));
      max = Math.max(max, g[i]);
    }
    const kernel = new Float64Array(side * side);
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        kernel[i * side + j] = PEAK * (g[i] * g[j]) / (max * max);
      }
    }
    return { sigma, side, kernel };
  }

  function initial(height, width) {
    return make(INITIAL_FRACTION * Math.min(height, width));
  }

  // One wheel step: up (delta < 0 in browser terms) grows the brush.
  function wheel(brush, up) {
    return make(up ? brush.sigma * WHEEL_FACTOR : brush.sigma / WHEEL_FACTOR);
  }

  // map: Float32Array [T*H*W]; x, y: image coordinates with pixel centres at integers.
  function stamp(brush, map, height, width, frame, x, y, erase) {
    const side = brush.side;
    const top = rint(y - side / 2);
    const left = rint(x - side / 2);
    if (top >= height || left >= width || top + side <= 0 || left + side <= 0) return;
    const r0 = Math.max(top, 0), r1 = Math.min(top + side, height);
    const c0 = Math.max(left, 0), c1 = Math.min(left + side, width);
    const sign = erase ? -1 : 1;
    const base = frame * height * width;
    for (let r = r0; r < r1; r++) {
      const kr = (r - top) * side;
      for (let c = c0; c < c1; c++) {
        const i = base + r * width + c;
        const v = map[i] + sign * brush.kernel[kr + c - left];
        map[i] = Math.min(1, Math.max(0, v)); // the Float32Array rounds to float32
      }
    }
  }

  return { PEAK, WHEEL_FACTOR, INITIAL_FRACTION, rint, make, initial, wheel, stamp };
})();

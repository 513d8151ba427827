#!/usr/bin/python3
"""POT side of org.engagement4j.examples.bench.EmdBenchmark.

    /usr/bin/python3 tools/bench/pot_emd.py <folder>

<folder>/manifest.txt lists one pair a line: `kind index height width`; the maps are
<folder>/<kind>_<index>_a.f64 and _b.f64, raw little-endian float64, row-major. Each map gets the
reference normalisation (add eps = 2.220446049250313e-16, divide by the sum), the cost is the
Euclidean distance between pixel indices (row, column), and the exact EMD is POT's ot.emd2
(single thread, numItermax=10_000_000). Prints one line a pair:
`kind index value seconds`, timing only the ot.emd2 call (after one untimed warm-up call).
"""
import os
import sys
import time

os.environ.setdefault('OMP_NUM_THREADS', '1')

import numpy as np  # noqa: E402
import ot  # noqa: E402

EPS = 2.220446049250313e-16


def main(folder):
    pairs = []
    with open(os.path.join(folder, 'manifest.txt')) as f:
        for line in f:
            if line.strip():
                kind, index, h, w = line.split()
                pairs.append((kind, int(index), int(h), int(w)))
    costs = {}
    warmed = False
    for kind, index, h, w in pairs:
        if (h, w) not in costs:
            yy, xx = np.mgrid[0:h, 0:w]
            c = np.stack([yy.ravel(), xx.ravel()], 1).astype(np.float64)
            costs[(h, w)] = ot.dist(c, c, metric='euclidean')
        m = costs[(h, w)]
        base = os.path.join(folder, '%s_%d_' % (kind, index))
        a = np.fromfile(base + 'a.f64', dtype='<f8')
        b = np.fromfile(base + 'b.f64', dtype='<f8')
        pa = (a + EPS) / (a + EPS).sum()
        pb = (b + EPS) / (b + EPS).sum()
        if not warmed:
            ot.emd2(pa, pb, m, numItermax=10_000_000)
            warmed = True
        t0 = time.perf_counter()
        value, log = ot.emd2(pa, pb, m, numItermax=10_000_000, log=True)
        dt = time.perf_counter() - t0
        if log['result_code'] != 1:
            raise SystemExit('POT did not reach the optimum on %s %d: %s'
                             % (kind, index, log['warning']))
        print('%s %d %r %.6f' % (kind, index, float(value), dt), flush=True)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])

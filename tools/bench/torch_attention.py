#!/usr/bin/python3
"""PyTorch side of org.engagement4j.examples.bench.AttentionBenchmark.

    /usr/bin/python3 tools/bench/torch_attention.py [--threads 2] [--frames 15] [--size 160]
        [--reps 3] [--serve]

Builds torchvision's mc3_18 with fc replaced by Linear(512, 2) (the paper's classifier), with
torchvision's random initialisation under torch.manual_seed(0), in eval mode, every nn.ReLU made
non-in-place (guided backpropagation hooks them); sets torch.set_num_threads(THREADS) and one
inter-op thread; input N(0, 1) [1, 3, FRAMES, SIZE, SIZE].

"maps" computes the paper's four maps for both targets (class 0 and class 1) the way an efficient
autograd user would, sharing forward passes between targets: 2 forwards + 4 backwards.
  1. plain forward with a forward hook on layer4[-1].conv2 that keeps its output (before the
     in-place residual add: the hook returns a clone for the block to add into); for each target
     one torch.autograd.grad of the target's raw logit w.r.t. the input and that output
     (retain_graph for the first): gradient saliency max_c |dL/dx| and Grad-CAM
     relu(sum_c mean_hw(dL/dA) A);
  2. guided forward (every ReLU with a full backward hook returning relu(grad_input)); for each
     target one autograd.grad w.r.t. the input: guided backpropagation max_c |.|, and guided
     Grad-CAM: F.interpolate(cam, trilinear, align_corners=False) * guided gradient, max_c |.|.
"forward" times one forward pass under torch.inference_mode(), the cost unit.

Without --serve: one untimed warm-up of each, then REPS timed calls of each (time.perf_counter
around the call only); prints {"what": "maps"|"forward", "ms": [...]} lines, then
{"torch": version, "threads": THREADS, "mkldnn": bool}.

With --serve: prints the info line once ready, then answers commands read from standard input,
one a line, so that a caller can interleave torch's calls with its own: "maps" or "forward"
prints {"what": ..., "ms": t}; "quit" ends.
"""
import argparse
import json
import os
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--frames", type=int, default=15)
    p.add_argument("--size", type=int, default=160)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--serve", action="store_true")
    a = p.parse_args()
    # Before torch is imported, so OpenMP starts with this many threads too.
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import torchvision

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    model = torchvision.models.video.mc3_18()
    model.fc = nn.Linear(512, 2)
    for m in model.modules():
        if isinstance(m, nn.ReLU):
            m.inplace = False
    model.eval()
    relus = [m for m in model.modules() if isinstance(m, nn.ReLU)]
    x = torch.randn(1, 3, a.frames, a.size, a.size)

    def maps():
        seen = {}

        def keep(module, inputs, output):
            seen["a"] = output
            return output.clone()

        h = model.layer4[-1].conv2.register_forward_hook(keep)
        xx = x.clone().requires_grad_(True)
        out = model(xx)
        h.remove()
        result = {}
        cams = []
        for cls in (0, 1):
            gx, ga = torch.autograd.grad(out[0, cls], [xx, seen["a"]], retain_graph=(cls == 0))
            result[("saliency", cls)] = gx[0].abs().amax(dim=0)
            cam = F.relu((seen["a"].detach() * ga.mean(dim=(-2, -1))[..., None, None]).sum(dim=1))
            result[("gradcam", cls)] = cam[0]
            cams.append(cam)
        handles = [r.register_full_backward_hook(lambda mod, gi, go: (torch.relu(gi[0]),)) for r in relus]
        xx = x.clone().requires_grad_(True)
        out = model(xx)
        for cls in (0, 1):
            (gg,) = torch.autograd.grad(out[0, cls], [xx], retain_graph=(cls == 0))
            result[("guided", cls)] = gg[0].abs().amax(dim=0)
            up = F.interpolate(cams[cls][:, None], size=tuple(x.shape[2:]), mode="trilinear",
                               align_corners=False)[0, 0]
            result[("guided-gradcam", cls)] = (up * gg[0]).abs().amax(dim=0)
        for hd in handles:
            hd.remove()
        return result

    def forward():
        with torch.inference_mode():
            model(x)

    calls = {"maps": maps, "forward": forward}
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "mkldnn": torch.backends.mkldnn.is_available()}
    if a.serve:
        print(json.dumps(info), flush=True)
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            t0 = time.perf_counter()
            calls[words[0]]()
            ms = (time.perf_counter() - t0) * 1000.0
            print(json.dumps({"what": words[0], "ms": ms}), flush=True)
        return 0
    for what, f in calls.items():
        f()
        times = []
        for _ in range(a.reps):
            t0 = time.perf_counter()
            f()
            times.append((time.perf_counter() - t0) * 1000.0)
        print(json.dumps({"what": what, "ms": times}), flush=True)
    print(json.dumps(info), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

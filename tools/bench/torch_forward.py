#!/usr/bin/python3
"""PyTorch side of org.engagement4j.examples.bench.ClassifierBenchmark.

    /usr/bin/python3 tools/bench/torch_forward.py [--threads 2] [--batches 1,8] [--frames 15]
        [--size 160] [--reps 1:5,8:3] [--export model.onnx] [--opset 17]

Builds torchvision's mc3_18 with fc replaced by Linear(512, 2) (the paper's classifier), with
torchvision's own random initialisation under torch.manual_seed(0), in eval mode; sets
torch.set_num_threads(THREADS) and one inter-op thread; and times the forward pass under
torch.inference_mode() on a N(0, 1) input [N, 3, FRAMES, SIZE, SIZE] for each batch size N: one
untimed warm-up call, then REPS timed calls (time.perf_counter around the call only).

With --export, first writes the same model with torch.onnx.export (eval mode, so BatchNorm is
folded into the convolutions; dynamic batch and time axes; input "input", output "logits"), so the
Java side can time ONNX Runtime on torch's own graph.

Prints one JSON object a line: {"batch": N, "ms": [t1, t2, ...]}, then
{"torch": version, "threads": THREADS, "mkldnn": bool}.

With --serve, prints {"torch": ..., "threads": ..., "mkldnn": ...} once ready and then answers
commands read from standard input, one a line, so that a caller can interleave torch's calls with
its own (a fair comparison on a machine whose load changes): "time N" runs one forward pass on a
batch of N (inputs made once per N and reused) and prints {"batch": N, "ms": t}; "quit" ends.
"""
import argparse
import json
import os
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batches", default="1,8")
    p.add_argument("--frames", type=int, default=15)
    p.add_argument("--size", type=int, default=160)
    p.add_argument("--reps", default="1:5,8:3")
    p.add_argument("--export")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--serve", action="store_true")
    a = p.parse_args()
    # Before torch is imported, so OpenMP starts with this many threads too.
    os.environ["OMP_NUM_THREADS"] = str(a.threads)
    import torch
    import torchvision

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    model = torchvision.models.video.mc3_18()
    model.fc = torch.nn.Linear(512, 2)
    model.eval()
    if a.export:
        x = torch.randn(1, 3, a.frames, a.size, a.size)
        torch.onnx.export(model, x, a.export, opset_version=a.opset, do_constant_folding=True,
                          input_names=["input"], output_names=["logits"],
                          dynamic_axes={"input": {0: "batch", 2: "time"},
                                        "logits": {0: "batch"}})
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "mkldnn": torch.backends.mkldnn.is_available()}
    if a.serve:
        print(json.dumps(info), flush=True)
        inputs = {}
        with torch.inference_mode():
            for line in sys.stdin:
                words = line.split()
                if not words or words[0] == "quit":
                    break
                b = int(words[1])
                if b not in inputs:
                    inputs[b] = torch.randn(b, 3, a.frames, a.size, a.size)
                t0 = time.perf_counter()
                model(inputs[b])
                ms = (time.perf_counter() - t0) * 1000.0
                print(json.dumps({"batch": b, "ms": ms}), flush=True)
        return 0
    reps = {}
    for item in a.reps.split(","):
        b, r = item.split(":")
        reps[int(b)] = int(r)
    for b in [int(v) for v in a.batches.split(",")]:
        x = torch.randn(b, 3, a.frames, a.size, a.size)
        times = []
        with torch.inference_mode():
            model(x)
            for _ in range(reps.get(b, 3)):
                t0 = time.perf_counter()
                model(x)
                times.append((time.perf_counter() - t0) * 1000.0)
        print(json.dumps({"batch": b, "ms": times}), flush=True)
    print(json.dumps(info), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""IdentityLab's Python peer for `identitylab-cli bench --compare`.

A plain PyTorch training loop, written the way a researcher would write it for the
single-image identity task of "Identity Crisis" (Zhang et al., ICLR 2020): nn.Sequential,
PyTorch's default init with biases, mean squared error between the output and the input,
torch.optim.SGD (lr 0.01, momentum 0.9) with a StepLR schedule, and loss.item() read every
step. `identitylab-cli bench` trains the same five configurations with the same definitions
and runs this script interleaved with its own steps to print the ratio of the two speeds.

Output: one JSON line per configuration on stdout. `bench --compare` reads the lines whose
"config" is the configuration it asked for and takes their "steps_per_s"; the other fields
are for people.

  /usr/bin/python3 resources/bench/py_peer.py --threads 2 --configs cnn5,fcn3
  /usr/bin/python3 resources/bench/py_peer.py --peak onednn_conv      # GFLOP/s, 1 and 2 threads

Use the Python that has Debian's python3-torch (the same LibTorch version as libtorch-dev),
so that both sides run the same convolution and BLAS code.
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# name: (family, weight layers, hidden width or channels, warm-up steps, timed steps).
# These must match the table in app/cli/bench_command.cpp.
WORKLOADS = {
    "cnn5": ("cnn", 5, 128, 3, 30),
    "cnn20": ("cnn", 20, 128, 2, 6),
    "fcn3": ("fcn", 3, 784, 20, 300),
    "fcn20": ("fcn", 20, 784, 5, 60),
    "resfcn10": ("resfcn", 10, 784, 10, 120),
}

IMAGE_SIDE = 28
PIXELS = IMAGE_SIDE * IMAGE_SIDE


def fcn(layers, width):
    """Linear layers 784 -> width -> ... -> 784 with ReLU between them."""
    sizes = [PIXELS] + [width] * (layers - 1) + [PIXELS]
    modules = []
    for i in range(layers):
        if i > 0:
            modules.append(nn.ReLU())
        modules.append(nn.Linear(sizes[i], sizes[i + 1]))
    return nn.Sequential(*modules)


def cnn(layers, channels, kernel=5):
    """5x5 convolutions 1 -> channels -> ... -> 1, stride 1, zero 'same' padding, ReLU between."""
    sizes = [1] + [channels] * (layers - 1) + [1]
    modules = []
    for i in range(layers):
        if i > 0:
            modules.append(nn.ReLU())
        modules.append(nn.Conv2d(sizes[i], sizes[i + 1], kernel, padding=kernel // 2))
    return nn.Sequential(*modules)


class SkipBlock(nn.Module):
    """Two linear layers with an identity skip: x + B(relu(A(x)))."""

    def __init__(self, width):
        super().__init__()
        self.a = nn.Linear(width, width)
        self.b = nn.Linear(width, width)

    def forward(self, x):
        return x + self.b(F.relu(self.a(x)))


def resfcn(layers, width):
    """layers / 2 skip blocks, with a ReLU after every block but the last (post-activation)."""
    if layers % 2 != 0 or width != PIXELS:
        raise ValueError("resfcn needs an even number of layers and width 784")
    modules = []
    for i in range(layers // 2):
        if i > 0:
            modules.append(nn.ReLU())
        modules.append(SkipBlock(width))
    return nn.Sequential(*modules)


def training_image():
    """A '7'-like stroke in [0, 1]: the speed of a step does not depend on the pixels,
    and the script needs no data files."""
    img = torch.zeros(IMAGE_SIDE, IMAGE_SIDE)
    img[5:8, 6:22] = 1.0
    for row in range(8, 24):
        col = 21 - (row - 8) * 10 // 16
        img[row, max(col - 1, 0):col + 2] = 1.0
    return img


def nominal_flops(family, layers, width):
    """Multiply-adds of the forward pass x 2, times 3 for forward plus backward."""
    if family == "cnn":
        sizes = [1] + [width] * (layers - 1) + [1]
        macs = sum(PIXELS * 25 * sizes[i] * sizes[i + 1] for i in range(layers))
    else:
        sizes = [PIXELS] + [width] * (layers - 1) + [PIXELS]
        macs = sum(sizes[i] * sizes[i + 1] for i in range(layers))
    return 6 * macs


def loaded_blas():
    """The BLAS library this process mapped, or '?'."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                if "libopenblas" in line or "libblas.so" in line:
                    return line.split()[-1]
    except OSError:
        pass
    return "?"


def measure(name, threads, steps=None, warmup=None):
    family, layers, width, default_warmup, default_steps = WORKLOADS[name]
    warmup = default_warmup if warmup is None else warmup
    steps = default_steps if steps is None else steps
    torch.manual_seed(0)
    image = training_image()
    if family == "cnn":
        model, x = cnn(layers, width), image.view(1, 1, IMAGE_SIDE, IMAGE_SIDE)
    elif family == "fcn":
        model, x = fcn(layers, width), image.view(1, PIXELS)
    else:
        model, x = resfcn(layers, width), image.view(1, PIXELS)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    schedule = torch.optim.lr_scheduler.StepLR(optimiser, step_size=1000, gamma=0.1)
    last_loss = float("nan")

    def one_step():
        nonlocal last_loss
        optimiser.zero_grad()
        loss = F.mse_loss(model(x), x)
        loss.backward()
        optimiser.step()
        schedule.step()
        last_loss = loss.item()

    for _ in range(warmup):
        one_step()
    start = time.perf_counter()
    for _ in range(steps):
        one_step()
    seconds = time.perf_counter() - start
    flops = nominal_flops(family, layers, width)
    rate = steps / seconds if seconds > 0 else 0.0
    return {
        "lang": "py", "threads": threads, "config": name, "steps": steps,
        "sec": round(seconds, 6), "steps_per_s": round(rate, 3),
        "gflops_per_step": round(flops / 1e9, 6), "gflop_s": round(flops * rate / 1e9, 3),
        "final_loss": last_loss,
    }


def time_call(fn):
    """Seconds per call, after one warm-up call; repeats fast calls for about 0.6 s."""
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    if seconds < 1.0:
        repeats = max(2, min(20, int(0.6 / max(seconds, 1e-9))))
        start = time.perf_counter()
        for _ in range(repeats):
            fn()
        seconds = (time.perf_counter() - start) / repeats
    return seconds


def peaks(kinds, n=2048):
    """Throughput of large float32 kernels at 1 and 2 threads:
    torch.mm    - a 2048x2048 matrix product through the BLAS the process loaded;
    onednn      - the same product as a oneDNN inner product;
    onednn_conv - a 5x5 128->128 convolution over 16 images of 28x28, forward only."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    a_mkldnn, zero_bias = a.to_mkldnn(), torch.zeros(n)
    conv = nn.Conv2d(128, 128, 5, padding=2)
    batch = torch.randn(16, 128, 28, 28)
    results = []
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for kind in kinds:
            if kind == "torch.mm":
                flops, fn = 2 * n ** 3, (lambda: torch.mm(a, b))
            elif kind == "onednn":
                flops, fn = 2 * n ** 3, (lambda: torch._C._nn.mkldnn_linear(a_mkldnn, b, zero_bias))
            elif kind == "onednn_conv":
                def fn():
                    with torch.no_grad():
                        conv(batch)
                flops = 2 * 16 * PIXELS * 128 * 128 * 25
            else:
                raise SystemExit("unknown --peak kind: %s (torch.mm, onednn, onednn_conv)" % kind)
            seconds = time_call(fn)
            results.append({"peak": kind, "threads": threads, "n": n, "blas": loaded_blas(),
                            "gflop_s": round(flops / seconds / 1e9, 2)})
    return results


def main():
    parser = argparse.ArgumentParser(description="Plain PyTorch peer of identitylab-cli bench.")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--configs", default=",".join(WORKLOADS), help="comma list of " + ", ".join(WORKLOADS))
    parser.add_argument("--steps", type=int, default=None, help="timed steps (default: the table's)")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up steps (default: the table's)")
    parser.add_argument("--tag", default="", help="a label copied into every output line")
    parser.add_argument("--peak", default="", help="comma list of torch.mm, onednn, onednn_conv")
    args = parser.parse_args()

    if args.peak:
        for line in peaks(args.peak.split(",")):
            line.update(lang="py", tag=args.tag)
            print(json.dumps(line), flush=True)
        return

    torch.set_num_threads(args.threads)
    for name in args.configs.split(","):
        if name not in WORKLOADS:
            raise SystemExit("unknown configuration: %s (%s)" % (name, ", ".join(WORKLOADS)))
        line = measure(name, args.threads, args.steps, args.warmup)
        line.update(tag=args.tag, blas=os.path.basename(os.path.dirname(loaded_blas())) or "?",
                    torch_threads=torch.get_num_threads())
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()

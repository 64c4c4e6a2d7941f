#!/usr/bin/env python3
"""Figure 3 of "Identity Crisis" from a sweep folder: the probes, and each network's outputs
for them, one row per network (by depth).

    identitylab-cli reproduce cnn-depth --out runs/cnn-depth
    python3 python/examples/figure3.py runs/cnn-depth --out figure3.png

Reads the run folders with the identitylab module (numpy only; set PYTHONPATH to the
repository's python/ folder or install it) and draws with matplotlib's Agg backend, so it runs
without a display.
"""

import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend is chosen first)
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import identitylab  # noqa: E402


def as_picture(image):
    """[C, H, W] in [0, 1] as what imshow takes: [H, W] grey or [H, W, 3] colour."""
    image = np.clip(image, 0.0, 1.0)
    return image[0] if image.shape[0] == 1 else np.transpose(image, (1, 2, 0))


def draw_figure3(runs, path, cell=0.9):
    runs = [run for run in runs if run["probes"] is not None]
    if not runs:
        raise SystemExit("no run in the sweep has probes_inputs.npy and probes_outputs.npy")
    probes = runs[0]["probes"]
    columns = len(probes["names"])
    rows = len(runs) + 1  # the inputs, then one row per network
    figure, axes = plt.subplots(rows, columns, figsize=(cell * columns + 1.2, cell * rows + 0.6), squeeze=False)
    for column in range(columns):
        axes[0][column].set_title(probes["names"][column], fontsize=6)
    grids = [("input", probes["inputs"])] + [(run["label"], run["probes"]["outputs"]) for run in runs]
    for row, (label, images) in enumerate(grids):
        for column in range(columns):
            axis = axes[row][column]
            if column < len(images):
                axis.imshow(as_picture(images[column]), cmap="gray", vmin=0.0, vmax=1.0, interpolation="nearest")
            axis.set_xticks([])
            axis.set_yticks([])
        axes[row][0].set_ylabel(label, fontsize=7, rotation=0, ha="right", va="center")
    figure.tight_layout()
    figure.savefig(path, dpi=150)
    plt.close(figure)


def main():
    parser = argparse.ArgumentParser(description="Draws Figure 3 (probe outputs by depth) from a reproduce folder.")
    parser.add_argument("sweep", help="folder written by identitylab-cli reproduce (e.g. cnn-depth)")
    parser.add_argument("--out", default="figure3.png", help="PNG to write (default: figure3.png)")
    arguments = parser.parse_args()
    draw_figure3(identitylab.load_sweep(arguments.sweep), arguments.out)
    print(f"wrote {arguments.out}")


if __name__ == "__main__":
    main()

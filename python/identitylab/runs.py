"""Reading run folders and sweeps (numpy only)."""

import csv
import json
import os

import numpy as np


def read_npy(path):
    """A ``.npy`` file as a numpy array (numpy's own reader: the files are standard .npy 1.0)."""
    return np.load(path, allow_pickle=False)


def _read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _read_loss(path):
    columns = {"step": [], "loss": [], "lr": []}
    if os.path.exists(path):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                for key in columns:
                    columns[key].append(float(row[key]))
    return {
        "step": np.asarray(columns["step"], dtype=np.int64),
        "loss": np.asarray(columns["loss"], dtype=np.float64),
        "lr": np.asarray(columns["lr"], dtype=np.float64),
    }


def _read_probes(folder):
    manifest_path = os.path.join(folder, "probes.json")
    if not os.path.exists(manifest_path):
        return None
    manifest = _read_json(manifest_path)
    probes = manifest["probes"]
    return {
        "names": [p["name"] for p in probes],
        "groups": [p["group"] for p in probes],
        "corr_identity": np.asarray([p["corr_identity"] for p in probes], dtype=np.float64),
        "corr_constant": np.asarray([p["corr_constant"] for p in probes], dtype=np.float64),
        "mse": np.asarray([p.get("mse", np.nan) for p in probes], dtype=np.float64),
        "inputs": read_npy(os.path.join(folder, manifest["inputs"])),
        "outputs": read_npy(os.path.join(folder, manifest["outputs"])),
    }


def _read_activations(folder):
    manifest_path = os.path.join(folder, "activations.json")
    if not os.path.exists(manifest_path):
        return None
    manifest = _read_json(manifest_path)
    layers = manifest["layers"]
    return {
        "layers": [layer["name"] for layer in layers],
        "channels": [layer.get("channels") for layer in layers],
        "probes": manifest["probes"],
        "reduction": manifest["reduction"],
        "maps": [read_npy(os.path.join(folder, layer["file"])) for layer in layers],
    }


def load_run(folder):
    """One run folder as a plain dict.

    Keys: ``folder``, ``config`` (config.json), ``provenance`` (how the run was made),
    ``metrics`` (metrics.json), ``trajectory`` (metrics.jsonl, a list of dicts), ``loss``
    (loss.csv as arrays ``step``, ``loss``, ``lr``), ``probes`` (names, groups, correlations and
    the ``inputs``/``outputs`` arrays [N, C, H, W]; None if absent), ``activations`` (layer
    names and one [probes, 1, H, W] array per layer; None if absent) and ``checkpoint`` (the path
    of checkpoint.pt, or None).
    """
    config = _read_json(os.path.join(folder, "config.json"))
    metrics_path = os.path.join(folder, "metrics.json")
    checkpoint = os.path.join(folder, "checkpoint.pt")
    return {
        "folder": folder,
        "config": config,
        "provenance": config.get("provenance"),
        "metrics": _read_json(metrics_path) if os.path.exists(metrics_path) else None,
        "trajectory": _read_jsonl(os.path.join(folder, "metrics.jsonl")),
        "loss": _read_loss(os.path.join(folder, "loss.csv")),
        "probes": _read_probes(folder),
        "activations": _read_activations(folder),
        "checkpoint": checkpoint if os.path.exists(checkpoint) else None,
    }


def load_sweep(folder):
    """The runs of a folder of run folders, as ``identitylab-cli reproduce`` writes it.

    In the order of its summary.json (the preset's order, as the figure's rows), each run with
    its ``label``; without a summary.json, every sub-folder holding a config.json, by name.
    """
    summary_path = os.path.join(folder, "summary.json")
    entries = []
    if os.path.exists(summary_path):
        for entry in _read_json(summary_path).get("runs", []):
            entries.append((entry.get("label", entry["folder"]), os.path.join(folder, entry["folder"])))
    else:
        for name in sorted(os.listdir(folder)):
            if os.path.exists(os.path.join(folder, name, "config.json")):
                entries.append((name, os.path.join(folder, name)))
    runs = []
    for label, path in entries:
        run = load_run(path)
        run["label"] = label
        runs.append(run)
    return runs

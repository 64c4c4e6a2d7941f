#!/usr/bin/env python3
"""Writes the seed corpus of the IDX, CIFAR-10 and config fuzzers into tests/fuzz/corpus/.

Seeds are small valid files plus the classic near misses (wrong magic, truncated, a .gz that
is not gzip, a gzip of the wrong thing), so the fuzzer starts next to every check the readers
make. Deterministic: running it again rewrites the same bytes. The saved-run seeds come from
the real writer instead: make_run_file_seeds (built with -DIDENTITYLAB_FUZZ=ON).

    python3 tests/fuzz/make_seeds.py
"""
import gzip
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def gz(data):
    # mtime=0: reproducible bytes.
    return gzip.compress(data, compresslevel=9, mtime=0)


def write(folder, name, data):
    path = os.path.join(HERE, "corpus", folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def idx_images(count, rows, cols):
    header = struct.pack(">IIII", 0x00000803, count, rows, cols)
    return header + bytes((i * 37) % 256 for i in range(count * rows * cols))


def idx_labels(labels):
    return struct.pack(">II", 0x00000801, len(labels)) + bytes(labels)


def idx_seeds():
    d = "fuzz_idx_reader"
    images = idx_images(2, 4, 3)
    labels = idx_labels([7, 2, 9])
    write(d, "images-2x4x3", images)
    write(d, "images-2x4x3.gz", gz(images))
    write(d, "labels-3", labels)
    write(d, "labels-3.gz", gz(labels))
    write(d, "images-two-gzip-members", gz(images[:10]) + gz(images[10:]))
    write(d, "images-gzip-zero-padding", gz(images) + b"\0" * 8)
    write(d, "truncated-payload", images[:-5])
    write(d, "truncated-header", images[:9])
    write(d, "extra-bytes", images + b"\x01\x02")
    write(d, "wrong-magic-labels-as-images", struct.pack(">IIII", 0x00000801, 1, 1, 1) + b"\0")
    write(d, "double-gzip", gz(gz(images)))
    write(d, "gzip-truncated", gz(images)[:-9])
    write(d, "gzip-corrupt", gz(images)[:12] + b"\xff" * 8 + gz(images)[20:])
    write(d, "not-gzip-named-gz", b"this is plain text, not gzip\n")
    write(d, "huge-count", struct.pack(">IIII", 0x00000803, 0xFFFFFFFF, 4096, 4096))
    write(d, "zero-side", struct.pack(">IIII", 0x00000803, 1, 0, 28))
    write(d, "empty", b"")


def cifar_record(label):
    return bytes([label]) + bytes((label * 11 + i) % 256 for i in range(3072))


def cifar_seeds():
    d = "fuzz_cifar_reader"
    two = cifar_record(3) + cifar_record(9)
    # Bigger inputs than the fuzzer's default length limit are fine for seeds: libFuzzer raises
    # -max_len to the largest seed.
    write(d, "batch-2", two)
    write(d, "batch-2.gz", gz(two))
    write(d, "batch-1-label-10", cifar_record(10))
    write(d, "batch-stray-bytes", two + b"\x00\x01\x02")
    write(d, "batch-truncated", two[:-100])
    write(d, "gzip-truncated", gz(two)[:-9])
    write(d, "empty", b"")
    write(d, "python-pickle-not-binary", b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00}\x94.")


def config_seeds():
    d = "fuzz_config"
    presets = os.path.join(ROOT, "resources", "presets")
    # Every run config of the shipped presets (the "runs" entries), one file each.
    for name in sorted(os.listdir(presets)):
        with open(os.path.join(presets, name), encoding="utf-8") as f:
            preset = json.load(f)
        for i, run in enumerate(preset.get("runs", [])[:2]):
            config = dict(preset.get("base", {}))
            config.update(run.get("set", {}))
            write(d, "preset-%s-%d.json" % (name[:-5], i), json.dumps(config, indent=2) + "\n")
    write(d, "empty-object.json", "{}")
    write(d, "resolved-defaults.json", json.dumps({
        "format": "identitylab-config/1", "architecture": "cnn", "depth": 5, "width": 784, "channels": 128,
        "kernel_size": 5, "activation": "relu", "bias": True, "residual_form": "talk", "init": "xavier_uniform",
        "init_scale": 1, "optimizer": "sgd", "lr": 0.01, "momentum": 0.9, "nesterov": False, "beta1": 0.9,
        "beta2": 0.999, "weight_decay": 0, "schedule": "step", "steps": 1200, "dataset": "mnist",
        "train_examples": 1, "train_class": 7, "batch_size": 0, "image_size": 28, "seed": 4, "data_seed": 7,
        "correlation": "pearson", "rho_points": 11, "rho_samples": 8, "snapshot_every": 0, "device": "auto"},
        indent=2))
    write(d, "train-indices.json", '{"architecture": "fcn", "train_examples": [3, 1, 4], "batch_size": 2}')
    write(d, "override-depth.txt", 'depth=20\n{"architecture": "cnn"}')
    write(d, "override-word.txt", 'init=kaiming_normal\n{}')
    write(d, "depth-0.json", '{"depth": 0}')
    write(d, "lr-negative.json", '{"lr": -1}')
    write(d, "kernel-even.json", '{"kernel_size": 4}')
    write(d, "kernel-larger-than-image.json", '{"kernel_size": 9, "image_size": 7}')
    write(d, "image-size-1.json", '{"image_size": 1}')
    write(d, "steps-0.json", '{"steps": 0}')
    write(d, "unknown-key.json", '{"dept": 3}')
    write(d, "unknown-value.json", '{"init": "magic"}')
    write(d, "trailing-comma.json", '{"depth": 3,}')
    write(d, "not-an-object.json", '[1, 2]')
    write(d, "escapes.json", '{"device": "\\u0063pu", "x\\ud83d\\ude00": null}')
    write(d, "numbers.json", '[0, -0, 1e308, -1.5e-300, 123456789012345678901234567890, 0.1]')
    write(d, "deep.json", "[" * 300 + "]" * 300)
    write(d, "bom.json", "\ufeff{\"depth\": 2}")
    write(d, "resnet.json", '{"architecture": "resnet_cnn", "depth": 6, "channels": 1, "dataset": "mnist"}')


if __name__ == "__main__":
    idx_seeds()
    cifar_seeds()
    config_seeds()

#!/usr/bin/env python3
"""The Python side of IdentityLab's runs (python/identitylab, docs/python.md), end to end:
identitylab-cli trains tiny networks, the module loads their folders, rebuilds each network
from config.json + checkpoint.pt and feeds it the saved probe inputs, whose outputs must equal
probes_outputs.npy to 1e-5; and python/examples/figure3.py draws a PNG from a folder laid out
as `identitylab-cli reproduce` writes one.

Run by CTest with IDENTITYLAB_CLI set to the built CLI and PYTHONPATH to python/. Exits 77
(CTest's "skipped") when numpy or torch is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

try:
    import numpy as np
    import torch
except ImportError as missing:
    print(f"SKIP: {missing.name} is not installed for {sys.executable} (Debian: python3-numpy, python3-torch)")
    sys.exit(77)

try:
    import matplotlib  # noqa: F401  (only the example needs it)
    MATPLOTLIB = True
except ImportError:
    MATPLOTLIB = False

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPOSITORY, "python"))
import identitylab  # noqa: E402

CLI = os.environ.get("IDENTITYLAB_CLI", os.path.join(REPOSITORY, "build", "app", "identitylab-cli"))
TOLERANCE = 1e-5

# Small networks of each kind the module rebuilds: plain CNN and FCN, and both residual forms.
RUNS = {
    "cnn-3": ["architecture=cnn", "depth=3", "channels=16"],
    "fcn-2": ["architecture=fcn", "depth=2"],
    "resnet-cnn-4": ["architecture=resnet_cnn", "depth=4", "channels=8", "residual_form=post_activation"],
    "resnet-fcn-2": ["architecture=resnet_fcn", "depth=2", "activation=tanh"],
}


def train(folder, settings):
    arguments = [CLI, "train", "--out", folder, "--threads", "1", "--quiet", "--format", "png"]
    for setting in settings + ["steps=20", "rho_samples=2"]:
        arguments += ["--set", setting]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(arguments)} failed ({result.returncode}):\n{result.stderr}")


class RunFolders(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="identitylab-python-")
        cls.folders = {}
        for name, settings in RUNS.items():
            cls.folders[name] = os.path.join(cls.scratch, name)
            train(cls.folders[name], settings)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def test_npy_files_are_version_1_little_endian_float32(self):
        for name in ("probes_inputs.npy", "probes_outputs.npy", "activations_00.npy"):
            with open(os.path.join(self.folders["cnn-3"], name), "rb") as f:
                self.assertEqual(np.lib.format.read_magic(f), (1, 0))
                shape, fortran_order, dtype = np.lib.format.read_array_header_1_0(f)
                self.assertEqual(f.tell() % 64, 0, "the data starts on a 64-byte boundary")
            self.assertFalse(fortran_order)
            self.assertEqual(dtype, np.dtype("<f4"))
            self.assertEqual(len(shape), 4)

    def test_load_run_gives_config_metrics_probes_activations_and_loss(self):
        run = identitylab.load_run(self.folders["cnn-3"])
        self.assertEqual(run["config"]["depth"], 3)
        self.assertEqual(run["metrics"]["steps_done"], 20)
        probes = run["probes"]
        count = len(probes["names"])
        self.assertGreaterEqual(count, 12)
        self.assertEqual(probes["inputs"].shape, (count, 1, 28, 28))
        self.assertEqual(probes["outputs"].shape, probes["inputs"].shape)
        self.assertEqual(len(probes["groups"]), count)
        self.assertTrue(np.all(np.abs(probes["corr_identity"]) <= 1.0 + 1e-9))
        activations = run["activations"]
        self.assertEqual(activations["layers"][0], "input")
        self.assertEqual(len(activations["maps"]), len(activations["layers"]))
        self.assertEqual(activations["maps"][0].shape[0], len(activations["probes"]))
        self.assertEqual(list(run["loss"]["step"]), list(range(1, 21)))
        self.assertIsInstance(run["trajectory"], list)
        for point in run["trajectory"]:
            self.assertIn("step", point)
            self.assertIn("groups", point)
        provenance = run["provenance"]
        self.assertEqual(provenance["threads"], 1)
        self.assertTrue(all(len(f["sha256"]) == 64 for f in provenance["data_files"]))
        self.assertIsNotNone(run["checkpoint"])

    def test_rebuilt_networks_reproduce_the_apps_outputs(self):
        for name, folder in self.folders.items():
            with self.subTest(run=name):
                run = identitylab.load_run(folder)
                model = identitylab.load_model(folder)
                with torch.no_grad():
                    outputs = model(torch.from_numpy(run["probes"]["inputs"])).numpy()
                difference = float(np.max(np.abs(outputs - run["probes"]["outputs"])))
                print(f"{name}: max |python - app| = {difference:.3g}")
                self.assertLessEqual(difference, TOLERANCE)

    def test_build_model_names_its_layers_as_the_checkpoint(self):
        run = identitylab.load_run(self.folders["resnet-cnn-4"])
        expected = set(identitylab.build_model(run["config"]).state_dict())
        self.assertEqual(set(identitylab.load_weights(run["checkpoint"])), expected)

    @unittest.skipUnless(MATPLOTLIB, "matplotlib is not installed (Debian: python3-matplotlib)")
    def test_figure3_example_draws_a_png_from_a_reproduce_folder(self):
        sweep = os.path.join(self.scratch, "sweep")
        os.makedirs(sweep)
        entries = []
        for name in ("fcn-2", "cnn-3"):
            shutil.copytree(self.folders[name], os.path.join(sweep, name))
            entries.append({"label": name.upper(), "folder": name})
        with open(os.path.join(sweep, "summary.json"), "w", encoding="utf-8") as f:
            json.dump({"preset": "cnn-depth", "runs": entries}, f)
        runs = identitylab.load_sweep(sweep)
        self.assertEqual([r["label"] for r in runs], ["FCN-2", "CNN-3"])

        png = os.path.join(self.scratch, "figure3.png")
        script = os.path.join(REPOSITORY, "python", "examples", "figure3.py")
        result = subprocess.run([sys.executable, script, sweep, "--out", png], capture_output=True, text=True, timeout=300)
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""IdentityLab's runs in Python.

A run folder (written by ``identitylab-cli train``, ``reproduce``, ``export`` or the app's
"Export run as folder") holds plain files: JSON, JSON lines, CSV and ``.npy`` arrays. This
package reads them into dicts and numpy arrays, and rebuilds the trained network in PyTorch:

    >>> import identitylab
    >>> run = identitylab.load_run("runs/cnn5")
    >>> run["probes"]["outputs"].shape          # (probes, channels, height, width)
    >>> model = identitylab.load_model("runs/cnn5")   # needs torch
    >>> model(torch.from_numpy(run["probes"]["inputs"]))

Reading needs numpy only; ``build_model`` and ``load_model`` also need torch. See docs/python.md.
"""

from .runs import load_run, load_sweep, read_npy

__all__ = ["load_run", "load_sweep", "read_npy", "build_model", "load_model", "load_weights"]


def build_model(config):
    """The network of ``config`` (a config dict, as in config.json) with fresh weights."""
    from .model import build_model as build
    return build(config)


def load_model(folder):
    """The trained network of a run folder: config.json's architecture, checkpoint.pt's weights."""
    from .model import load_model as load
    return load(folder)


def load_weights(checkpoint):
    """The network's weights in checkpoint.pt as a dict of tensors ("layer1.weight", ...)."""
    from .model import load_weights as load
    return load(checkpoint)

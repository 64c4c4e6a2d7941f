"""IdentityLab's networks in PyTorch, from config.json and checkpoint.pt.

The definitions follow engine/nn/network.cpp: a list of weight layers (nn.Linear for FCNs,
nn.Conv2d with stride 1 and padding kernel_size // 2 for CNNs) named layer1, layer2, ..., each
followed by the activation except the last; ResNets group the layers into two-layer residual
blocks, with plain first and last layers where the width or channel count changes. The app's
CPU convolutions use Winograd's algorithm, the same function as nn.Conv2d up to float rounding.
"""

import json
import os

import torch
from torch import nn
import torch.nn.functional as F

_ACTIVATIONS = {
    "relu": torch.relu,
    "linear": lambda x: x,
    "tanh": torch.tanh,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.01),
}

# The engine's defaults (engine/config/experiment_config.h); config.json always holds every
# key, so these only serve hand-written dicts.
_DEFAULTS = {
    "architecture": "cnn",
    "depth": 5,
    "width": 784,
    "channels": 128,
    "kernel_size": 5,
    "activation": "relu",
    "bias": True,
    "residual_form": "talk",
    "dataset": "mnist",
    "image_size": 28,
}


def _setting(config, key):
    return config.get(key, _DEFAULTS[key])


def _image_channels(config):
    return 3 if _setting(config, "dataset") == "cifar10" else 1


def _layer_plan(config):
    """[(kind, in, out, activate_output)], as layerPlan() in engine/nn/network.cpp."""
    architecture = _setting(config, "architecture")
    convolutional = architecture in ("cnn", "resnet_cnn")
    residual = architecture in ("resnet_fcn", "resnet_cnn")
    depth = _setting(config, "depth")
    size = _setting(config, "image_size")
    io = _image_channels(config) if convolutional else _image_channels(config) * size * size
    hidden = _setting(config, "channels") if convolutional else _setting(config, "width")
    if not residual:
        return [("plain", io if i == 0 else hidden, io if i == depth - 1 else hidden, i != depth - 1) for i in range(depth)]
    plain_ends = hidden != io
    blocks = (depth - (2 if plain_ends else 0)) // 2
    plan = [("plain", io, hidden, True)] if plain_ends else []
    for b in range(blocks):
        last = not plain_ends and b == blocks - 1
        plan.append(("residual", hidden, hidden, not last))
    if plain_ends:
        plan.append(("plain", hidden, io, False))
    return plan


class IdentityLabNet(nn.Module):
    """The network of one config; forward takes and returns images [N, C, H, W]."""

    def __init__(self, config):
        super().__init__()
        architecture = _setting(config, "architecture")
        if architecture not in ("fcn", "cnn", "resnet_fcn", "resnet_cnn"):
            raise ValueError(f"unknown architecture {architecture!r}")
        self.convolutional = architecture in ("cnn", "resnet_cnn")
        self.activation_name = _setting(config, "activation")
        if self.activation_name not in _ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation_name!r}")
        self.talk_form = _setting(config, "residual_form") == "talk"
        self.plan = _layer_plan(config)
        kernel = _setting(config, "kernel_size")
        bias = _setting(config, "bias")
        self.weight_layers = []
        self.stages = []  # (plan index, outer half of a residual block, weight layer)

        def add_layer(fan_in, fan_out):
            if self.convolutional:
                layer = nn.Conv2d(fan_in, fan_out, kernel, stride=1, padding=kernel // 2, bias=bias)
            else:
                layer = nn.Linear(fan_in, fan_out, bias=bias)
            # Registered as layer1, layer2, ...: the names the checkpoint stores them under.
            self.add_module(f"layer{len(self.weight_layers) + 1}", layer)
            self.weight_layers.append(layer)
            return len(self.weight_layers) - 1

        for index, (kind, fan_in, fan_out, _) in enumerate(self.plan):
            self.stages.append((index, False, add_layer(fan_in, fan_out)))
            if kind == "residual":
                self.stages.append((index, True, add_layer(fan_out, fan_out)))

    def _activate(self, x):
        return _ACTIVATIONS[self.activation_name](x)

    def forward(self, images):
        x = images if self.convolutional else images.reshape(images.shape[0], -1)
        block_input = None
        for index, outer, weight in self.stages:
            kind, _, _, activate_output = self.plan[index]
            y = self.weight_layers[weight](x)
            if kind == "plain":
                x = self._activate(y) if activate_output else y
            elif not outer:
                block_input = x
                x = self._activate(y)
            elif self.talk_form:
                x = block_input + (self._activate(y) if activate_output else y)
            else:
                x = block_input + y
                x = self._activate(x) if activate_output else x
        return x if self.convolutional else x.reshape(images.shape)


def build_model(config):
    """The network of ``config`` (a dict as in config.json), with PyTorch's fresh weights."""
    return IdentityLabNet(config)


def load_weights(checkpoint):
    """The network's weights in checkpoint.pt: {"layer1.weight": tensor, ...}.

    LibTorch's serialize::OutputArchive writes a TorchScript archive: a module whose submodule
    "model" holds the network's parameters, "optimizer" the optimiser's state. torch.jit.load
    reads it (plain torch.load does not: it is not a pickled state dict).
    """
    archive = torch.jit.load(checkpoint, map_location="cpu")
    model = archive.model
    weights = {name: tensor.detach().clone() for name, tensor in model.named_parameters()}
    weights.update({name: tensor.detach().clone() for name, tensor in model.named_buffers()})
    return weights


def load_model(folder):
    """The trained network of a run folder, in evaluation mode, on the CPU."""
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    model = build_model(config)
    model.load_state_dict(load_weights(os.path.join(folder, "checkpoint.pt")))
    return model.eval()

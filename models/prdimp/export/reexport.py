"""Re-export a model folder with this version of the code: same weights, same descriptor fields.

A model folder written by an older contract version (the plugin then refuses it and says so) is
brought up to date without its checkpoint: the weights are read back from its TorchScript file,
put into the network as this code builds it, and exported again. The model card (README.md) is
kept; golden tensors, where the folder has them, are written again for the new methods.

    /usr/bin/python3 -m prdimp.export.reexport MODEL_DIR [--out OUT_DIR]
"""
import argparse
import copy
import json
import os
import shutil
import sys
import tempfile

import torch

from .model_folder import (NETWORK_DERIVED_SETTABLE, OPTIONAL_TRACKER, TEST_TENSORS, TRACKER_DEFAULTS, export_model,
                           load_model_folder, read_descriptor, write_golden)
from ..net.network import NetConfig, PrDiMPNet, fold_batchnorm, freeze_batchnorm


def network_of(folder: str) -> PrDiMPNet:
    """The network of a model folder, with its weights, built by this code (BatchNorm frozen, and
    folded where the folder's network has it folded, as exports since BatchNorm folding do)."""
    desc = read_descriptor(folder)
    net = freeze_batchnorm(PrDiMPNet(NetConfig.from_dict(desc["config"]["prdimp"]["network"]))).eval()
    scripted = torch.jit.load(os.path.join(folder, desc["weights"]["torchscript"]["source"]), map_location="cpu")
    # input_mean / input_std are buffers the network rebuilds from its config (not in its state)
    state = {k[len("net."):]: v for k, v in scripted.state_dict().items()
             if k.startswith("net.") and k not in ("net.input_mean", "net.input_std")}
    folded = fold_batchnorm(copy.deepcopy(net))
    if state.keys() == folded.state_dict().keys():
        net = folded
    net.load_state_dict(state, strict=True)
    return net


def golden_targets(folder: str) -> int:
    with open(os.path.join(folder, "golden", "manifest.json")) as f:
        manifest = json.load(f)
    return manifest["calls"][0]["inputs"][0]["shape"][0]


def reexport(folder: str, out_dir: str) -> str:
    desc = read_descriptor(folder)
    config = desc["config"]["prdimp"]
    net = network_of(folder)
    settable = set(TRACKER_DEFAULTS) | set(NETWORK_DERIVED_SETTABLE) | set(OPTIONAL_TRACKER)
    tracker = {k: v for k, v in config["tracker"].items() if k in settable}
    extra = {k: v for k, v in config.items() if k not in ("contract_version", "network", "tracker")}
    readme_path = os.path.join(folder, "README.md")
    readme = open(readme_path).read() if os.path.isfile(readme_path) else None
    targets = golden_targets(folder) if os.path.isfile(os.path.join(folder, "golden", "manifest.json")) else 0
    with tempfile.TemporaryDirectory(prefix="prdimp-reexport-") as tmp:
        staged = os.path.join(tmp, "model")
        export_model(net, staged, desc["name"], desc["description"], license_id=desc.get("license", "MIT"),
                     authors=[a["name"] for a in desc.get("authors", [])] or None, extra=extra or None,
                     readme=readme, tracker=tracker)
        if targets:
            module, _ = load_model_folder(staged)
            write_golden(module, net.cfg, os.path.join(staged, "golden"), targets=targets)
        os.makedirs(out_dir, exist_ok=True)
        for name in ("tracker.pt", "rdf.yaml", "README.md"):
            shutil.copyfile(os.path.join(staged, name), os.path.join(out_dir, name))
        shutil.rmtree(os.path.join(out_dir, TEST_TENSORS), ignore_errors=True)  # bioimage.io test tensors of forward
        shutil.copytree(os.path.join(staged, TEST_TENSORS), os.path.join(out_dir, TEST_TENSORS))
        if targets:
            shutil.rmtree(os.path.join(out_dir, "golden"), ignore_errors=True)
            shutil.copytree(os.path.join(staged, "golden"), os.path.join(out_dir, "golden"))
    return out_dir


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.export.reexport", description=__doc__.split("\n\n")[0])
    p.add_argument("model_dir")
    p.add_argument("--out", help="write here instead of replacing the folder's files")
    a = p.parse_args(argv)
    try:
        print(reexport(a.model_dir, a.out or a.model_dir))
    except Exception as e:  # one line for the user, not a stack trace
        print(f"cannot re-export {a.model_dir}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

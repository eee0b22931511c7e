"""Deterministic model folders for tests, regenerated from seeds.

    python3 -m prdimp.convert.testmodels OUT_ROOT [--golden]

Writes OUT_ROOT/prdimp18-random: a random checkpoint in pytracking's official PrDiMP-18 layout
(seed 18, with a pickled foreign `constructor` object), converted by prdimp.convert.official. Its golden
tensors are committed in models/testdata/prdimp18-random/golden; the model itself (80 MB) is not,
and is rebuilt by this command (the Java tests call it).
Also provides the builders the converter tests use.
"""
import argparse
import os
import pickle
import sys
import types
from typing import Dict, Tuple

import torch

from .official_layout import official_key_shapes, random_state, to_mmtracking_layout

FOREIGN_MODULE = "ltr.admin.model_constructor"


def _foreign_module():
    """A throw-away module standing for pytracking's code base while a test checkpoint is written."""
    mod = types.ModuleType(FOREIGN_MODULE)

    class NetConstructor:
        def __init__(self, fun_name, fun_module, args, kwargs):
            self.fun_name, self.fun_module, self.args, self.kwargs = fun_name, fun_module, args, kwargs

        def __setstate__(self, state):  # would run on ordinary unpickling
            marker = state.get("marker_file")
            if marker:
                with open(marker, "w") as f:
                    f.write("foreign code ran")
            self.__dict__.update(state)

    NetConstructor.__module__ = FOREIGN_MODULE
    NetConstructor.__qualname__ = "NetConstructor"
    mod.NetConstructor = NetConstructor
    return mod


def write_official_checkpoint(path: str, state: Dict[str, torch.Tensor], layout: str, marker_file: str = "",
                              legacy_format: bool = False) -> None:
    """Save `state` (our / pytracking names) as an official checkpoint of the given layout.
    The file pickles an object of a class that does not exist outside this call."""
    mod = _foreign_module()
    parts = FOREIGN_MODULE.split(".")
    names = [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for name in names[:-1]:
        sys.modules[name] = types.ModuleType(name)
    sys.modules[FOREIGN_MODULE] = mod
    try:
        ctor = mod.NetConstructor("klcedimpnet18", "ltr.models.tracking.dimpnet", (), {"optim_iter": 5})
        ctor.marker_file = marker_file
        if layout == "pytracking":
            ckpt = {"epoch": 50, "actor_type": "KLDiMPActor", "net_type": "DiMPnet", "net": state,
                    "net_info": None, "constructor": ctor, "optimizer": None, "stats": None,
                    "settings": None}
        elif layout == "mmtracking":
            ckpt = {"meta": {"epoch": 50, "mmtrack_version": "1.0.0rc1", "config": ctor},
                    "state_dict": to_mmtracking_layout(state)}
        else:
            raise ValueError(layout)
        torch.save(ckpt, path, _use_new_zipfile_serialization=not legacy_format)
    finally:
        for name in names:
            sys.modules.pop(name, None)


def random_official_state(variant: str, seed: int) -> Dict[str, torch.Tensor]:
    return random_state(official_key_shapes(variant), seed)


def build_prdimp18_random(out_root: str, golden: bool = False, work_dir: str = "") -> str:
    from .official import convert
    out = os.path.join(out_root, "prdimp18-random")
    ckpt = os.path.join(work_dir or out_root, "prdimp18-random.pth.tar")
    os.makedirs(os.path.dirname(ckpt), exist_ok=True)
    write_official_checkpoint(ckpt, random_official_state("resnet18", 18), "pytracking")
    convert(ckpt, out)
    os.remove(ckpt)
    if golden:
        from ..export.model_folder import load_model_folder, write_golden
        module, _ = load_model_folder(out)
        from ..net.network import variant_config
        write_golden(module, variant_config("resnet18"), os.path.join(out, "golden"), targets=1)
    return out


def build_compact_init(out_dir: str) -> str:
    """The compact network as initialised (seed 0), before any training: the model the demo uses
    until a trained default model ships. Written with golden tensors for 2 targets."""
    from ..export.model_folder import export_model, load_model_folder, write_golden
    from ..net.network import build_net
    torch.manual_seed(0)
    net = build_net("compact").eval()
    export_model(net, out_dir, "PrDiMP compact (untrained initialisation)",
                 "The project's compact PrDiMP network at its seeded initialisation (seed 0), not trained. "
                 "Tracking relies on the online-learned classifier only: the box regressor is untrained, so "
                 "box refinement is off (the box keeps its initial size). Use a trained model for real work.",
                 tracker={"box_refinement": False})
    module, _ = load_model_folder(out_dir)
    write_golden(module, net.cfg, os.path.join(out_dir, "golden"), targets=2)
    return out_dir


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.convert.testmodels", description=__doc__.split("\n\n")[0])
    p.add_argument("out_root")
    p.add_argument("--golden", action="store_true", help="also write golden tensors")
    p.add_argument("--compact-init", metavar="DIR", help="(re)build the untrained compact model folder in DIR")
    a = p.parse_args(argv)
    if a.compact_init:
        print(build_compact_init(a.compact_init))
    print(build_prdimp18_random(a.out_root, a.golden))
    return 0


if __name__ == "__main__":
    sys.exit(main())

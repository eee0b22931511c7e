"""Convert an official PrDiMP checkpoint into a model folder for the Java engine.

    python3 -m prdimp.convert.official CHECKPOINT OUT_DIR [--golden]

Accepts pytracking's prdimp18.pth.tar / prdimp50.pth.tar and mmtracking's PrDiMP R50 checkpoint.
Nothing pickled in the file is executed (see safe_unpickle). Every tensor must find its place:
missing, unexpected or mis-shaped keys stop the conversion with a message naming them.
"""
import argparse
import os
import sys
from typing import Dict, Tuple

import torch

from ..export.model_folder import export_model, load_model_folder, write_golden
from ..net.network import PrDiMPNet, build_net
from .checkpoint import ConversionError, as_float, check_keys, list_keys, read_checkpoint
from .official_layout import UNUSED_OFFICIAL_PREFIXES, mmtracking_to_ours


def extract_state_dict(ckpt) -> Tuple[Dict[str, torch.Tensor], str]:
    """Find the state dict and name the layout ('pytracking' or 'mmtracking')."""
    if not isinstance(ckpt, dict):
        raise ConversionError(f"the checkpoint holds a {type(ckpt).__name__}, not a dict; "
                              "expected pytracking's {'net': ...} or mmtracking's {'state_dict': ...}")
    if "net" in ckpt and isinstance(ckpt["net"], dict):
        return dict(ckpt["net"]), "pytracking"
    if "state_dict" in ckpt and isinstance(ckpt["state_dict"], dict):
        return dict(ckpt["state_dict"]), "mmtracking"
    raise ConversionError(f"no 'net' or 'state_dict' entry in the checkpoint (top-level keys: {list_keys(ckpt.keys())})")


def map_to_ours(state: Dict[str, torch.Tensor], layout: str) -> Tuple[Dict[str, torch.Tensor], list, list]:
    """Returns (mapped state, unmappable keys, keys dropped as unused by design)."""
    mapped, unknown, unused = {}, [], []
    for key, value in state.items():
        if not isinstance(value, torch.Tensor):
            unknown.append(key)
            continue
        ours = key if layout == "pytracking" else mmtracking_to_ours(key)
        if ours is None:
            unknown.append(key)
        elif ours.startswith(UNUSED_OFFICIAL_PREFIXES):
            unused.append(key)
        else:
            mapped[ours] = value
    return mapped, unknown, unused


def detect_variant(mapped: Dict[str, torch.Tensor]) -> str:
    if "feature_extractor.layer1.0.conv3.weight" in mapped:
        return "resnet50"
    if "feature_extractor.layer1.0.conv2.weight" in mapped:
        return "resnet18"
    raise ConversionError("cannot tell the backbone: no feature_extractor.layer1.0.conv2/conv3 weight "
                          "(is this a PrDiMP checkpoint?)")


def build_converted(mapped: Dict[str, torch.Tensor], variant: str) -> PrDiMPNet:
    net = build_net(variant)
    check_keys(mapped, net.state_dict(), f"PrDiMP-{variant}")
    net.load_state_dict(as_float(mapped), strict=True)
    return net.eval()


def convert(checkpoint: str, out_dir: str, golden: bool = False) -> Tuple[PrDiMPNet, str]:
    ckpt = read_checkpoint(checkpoint)
    state, layout = extract_state_dict(ckpt)
    mapped, unknown, unused = map_to_ours(state, layout)
    if unknown:
        raise ConversionError(f"unexpected keys with no place in PrDiMP ({len(unknown)}): {list_keys(unknown)}")
    variant = detect_variant(mapped)
    net = build_converted(mapped, variant)
    source = os.path.basename(checkpoint)
    license_id = "GPL-3.0-only" if layout == "pytracking" else "Apache-2.0"
    desc = (f"PrDiMP-{variant[6:]} converted from the {layout} checkpoint '{source}'. "
            f"Weights by their original authors, under the licence of the {layout} release.")
    export_model(net, out_dir, f"PrDiMP-{variant[6:]} ({layout})", desc, license_id=license_id,
                 authors=["Martin Danelljan", "Luc Van Gool", "Radu Timofte"],
                 extra={"converted_from": {"file": source, "layout": layout,
                                           "unused_keys_dropped": len(unused),
                                           "tensors": len(state)}})
    if golden:
        module, _ = load_model_folder(out_dir)
        write_golden(module, net.cfg, os.path.join(out_dir, "golden"))
    return net, layout


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.convert.official", description=__doc__.split("\n\n")[0])
    p.add_argument("checkpoint", help="prdimp18.pth.tar, prdimp50.pth.tar or an mmtracking PrDiMP .pth")
    p.add_argument("out_dir", help="model folder to write (tracker.pt + rdf.yaml)")
    p.add_argument("--golden", action="store_true", help="also write golden tensors for the Java tests")
    a = p.parse_args(argv)
    try:
        net, layout = convert(a.checkpoint, a.out_dir, a.golden)
    except ConversionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"converted {layout} PrDiMP-{net.cfg.variant[6:]} -> {a.out_dir} "
          f"(use it with: ./prdimp track --model {a.out_dir} ...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

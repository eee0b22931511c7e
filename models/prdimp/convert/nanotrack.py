"""Convert NanoTrack's pretrained backbone into a PrDiMP network (variant nanotrack-v2 / -v3).

    python3 -m prdimp.convert.nanotrack NANOTRACK_PTH OUT_DIR [--license FILE] [--golden]

NANOTRACK_PTH is NanoTrack's `nanotrackv2.pth` or `nanotrackv3.pth` (a state dict with backbone.*,
neck.* and ban_head.*). Every backbone.* tensor must find its place in our backbone, with its shape;
neck.* and ban_head.* (NanoTrack's own Siamese head) have no place in PrDiMP and are dropped; any
other key stops the conversion. Nothing pickled in the file is executed (see safe_unpickle).

The model folder written carries NanoTrack's Apache-2.0 licence (LICENSE, taken from beside the
checkpoint or from --license) and SOURCE.txt naming the source (`write_source_note`, also for
folders exported after training). The classifier and box regressor are at their seeded
initialisation, so box refinement is off in the folder written here.
"""
import argparse
import os
import re
import shutil
import sys
from typing import Dict, List, Optional, Tuple

import torch

from ..export.model_folder import export_model, load_model_folder, sha256_of, write_golden
from ..net.network import PrDiMPNet, build_net
from .checkpoint import ConversionError, as_float, check_keys, list_keys, read_checkpoint

NANOTRACK_REPOSITORY = "https://github.com/HonglinChu/SiamTrackers (folder NanoTrack/)"
NANOTRACK_AUTHOR = "Honglin Chu"
DROPPED_PREFIXES = ("neck.", "ban_head.")  # NanoTrack's Siamese head: no place in PrDiMP
BACKBONE_PREFIX = "backbone."
LICENSE_FILE = "LICENSE"
SOURCE_FILE = "SOURCE.txt"

# NanoTrack's sub-module indices inside an inverted-residual block -> ours (nanotrack_backbone.MobileBlock)
_EXPANDED = {"0": "expand.0", "1": "expand.1", "3": "depthwise.0", "4": "depthwise.1",
             "5.fc.0": "se.reduce", "5.fc.2": "se.restore", "7": "project.0", "8": "project.1"}
_UNEXPANDED = {"0": "depthwise.0", "1": "depthwise.1", "3.fc.0": "se.reduce", "3.fc.2": "se.restore",
               "4": "project.0", "5": "project.1"}
_BLOCK_KEY = re.compile(r"features\.(\d+)\.conv\.(.+)\.(weight|bias|running_mean|running_var|num_batches_tracked)$")
_STEM_KEY = re.compile(r"features\.0\.([01])\.(weight|bias|running_mean|running_var|num_batches_tracked)$")


def nanotrack_version(state: Dict[str, torch.Tensor]) -> str:
    """'v3' where the checkpoint has the 96-channel ninth block, else 'v2'."""
    return "v3" if "backbone.features.9.conv.0.weight" in state else "v2"


def our_backbone_key(key: str, unexpanded_blocks: int = 1) -> Optional[str]:
    """NanoTrack backbone key (without 'backbone.') -> our feature_extractor key, None if unknown.
    Block 1 has no expansion layer (its depthwise stage works on the stem's 16 channels)."""
    m = _STEM_KEY.match(key)
    if m:
        return f"stem.{m.group(1)}.{m.group(2)}"
    m = _BLOCK_KEY.match(key)
    if not m:
        return None
    index, inner, tensor = int(m.group(1)), m.group(2), m.group(3)
    table = _UNEXPANDED if index <= unexpanded_blocks else _EXPANDED
    if index < 1 or inner not in table:
        return None
    stage, position = ("layer2", index - 1) if index <= 3 else ("layer3", index - 4)
    return f"{stage}.{position}.{table[inner]}.{tensor}"


def map_backbone(state: Dict[str, torch.Tensor]) -> Tuple[Dict[str, torch.Tensor], List[str]]:
    """NanoTrack state dict -> (our feature_extractor.* tensors, dropped keys). The stem's input
    channels are reversed (NanoTrack reads BGR, our networks RGB). Unknown keys raise."""
    mapped, dropped, unknown = {}, [], []
    for key, value in state.items():
        if key.startswith(DROPPED_PREFIXES):
            dropped.append(key)
            continue
        ours = our_backbone_key(key[len(BACKBONE_PREFIX):]) if key.startswith(BACKBONE_PREFIX) else None
        if ours is None or not isinstance(value, torch.Tensor):
            unknown.append(key)
            continue
        if ours == "stem.0.weight":
            value = value.flip(1)
        mapped["feature_extractor." + ours] = value
    if unknown:
        raise ConversionError(f"keys with no place in the NanoTrack backbone ({len(unknown)}): {list_keys(unknown)}")
    return mapped, dropped


def load_state(checkpoint: str) -> Dict[str, torch.Tensor]:
    state = read_checkpoint(checkpoint)
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not any(str(k).startswith(BACKBONE_PREFIX) for k in state):
        raise ConversionError(f"{checkpoint} holds no backbone.* tensors: is it NanoTrack's nanotrackv2.pth / v3.pth?")
    return dict(state)


def load_backbone(net: PrDiMPNet, mapped: Dict[str, torch.Tensor]) -> None:
    """Load the mapped tensors into net.feature_extractor; every key of either side must match."""
    expected = {"feature_extractor." + k: v for k, v in net.feature_extractor.state_dict().items()}
    check_keys(mapped, expected, f"PrDiMP-{net.cfg.variant}'s backbone")
    net.feature_extractor.load_state_dict(as_float(mapped, strip=len("feature_extractor.")), strict=True)


def build_from_nanotrack(checkpoint: str, seed: int = 0) -> Tuple[PrDiMPNet, Dict]:
    """A PrDiMP network with NanoTrack's backbone; classifier and box regressor seeded."""
    state = load_state(checkpoint)
    version = nanotrack_version(state)
    mapped, dropped = map_backbone(state)
    torch.manual_seed(seed)
    net = build_net(f"nanotrack-{version}")
    load_backbone(net, mapped)
    info = {"file": os.path.basename(checkpoint), "sha256": sha256_of(checkpoint), "version": version,
            "backbone_tensors": len(mapped), "dropped_keys": len(dropped), "tensors": len(state)}
    return net.eval(), info


def check_license(license_path: str) -> None:
    if not os.path.isfile(license_path):
        raise ConversionError(f"NanoTrack's licence file {license_path} is missing: the converted weights may only "
                              "be shipped with it (give it with --license FILE)")


def write_source_note(out_dir: str, info: Dict, license_path: str, heads: str = "") -> None:
    """LICENSE (NanoTrack's Apache-2.0 text) and SOURCE.txt (where the weights come from) into out_dir."""
    check_license(license_path)
    shutil.copyfile(license_path, os.path.join(out_dir, LICENSE_FILE))
    heads_line = (f"the classifier and box regressor from the training checkpoint '{os.path.basename(heads)}'"
                  if heads else "the classifier and box regressor at their seeded initialisation (untrained)")
    lines = [
        "Backbone weights: NanoTrack " + info["version"] + f" by {NANOTRACK_AUTHOR}, Apache License 2.0 (LICENSE here).",
        f"Repository : {NANOTRACK_REPOSITORY}",
        f"File       : {info['file']} (sha256 {info['sha256']})",
        f"Converted  : its {info['backbone_tensors']} backbone.* tensors (a truncated MobileNetV3-small) into the",
        f"             feature_extractor of PrDiMP variant nanotrack-{info['version']} by prdimp.convert.nanotrack;",
        "             changed: the stem's input channels reversed (BGR -> RGB); the BatchNorm layers are",
        f"             folded into the convolutions at export. Its neck.* / ban_head.* ({info['dropped_keys']} tensors) are not used.",
        f"Rest       : {heads_line}, by the PrDiMP for Fiji developers.",
    ]
    with open(os.path.join(out_dir, SOURCE_FILE), "w") as f:
        f.write("\n".join(lines) + "\n")


def convert(checkpoint: str, out_dir: str, license_path: str = "", golden: bool = False) -> Tuple[PrDiMPNet, Dict]:
    license_path = license_path or os.path.join(os.path.dirname(os.path.abspath(checkpoint)), LICENSE_FILE)
    net, info = build_from_nanotrack(checkpoint)
    check_license(license_path)  # before writing anything
    variant = net.cfg.variant
    desc = (f"PrDiMP with NanoTrack {info['version']}'s pretrained MobileNetV3-small backbone (Apache-2.0, "
            f"{NANOTRACK_REPOSITORY}); classifier and box regressor untrained (seeded): box refinement off.")
    export_model(net, out_dir, f"PrDiMP {variant}", desc, license_id="Apache-2.0",
                 authors=[NANOTRACK_AUTHOR + " (NanoTrack backbone)", "PrDiMP for Fiji developers"],
                 extra={"converted_from": {"file": info["file"], "layout": "nanotrack", "sha256": info["sha256"],
                                           "backbone_tensors": info["backbone_tensors"],
                                           "unused_keys_dropped": info["dropped_keys"], "tensors": info["tensors"]}},
                 tracker={"box_refinement": False})
    write_source_note(out_dir, info, license_path)
    if golden:
        module, _ = load_model_folder(out_dir)
        write_golden(module, net.cfg, os.path.join(out_dir, "golden"), targets=2)
    return net, info


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.convert.nanotrack", description=__doc__.split("\n\n")[0])
    p.add_argument("checkpoint", help="NanoTrack's nanotrackv2.pth or nanotrackv3.pth")
    p.add_argument("out_dir", help="model folder to write (tracker.pt, rdf.yaml, LICENSE, SOURCE.txt)")
    p.add_argument("--license", default="", help="NanoTrack's LICENSE file (default: LICENSE beside the checkpoint)")
    p.add_argument("--golden", action="store_true", help="also write golden tensors for the Java tests")
    a = p.parse_args(argv)
    try:
        net, info = convert(a.checkpoint, a.out_dir, a.license, a.golden)
    except ConversionError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"converted NanoTrack {info['version']} ({info['backbone_tensors']} backbone tensors) -> {a.out_dir} "
          f"(use it with: ./prdimp track --model {a.out_dir} ...)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

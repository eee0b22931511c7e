"""Every model folder's rdf.yaml is a valid bioimage.io 0.5 model description: the required fields
with their types, a channel name for every channel, test tensors that exist, match their sha256 and
axes, and that the TorchScript `forward` reproduces; a fresh export writes the same fields."""
import glob
import os
import re

import numpy as np
import pytest
import torch

from prdimp.export.model_folder import export_model, load_model_folder, sha256_of
from prdimp.net.network import build_net

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDERS = sorted(os.path.dirname(p) for p in glob.glob(os.path.join(MODELS, "*", "rdf.yaml")))
REQUIRED = {"format_version": str, "type": str, "name": str, "description": str, "authors": list, "cite": list,
            "license": str, "documentation": str, "inputs": list, "outputs": list, "weights": dict}
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def problems(folder):
    """What makes the folder's rdf.yaml an invalid bioimage.io 0.5 model (empty: valid)."""
    module, desc = load_model_folder(folder)  # also checks the weights' sha256
    out = []
    for key, kind in REQUIRED.items():
        if not isinstance(desc.get(key), kind) or not desc.get(key):
            out.append(f"{key} missing or not a {kind.__name__}")
    if out:
        return out
    if desc["type"] != "model" or not desc["format_version"].startswith("0.5."):
        out.append("type must be model, format_version 0.5.x")
    if not all(isinstance(a, dict) and a.get("name") for a in desc["authors"]):
        out.append("every author needs a name")
    if not all(c.get("text") and (c.get("doi") or c.get("url")) for c in desc["cite"]):
        out.append("every cite entry needs text and a doi or url")
    if not any("2003.12565" in (c.get("url") or "") or "Probabilistic Regression" in c["text"] for c in desc["cite"]):
        out.append("cite lacks Danelljan et al. 2020 (PrDiMP)")
    if not os.path.isfile(os.path.join(folder, desc["documentation"])):
        out.append("documentation file missing")
    ts = desc["weights"].get("torchscript") or {}
    if not ts.get("source") or not ts.get("sha256"):
        out.append("weights.torchscript needs source and sha256")
    arrays = {}
    for tensor in desc["inputs"] + desc["outputs"]:
        tid = tensor.get("id", "")
        if not IDENTIFIER.match(tid):
            out.append(f"tensor id {tid!r}")
        shape = []
        for axis in tensor.get("axes", []):
            if axis.get("type") == "channel":
                names = axis.get("channel_names")
                if not names or "size" in axis or not all(IDENTIFIER.match(n) for n in names):
                    out.append(f"{tid}: a channel axis needs channel_names (identifiers) and no size")
                    names = []
                shape.append(len(names))
            elif axis.get("type") == "batch":
                shape.append(1)
            elif axis.get("type") == "space":
                if not axis.get("id") or not isinstance(axis.get("size"), int):
                    out.append(f"{tid}: a space axis needs an id and a size")
                shape.append(axis.get("size"))
            else:
                out.append(f"{tid}: unexpected axis {axis}")
        test = tensor.get("test_tensor") or {}
        path = os.path.join(folder, test.get("source", "missing"))
        if not os.path.isfile(path) or sha256_of(path) != test.get("sha256"):
            out.append(f"{tid}: test_tensor missing or its sha256 differs")
            continue
        arrays[tid] = np.load(path)
        if list(arrays[tid].shape) != shape:
            out.append(f"{tid}: test tensor shape {list(arrays[tid].shape)} differs from the axes {shape}")
    if out:
        return out
    with torch.no_grad():
        got = module.forward(torch.from_numpy(arrays[desc["inputs"][0]["id"]]))
    for tensor, t in zip(desc["outputs"], got):
        if not np.allclose(t.numpy(), arrays[tensor["id"]], atol=1e-4, rtol=1e-4):
            out.append(f"{tensor['id']}: forward does not reproduce the test tensor")
    if "forward" not in desc.get("config", {}).get("prdimp", {}).get("methods", {}):
        out.append("config.prdimp.methods lacks forward")
    return out


@pytest.mark.parametrize("folder", FOLDERS, ids=[os.path.basename(f) for f in FOLDERS])
def test_committed_model_descriptions_are_valid_bioimageio_05(folder):
    assert problems(folder) == []


def test_the_check_finds_what_is_missing(tmp_path):
    import shutil

    import yaml

    folder = tmp_path / "m"
    shutil.copytree(os.path.join(MODELS, "compact-init"), folder, ignore=shutil.ignore_patterns("golden"))
    with open(folder / "rdf.yaml") as f:
        desc = yaml.safe_load(f)
    del desc["cite"]
    desc["outputs"][0]["axes"][1] = {"type": "channel", "size": 64}
    with open(folder / "rdf.yaml", "w") as f:
        yaml.safe_dump(desc, f)
    assert problems(str(folder)) == ["cite missing or not a list"]
    desc["cite"] = [{"text": "x"}]
    with open(folder / "rdf.yaml", "w") as f:
        yaml.safe_dump(desc, f)
    found = problems(str(folder))
    assert any("cite entry" in p for p in found) and any("channel_names" in p for p in found), found


def test_a_fresh_export_is_valid(tmp_path):
    torch.manual_seed(0)
    net = build_net("compact").eval()
    export_model(net, str(tmp_path), "test", "a fresh export")
    assert problems(str(tmp_path)) == []

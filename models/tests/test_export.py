"""The TorchScript contract: eager == scripted, train mode changes nothing, folder round trip."""
import os

import numpy as np
import pytest
import torch
import yaml

from prdimp.export import model_folder
from prdimp.export.model_folder import (ModelFolderError, TrackerModule, export_model, load_model_folder, replay_golden,
                           script_module, write_golden)
from prdimp.net.network import FrozenBatchNorm, build_net, fold_batchnorm
from prdimp.convert.official_layout import random_state


def random_net(variant, seed=0):
    net = build_net(variant).eval()
    net.load_state_dict(random_state({k: v.shape for k, v in net.state_dict().items()}, seed))
    return net


def method_inputs(cfg, targets=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    s = cfg.crop_size
    return torch.rand((targets, cfg.input_channels, s, s), generator=g), g


def run_all(module, cfg):
    """Call every exported method in tracking order; returns all outputs."""
    images, g = method_inputs(cfg)
    l2, l3, clf = module.extract(images)
    box = torch.tensor([[100.0, 110.0, 60.0, 50.0], [120.0, 90.0, 40.0, 70.0]])
    feat = torch.stack((clf, clf.flip(-1)))
    boxes = torch.stack((box, box + 4))
    weights = torch.tensor([[0.7, 0.5], [0.3, 0.5]])
    f0 = module.init_filter(feat, boxes, weights, torch.tensor(10))
    f1 = module.optimize_filter(f0, feat, boxes, weights, torch.tensor(2))
    scores, prob = module.classify(f1, clf)
    m3, m4 = module.box_modulation(l2, l3, box)
    t3, t4 = module.box_features(l2, l3)
    props = box.unsqueeze(1) + torch.rand((2, 6, 4), generator=g) * 6 - 3
    dens = module.box_log_density(m3, m4, t3, t4, props)
    refined, rdens = module.refine_boxes(m3, m4, l2, l3, props, torch.tensor(4), torch.tensor(2.5e-3))
    return [l2, l3, clf, f0, f1, scores, prob, m3, m4, t3, t4, dens, refined, rdens]


@pytest.mark.parametrize("variant", ["compact", "resnet18", "nanotrack-v3"])
def test_scripted_equals_eager_and_train_mode_changes_nothing(variant):
    net = random_net(variant)
    eager = TrackerModule(net)
    scripted = script_module(net)
    ref = run_all(eager, net.cfg)
    # TorchScript's profiling executor runs the first call unoptimised; later calls use the
    # optimised graph, whose float rounding in refine_boxes can differ in the last bits
    run_all(scripted, net.cfg)
    out = run_all(scripted, net.cfg)
    for a, b in zip(ref, out):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    scripted.train()
    trained = run_all(scripted, net.cfg)
    for a, b in zip(out, trained):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


@pytest.mark.parametrize("variant", ["compact", "resnet18", "resnet50", "nanotrack-v2"])
def test_batchnorm_folding_keeps_every_output(variant, monkeypatch):
    """Exports fold each BatchNorm into the layer before it: none is left, every method gives the
    unfolded network's outputs (to float32 rounding), and folding again changes nothing."""
    net = random_net(variant)
    folded = TrackerModule(net)
    assert not any(isinstance(m, FrozenBatchNorm) for m in folded.modules())
    monkeypatch.setattr(model_folder, "fold_batchnorm", lambda m: m)
    unfolded = TrackerModule(net)
    assert any(isinstance(m, FrozenBatchNorm) for m in unfolded.modules())
    for a, b in zip(run_all(unfolded, net.cfg), run_all(folded, net.cfg)):
        torch.testing.assert_close(b, a, rtol=1e-4, atol=1e-4)
    state = {k: v.clone() for k, v in folded.state_dict().items()}
    fold_batchnorm(folded)
    assert folded.state_dict().keys() == state.keys()
    assert all(torch.equal(state[k], v) for k, v in folded.state_dict().items())


def test_reexport_folds_a_folder_exported_before_folding(tmp_path, monkeypatch):
    from prdimp.export.reexport import main as reexport_main
    net = random_net("compact", seed=7)
    with monkeypatch.context() as m:
        m.setattr(model_folder, "fold_batchnorm", lambda module: module)
        export_model(net, str(tmp_path / "old"), "t", "t")
        old, _ = load_model_folder(str(tmp_path / "old"))
        write_golden(old, net.cfg, str(tmp_path / "old" / "golden"))
    assert reexport_main([str(tmp_path / "old"), "--out", str(tmp_path / "new")]) == 0
    new, _ = load_model_folder(str(tmp_path / "new"))
    assert not any(k.endswith((".scale", ".shift")) for k in new.state_dict())
    assert len(new.state_dict()) < len(old.state_dict())
    assert replay_golden(new, str(tmp_path / "old" / "golden")) < 1e-4


def test_outputs_are_meaningful():
    net = random_net("compact")
    out = run_all(script_module(net), net.cfg)
    prob = out[6]
    torch.testing.assert_close(prob.sum(dim=(-2, -1)), torch.ones(2))
    assert out[5].shape == (2, 19, 19)
    assert not torch.equal(out[3], out[4])  # optimiser moved the filter
    assert torch.isfinite(out[12]).all() and (out[12][..., 2:] > 0).all()


def test_folder_round_trip_and_integrity_checks(tmp_path):
    net = random_net("compact", seed=4)
    folder = tmp_path / "model"
    export_model(net, str(folder), "test model", "compact test model")
    module, desc = load_model_folder(str(folder))
    assert desc["format_version"].startswith("0.5")
    assert desc["weights"]["torchscript"]["source"] == "tracker.pt"
    tracker = desc["config"]["prdimp"]["tracker"]
    assert tracker["crop_size"] == 288 and tracker["score_size"] == 19 and tracker["feature_size"] == 18
    assert desc["config"]["prdimp"]["network"]["variant"] == "compact"
    for a, b in zip(run_all(TrackerModule(net), net.cfg), run_all(module, net.cfg)):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6)
    with open(folder / "tracker.pt", "ab") as f:
        f.write(b"tampered")
    with pytest.raises(ModelFolderError, match="sha256"):
        load_model_folder(str(folder))
    os.remove(folder / "rdf.yaml")
    with pytest.raises(ModelFolderError, match="rdf.yaml is missing"):
        load_model_folder(str(folder))


def test_golden_manifest_replays(tmp_path):
    net = random_net("compact", seed=2)
    module = script_module(net)
    manifest = write_golden(module, net.cfg, str(tmp_path))
    methods = [c["method"] for c in manifest["calls"]]
    assert methods == ["extract", "init_filter", "optimize_filter", "classify", "box_modulation",
                       "box_features", "box_log_density", "refine_boxes", "refine_boxes"]
    assert [len(c["inputs"][4]["shape"]) and c["inputs"][4]["shape"][1] for c in manifest["calls"][-2:]] == [5, 10]
    fresh = script_module(net)
    for call in manifest["calls"]:
        args = [torch.from_numpy(np.load(tmp_path / i["file"])) for i in call["inputs"]]
        args = [a.long() if i["int"] else a for a, i in zip(args, call["inputs"])]
        result = getattr(fresh, call["method"])(*args)
        result = result if isinstance(result, tuple) else (result,)
        for r, o in zip(result, call["outputs"]):
            torch.testing.assert_close(r, torch.from_numpy(np.load(tmp_path / o["file"])), rtol=1e-5, atol=1e-6)


def test_model_file_holds_no_machine_path(tmp_path):
    import zipfile
    export_model(random_net("compact"), str(tmp_path / "m"), "t", "t")
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with zipfile.ZipFile(tmp_path / "m" / "tracker.pt") as z:
        for name in z.namelist():
            data = z.read(name)
            assert here.encode() not in data, f"{name} contains the path {here}"
            assert b"prdimp/" not in data or name.endswith((".py", ".debug_pkl"))


def test_mac_count_matches_a_hand_count_of_the_compact_heads():
    from prdimp.export.flops import count_macs
    counts = count_macs("compact")
    # box_features of the compact variant: conv3_1t 64->128 and conv3_2t 128->128 on 36x36 (3x3),
    # conv4_1t 128->128 and conv4_2t 128->128 on 18x18 (3x3)
    by_hand = 36 * 36 * 9 * (64 * 128 + 128 * 128) + 18 * 18 * 9 * (128 * 128 + 128 * 128)
    assert counts["box_features"] == by_hand
    assert counts["extract"] > 0

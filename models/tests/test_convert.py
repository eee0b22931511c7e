"""Official checkpoints: exact key layout, safe loading, conversion, clear errors."""
import math
import os
import pickle
import subprocess
import sys

import pytest
import torch

from prdimp.convert import safe_unpickle
from prdimp.convert.official import ConversionError, convert
from prdimp.export.model_folder import TrackerModule, load_model_folder
from prdimp.net.network import build_net
from prdimp.convert.official_layout import official_key_shapes, random_state
from prdimp.convert.testmodels import write_official_checkpoint
from test_export import run_all

VARIANTS = {"resnet18": "klcedimpnet18", "resnet50": "klcedimpnet50"}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_our_layout_is_exactly_the_official_one(variant, official_shapes_json):
    official = {k: tuple(v) for k, v in official_shapes_json[VARIANTS[variant]].items()}
    ours = official_key_shapes(variant)
    assert sorted(ours) == sorted(official)
    assert {k: ours[k] for k in official} == official
    expected_values = {"resnet18": 19_661_644, "resnet50": 43_155_563}[variant]
    assert sum(math.prod(s) for s in official.values()) == expected_values


def official_state(json_shapes, variant, seed):
    return random_state({k: tuple(v) for k, v in json_shapes[VARIANTS[variant]].items()}, seed)


def eager_reference(state, variant):
    net = build_net(variant).eval()
    net.load_state_dict({k: v for k, v in state.items() if not k.startswith(("feature_extractor.layer4",
                                                                               "feature_extractor.fc"))})
    return net


@pytest.mark.parametrize("variant,layout,legacy", [("resnet18", "pytracking", True),
                                                   ("resnet18", "pytracking", False),
                                                   ("resnet50", "pytracking", False),
                                                   ("resnet50", "mmtracking", False)])
def test_convert_official_checkpoint(tmp_path, official_shapes_json, variant, layout, legacy):
    state = official_state(official_shapes_json, variant, seed=11)
    marker = tmp_path / "foreign-code-ran"
    ckpt = tmp_path / "ckpt.pth.tar"
    write_official_checkpoint(str(ckpt), state, layout, marker_file=str(marker), legacy_format=legacy)
    out = tmp_path / "model"
    net, detected = convert(str(ckpt), str(out))
    assert detected == layout and net.cfg.variant == variant
    assert not marker.exists(), "the converter executed pickled foreign code"
    module, desc = load_model_folder(str(out))
    assert desc["config"]["prdimp"]["converted_from"]["layout"] == layout
    ref = run_all(TrackerModule(eager_reference(state, variant)), net.cfg)
    got = run_all(module, net.cfg)
    for a, b in zip(ref, got):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-5)


def test_foreign_object_is_inert_but_ordinary_unpickling_would_run_it(tmp_path, official_shapes_json):
    """Guards the test above: with the foreign class present, plain pickle runs its code."""
    import prdimp.convert.testmodels as tm
    marker = tmp_path / "ran"
    state = {"a": torch.zeros(1)}
    ckpt = tmp_path / "c.pth"
    write_official_checkpoint(str(ckpt), state, "pytracking", marker_file=str(marker))
    loaded = safe_unpickle.load_checkpoint(str(ckpt))
    assert isinstance(loaded["constructor"], safe_unpickle.ForeignObject)
    assert "NetConstructor" in repr(loaded["constructor"]) and not marker.exists()
    mod = tm._foreign_module()
    for name in ("ltr", "ltr.admin"):
        sys.modules[name] = type(sys)(name)
    sys.modules[tm.FOREIGN_MODULE] = mod
    try:
        torch.load(str(ckpt))
    finally:
        for name in ("ltr", "ltr.admin", tm.FOREIGN_MODULE):
            sys.modules.pop(name, None)
    assert marker.exists()


def _convert_modified(tmp_path, json_shapes, change):
    state = official_state(json_shapes, "resnet18", seed=5)
    change(state)
    ckpt = tmp_path / "bad.pth.tar"
    write_official_checkpoint(str(ckpt), state, "pytracking")
    convert(str(ckpt), str(tmp_path / "out"))


def test_missing_key_is_named(tmp_path, official_shapes_json):
    with pytest.raises(ConversionError, match=r"missing keys \(1\): bb_regressor.fc3_rt.linear.weight"):
        _convert_modified(tmp_path, official_shapes_json, lambda s: s.pop("bb_regressor.fc3_rt.linear.weight"))


def test_unexpected_key_is_named(tmp_path, official_shapes_json):
    def add(s):
        s["classifier.extra_head.weight"] = torch.zeros(3)
    with pytest.raises(ConversionError, match=r"unexpected keys \(1\): classifier.extra_head.weight"):
        _convert_modified(tmp_path, official_shapes_json, add)


def test_misshaped_key_is_named(tmp_path, official_shapes_json):
    def reshape(s):
        s["classifier.filter_initializer.filter_conv.weight"] = torch.zeros(256, 256, 5, 5)
    with pytest.raises(ConversionError, match=r"mis-shaped keys \(1\): classifier.filter_initializer"
                                              r".filter_conv.weight \(256, 256, 5, 5\) \(expected \(256, 256, 3, 3\)\)"):
        _convert_modified(tmp_path, official_shapes_json, reshape)


def test_command_line_reports_errors_without_traceback(tmp_path):
    bad = tmp_path / "not-a-checkpoint.pth.tar"
    bad.write_bytes(b"this is not a checkpoint")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for args, message in [([str(bad), str(tmp_path / "o")], "cannot read"),
                          ([str(tmp_path / "missing.pth.tar"), str(tmp_path / "o")], "no such checkpoint file")]:
        p = subprocess.run([sys.executable, "-m", "prdimp.convert.official"] + args, capture_output=True, text=True, env=env)
        assert p.returncode == 2 and message in p.stderr and "Traceback" not in p.stderr, p.stderr

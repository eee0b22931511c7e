"""Synthetic time-lapse generator: determinism, ground truth, motion, writers, CLI, bundled sample."""
import dataclasses
import os
import re
import subprocess
import sys
import time

import numpy as np
import pytest
from PIL import Image

from prdimp.procedural import nuclei as syn
from prdimp.procedural import sequence_io

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_DIR = os.path.join(os.path.dirname(MODELS), "plugin", "src", "main", "resources", "org", "prdimp", "fiji",
                          "sample")
SAMPLE_NAME = "synthetic-nuclei"
SMALL = dataclasses.replace(syn.PRESETS["nuclei"], width=96, height=80, frames=12, objects=3, distractors=3)


def boxes_of(tracks):
    """[K, T, 4] in track-id order."""
    return np.stack([tracks[k] for k in sorted(tracks)])


# ------------------------------------------------------------------------------------ determinism

def test_same_seed_gives_identical_arrays_and_different_seed_differs():
    f1, t1 = syn.render_sequence(SMALL, 5)
    f2, t2 = syn.render_sequence(SMALL, 5)
    f3, t3 = syn.render_sequence(SMALL, 6)
    assert np.array_equal(f1, f2)
    assert all(np.array_equal(t1[k], t2[k]) for k in t1)
    assert not np.array_equal(f1, f3)
    assert not np.allclose(boxes_of(t1), boxes_of(t3))


def test_generator_seed_is_deterministic_and_advances():
    f1, t1 = syn.render_sequence(SMALL, np.random.default_rng(11))
    f2, t2 = syn.render_sequence(SMALL, np.random.default_rng(11))
    assert np.array_equal(f1, f2) and np.array_equal(boxes_of(t1), boxes_of(t2))
    rng = np.random.default_rng(11)
    first, _ = syn.render_sequence(SMALL, rng)
    second, _ = syn.render_sequence(SMALL, rng)
    assert not np.array_equal(first, second)


def test_shapes_dtypes_and_track_ids():
    frames, tracks = syn.render_sequence(SMALL, 0)
    assert frames.shape == (12, 80, 96) and frames.dtype == np.float32
    assert np.isfinite(frames).all() and frames.min() >= 0
    assert sorted(tracks) == [1, 2, 3]
    for boxes in tracks.values():
        assert boxes.shape == (12, 4) and boxes.dtype.kind == "f"


def test_noise_free_render_has_the_same_scene_and_tracks():
    noisy, t_noisy = syn.render_sequence(SMALL, 3)
    clean, t_clean = syn.render_sequence(SMALL, 3, noise=False)
    assert np.array_equal(boxes_of(t_noisy), boxes_of(t_clean))
    residual = noisy.astype(np.float64) - clean
    assert abs(residual.mean()) < 0.5
    # shot noise (gain 2, i.e. variance 2 * signal) plus read noise
    expected = np.sqrt(SMALL.gain * (clean - SMALL.camera_offset) + SMALL.read_noise ** 2)
    assert 0.9 < residual.std() / np.sqrt((expected ** 2).mean()) < 1.1


def test_invalid_spec_is_refused_with_a_message():
    with pytest.raises(ValueError, match="do not fit"):
        syn.render_sequence(dataclasses.replace(SMALL, width=20, height=20), 0)
    with pytest.raises(ValueError, match="bits"):
        syn.render_sequence(dataclasses.replace(SMALL, bits=12), 0)
    with pytest.raises(ValueError, match="speed_range"):
        syn.render_sequence(dataclasses.replace(SMALL, speed_range=(3.0, 1.0)), 0)


# ----------------------------------------------------------------------------------- ground truth

@pytest.mark.parametrize("preset", sorted(syn.PRESETS))
def test_boxes_positive_and_inside_the_image(preset):
    spec = syn.PRESETS[preset]
    for seed in range(3):
        tracks = syn.simulate_objects(spec, np.random.default_rng(seed)).boxes()
        x, y, w, h = np.moveaxis(tracks, -1, 0)
        assert (w > 0).all() and (h > 0).all()
        assert (x >= 0).all() and (y >= 0).all()
        assert (x + w <= spec.width).all() and (y + h <= spec.height).all()


@pytest.mark.parametrize("angle", [0.0, 0.4, np.pi / 4, 1.3, 2.0])
def test_box_edges_lie_on_the_rendered_half_height_contour(angle):
    a, b, cx, cy, peak = 11.3, 6.2, 30.37, 27.81, 100.0
    image = np.zeros((60, 64))
    syn.paint_ellipse(image, cx, cy, a, b, angle, peak, softness=1.0)
    # the edge is at half height of the logistic times the dome (0.8 at the rim): 0.4 * peak
    ys, xs = np.nonzero(image >= 0.4 * peak)
    x, y, w, h = syn.ellipse_boxes(cx, cy, a, b, angle)
    # pixel i covers [i, i+1) and is sampled at i + 0.5
    assert abs(xs.min() + 0.5 - x) <= 1.0 and abs(xs.max() + 0.5 - (x + w)) <= 1.0
    assert abs(ys.min() + 0.5 - y) <= 1.0 and abs(ys.max() + 0.5 - (y + h)) <= 1.0
    # the integrated intensity is centred on the box
    yy, xx = np.mgrid[0:60, 0:64] + 0.5
    assert abs((image * xx).sum() / image.sum() - (x + w / 2)) < 0.05
    assert abs((image * yy).sum() / image.sum() - (y + h / 2)) < 0.05


def test_intensity_centroid_inside_each_box_is_near_its_centre():
    spec = dataclasses.replace(syn.PRESETS["nuclei"], background=0.0, distractors=0, camera_offset=0.0)
    frames, tracks = syn.render_sequence(spec, 4, noise=False)
    boxes = boxes_of(tracks)
    checked = 0
    for t in range(0, spec.frames, 5):
        for k, (x, y, w, h) in enumerate(boxes[:, t]):
            others = np.delete(boxes[:, t], k, axis=0)
            near = ((others[:, 0] < x + w + 4) & (others[:, 0] + others[:, 2] > x - 4)
                    & (others[:, 1] < y + h + 4) & (others[:, 1] + others[:, 3] > y - 4))
            if near.any():
                continue
            x0, y0, x1, y1 = int(x), int(y), int(np.ceil(x + w)), int(np.ceil(y + h))
            patch = frames[t, y0:y1, x0:x1].astype(np.float64)
            yy, xx = np.mgrid[y0:y1, x0:x1] + 0.5
            cx, cy = (patch * xx).sum() / patch.sum(), (patch * yy).sum() / patch.sum()
            assert abs(cx - (x + w / 2)) < 0.1 * w and abs(cy - (y + h / 2)) < 0.1 * h
            # the object fills its box: bright at the centre, dim in the corners
            assert patch[patch.shape[0] // 2, patch.shape[1] // 2] > 4 * max(patch[0, 0], patch[-1, -1])
            checked += 1
    assert checked >= 30


def test_objects_rotate_and_change_size_slowly():
    objects = syn.simulate_objects(syn.PRESETS["nuclei"], np.random.default_rng(2))
    assert np.abs(np.diff(objects.angle, axis=1)).max() < np.deg2rad(5)
    assert np.ptp(objects.angle, axis=1).max() > np.deg2rad(10)
    rel = np.abs(np.diff(np.log(objects.a), axis=1))
    assert rel.max() < 0.02 and np.ptp(np.log(objects.a), axis=1).max() > 0.05


def test_photobleaching_dims_the_objects():
    spec = dataclasses.replace(SMALL, frames=40, bleaching=0.02, offset_drift=0.0)
    frames, tracks = syn.render_sequence(spec, 1, noise=False)
    signal = frames.astype(np.float64) - spec.camera_offset
    assert signal[-1].sum() < 0.6 * signal[0].sum()


# ----------------------------------------------------------------------------------------- motion

@pytest.mark.parametrize("preset", ["nuclei", "fast", "sample"])
def test_displacement_statistics_match_the_spec(preset):
    spec = syn.PRESETS[preset]
    lo, hi = spec.speed_range
    for seed in range(4):
        boxes = syn.objects_for_seed(spec, seed).boxes()
        step = np.linalg.norm(np.diff(boxes[..., :2] + boxes[..., 2:] / 2, axis=1), axis=-1)
        assert lo <= step.mean() <= hi
        assert (step.mean(axis=1) >= 0.8 * lo).all()
        assert (step.mean(axis=1) <= min(spec.max_speed, spec.burst_speedup * hi)).all()
        assert step.max() <= spec.max_speed + 1e-9


def test_without_bursts_each_object_moves_at_a_speed_in_range():
    spec = dataclasses.replace(syn.PRESETS["nuclei"], burst_probability=0.0, objects=8, frames=50)
    objects = syn.simulate_objects(spec, np.random.default_rng(9))
    step = np.hypot(np.diff(objects.cx, axis=1), np.diff(objects.cy, axis=1))
    lo, hi = spec.speed_range
    assert (step.mean(axis=1) >= 0.9 * lo).all() and (step.mean(axis=1) <= hi + 1e-9).all()
    # smooth: the direction of motion turns gradually most of the time
    d = np.stack([np.diff(objects.cx, axis=1), np.diff(objects.cy, axis=1)], axis=-1)
    cos = (d[:, 1:] * d[:, :-1]).sum(-1) / (np.linalg.norm(d[:, 1:], axis=-1) * np.linalg.norm(d[:, :-1], axis=-1))
    assert np.median(cos) > 0.95


# ---------------------------------------------------------------------------------------- writers

@pytest.mark.parametrize("bits,mode", [(8, "L"), (16, "I;16")])
def test_tiff_round_trip(tmp_path, bits, mode):
    frames, _ = syn.render_sequence(SMALL, 2)
    path = str(tmp_path / "s.tif")
    written = sequence_io.write_tiff(path, frames, bits)
    with Image.open(path) as im:
        assert im.n_frames == 12 and im.mode == mode and im.size == (96, 80)
    back = sequence_io.read_tiff(path)
    assert back.dtype == (np.uint8 if bits == 8 else np.uint16)
    assert np.array_equal(back, written)
    assert back.min() == 0 and back.max() == 2 ** bits - 1
    # a linear rescaling of the float frames
    lo, hi = frames.min(), frames.max()
    assert np.abs(back - (frames - lo) / (hi - lo) * (2 ** bits - 1)).max() <= 0.5 + 1e-3


def test_groundtruth_csv_format_and_round_trip(tmp_path):
    _, tracks = syn.render_sequence(SMALL, 2)
    path = str(tmp_path / "gt.csv")
    sequence_io.write_groundtruth_csv(path, tracks)
    lines = open(path).read().splitlines()
    assert lines[0] == "track_id,frame,x,y,w,h"
    assert len(lines) == 1 + 3 * 12
    number = r"-?\d+\.\d{3}"
    assert all(re.fullmatch(rf"\d+,\d+,{number},{number},{number},{number}", line) for line in lines[1:])
    assert lines[1].startswith("1,0,") and lines[12].startswith("1,11,") and lines[13].startswith("2,0,")
    back = sequence_io.read_groundtruth_csv(path)
    assert sorted(back) == [1, 2, 3]
    for k in tracks:
        assert np.abs(back[k] - tracks[k]).max() <= 5e-4 + 1e-9


# -------------------------------------------------------------------------------------------- CLI

def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "prdimp.procedural", *args], cwd=MODELS,
                          capture_output=True, text=True, timeout=120)


def test_cli_writes_tiff_and_csv(tmp_path):
    out = tmp_path / "out"
    r = run_cli(str(out), "--frames", "5", "--size", "64", "48", "--objects", "2", "--seed", "3", "--bits", "16")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) == 1 and "sequence.tif" in r.stdout and "groundtruth.csv" in r.stdout
    stack = sequence_io.read_tiff(str(out / "sequence.tif"))
    assert stack.shape == (5, 48, 64) and stack.dtype == np.uint16
    spec = dataclasses.replace(syn.PRESETS["nuclei"], frames=5, width=64, height=48, objects=2, bits=16)
    frames, tracks = syn.render_sequence(spec, 3)
    assert np.array_equal(stack, sequence_io.to_integer(frames, 16))
    lines = open(out / "groundtruth.csv").read().splitlines()
    assert lines[0] == "track_id,frame,x,y,w,h" and len(lines) == 1 + 2 * 5
    back = sequence_io.read_groundtruth_csv(str(out / "groundtruth.csv"))
    assert np.abs(back[2] - tracks[2]).max() <= 5e-4 + 1e-9


@pytest.mark.parametrize("args,message", [
    (["--bits", "12"], "invalid choice"),
    (["--frames", "0"], "must be at least 1"),
    (["--size", "16", "16"], "do not fit"),
    (["--preset", "nope"], "invalid choice"),
    (["--seed", "-1"], "must not be negative"),
    (["--objects", "two"], "not an integer"),
])
def test_cli_bad_arguments_give_a_one_line_error(tmp_path, args, message):
    r = run_cli(str(tmp_path / "out"), *args)
    assert r.returncode == 2
    errors = [line for line in r.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and message in errors[0]
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------- bundled sample

def test_sample_preset_reproduces_the_committed_sample(tmp_path):
    tif, csv_path = os.path.join(SAMPLE_DIR, SAMPLE_NAME + ".tif"), os.path.join(SAMPLE_DIR, SAMPLE_NAME + ".csv")
    assert os.path.getsize(tif) + os.path.getsize(csv_path) <= 4_000_000
    r = run_cli(str(tmp_path), "--preset", "sample", "--name", SAMPLE_NAME)
    assert r.returncode == 0, r.stderr
    committed = sequence_io.read_tiff(tif)
    assert committed.shape == (60, 256, 256) and committed.dtype == np.uint8
    assert np.array_equal(sequence_io.read_tiff(str(tmp_path / (SAMPLE_NAME + ".tif"))), committed)
    assert open(tmp_path / (SAMPLE_NAME + ".csv")).read() == open(csv_path).read()


def test_sample_content_fits_its_description():
    spec, seed = syn.PRESETS["sample"], syn.PRESET_SEEDS["sample"]
    objects = syn.objects_for_seed(spec, seed)
    boxes = objects.boxes()
    assert 5 <= spec.objects <= 6 and 60 <= spec.frames <= 80 and spec.bits == 8
    assert 18 <= 2 * objects.a.min() and 2 * objects.a.max() <= 32
    step = np.hypot(np.diff(objects.cx, axis=1), np.diff(objects.cy, axis=1))
    assert 1 <= step.mean(axis=1).min() and step.max() <= 4
    # no two boxes overlap by more than a sliver
    for i in range(spec.objects):
        for j in range(i + 1, spec.objects):
            b1, b2 = boxes[i], boxes[j]
            ix = np.minimum(b1[:, 0] + b1[:, 2], b2[:, 0] + b2[:, 2]) - np.maximum(b1[:, 0], b2[:, 0])
            iy = np.minimum(b1[:, 1] + b1[:, 3], b2[:, 1] + b2[:, 3]) - np.maximum(b1[:, 1], b2[:, 1])
            inter = np.clip(ix, 0, None) * np.clip(iy, 0, None)
            assert (inter <= 0.1 * np.minimum(b1[:, 2] * b1[:, 3], b2[:, 2] * b2[:, 3])).all()
    readme = open(os.path.join(SAMPLE_DIR, "README.md")).read()
    assert "python3 -m prdimp.procedural" in readme and "--preset sample" in readme and "MIT" in readme


def test_speed_report():
    """Not an assertion: prints rendering times (see with pytest -s)."""
    t0 = time.perf_counter()
    syn.render_sequence(dataclasses.replace(syn.PRESETS["nuclei"], frames=60), 0)
    t1 = time.perf_counter()
    syn.render_sequence(dataclasses.replace(syn.PRESETS["nuclei"], width=1024, height=1024, frames=1, objects=40), 0)
    t2 = time.perf_counter()
    print(f"\nsynthetic: 60 frames 256x256 {t1 - t0:.2f} s; one 1024x1024 frame {t2 - t1:.2f} s")

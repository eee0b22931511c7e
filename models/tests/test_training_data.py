"""Procedural training data: the training_sequence interface, ground truth (boxes, absence,
divisions, entering/leaving), the engine's normalisation, camera bit depths and noise, the
validation set writer."""
import os
import subprocess
import sys

import numpy as np
import pytest

from prdimp.procedural import scene_kinds as kinds
from prdimp.procedural import scene_motion as motion
from prdimp.procedural import scene_render as render
from prdimp.procedural import sequence_io
from prdimp.procedural import training_sequences as td

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SMALL = (128, 112)


def small(seed, kind=None, frames=16, **kw):
    return td.training_sequence(seed, kind, size=SMALL, frames=frames, **kw)


# ------------------------------------------------------------------------------------ interface

def test_kind_weights_sum_to_one_with_a_fifth_generic():
    assert len(td.KINDS) == len(td.KIND_WEIGHTS) and abs(sum(td.KIND_WEIGHTS) - 1) < 1e-9
    generic = sum(w for k, w in zip(td.KINDS, td.KIND_WEIGHTS) if k.startswith("generic"))
    assert 0.15 <= generic <= 0.25


def test_same_arguments_give_identical_sequences_and_other_seeds_differ():
    a, b, c = small(7, "fluo-cells"), small(7, "fluo-cells"), small(8, "fluo-cells")
    assert np.array_equal(a.frames, b.frames) and np.array_equal(a.raw, b.raw)
    assert np.array_equal(a.boxes, b.boxes, equal_nan=True) and np.array_equal(a.parents, b.parents)
    assert not np.array_equal(a.raw, c.raw)


def test_kind_none_draws_a_kind_and_gives_that_kinds_sequence():
    seq = small(11)
    assert seq.kind in td.KINDS and seq.seed == 11
    same = small(11, seq.kind)
    assert np.array_equal(seq.raw, same.raw) and np.array_equal(seq.boxes, same.boxes, equal_nan=True)


def test_the_kind_mixture_follows_its_weights():
    drawn = [str(np.random.default_rng(np.random.SeedSequence(s).spawn(6)[0]).choice(td.KINDS, p=td.KIND_WEIGHTS))
             for s in range(2000)]
    for kind, weight in zip(td.KINDS, td.KIND_WEIGHTS):
        assert abs(drawn.count(kind) / 2000 - weight) < 0.04
    # and training_sequence uses exactly this draw
    assert [small(s, frames=2).kind for s in range(6)] == drawn[:6]


def test_default_size_and_length_are_drawn_in_range():
    sizes = set()
    for seed in range(4):
        seq = td.training_sequence(seed, "fluo-nuclei", frames=3)
        t, h, w = seq.frames.shape
        assert t == 3 and 192 <= w <= 384 and 192 <= h <= 384 and w % 32 == 0 and h % 32 == 0
        sizes.add((w, h))
    assert len(sizes) > 1
    seq = td.training_sequence(1, "phase-contrast", size=(128, 128))
    assert 24 <= seq.frames.shape[0] <= 96


@pytest.mark.parametrize("kind", td.KINDS)
def test_each_kind_renders_with_objects_and_texture(kind):
    seq = small(3, kind)
    rgb = kind == "generic-rgb"
    assert seq.frames.shape == (16, 112, 128) + ((3,) if rgb else ())
    assert seq.frames.dtype == np.float32 and seq.raw.shape == seq.frames.shape
    assert 0 <= seq.frames.min() and seq.frames.max() <= 1
    assert seq.boxes.dtype == np.float32 and seq.boxes.shape[0] == 16 and seq.boxes.shape[2] == 4
    assert seq.parents.shape == (seq.boxes.shape[1],)
    assert np.isfinite(seq.boxes[0, :, 0]).sum() >= 1
    assert seq.frames.std() > 0.03
    # the image differs where the objects are: box interiors vs their surroundings
    contrast = []
    for t in (0, 8, 15):
        f = seq.frames[t].mean(axis=-1) if rgb else seq.frames[t]
        for x, y, w, h in seq.boxes[t]:
            if np.isnan(x) or w < 8 or h < 8:
                continue
            x0, y0, x1, y1 = int(x + w / 4), int(y + h / 4), int(np.ceil(x + 3 * w / 4)), int(np.ceil(y + 3 * h / 4))
            ring = f[max(0, y0 - int(h)):y1 + int(h), max(0, x0 - int(w)):x1 + int(w)]
            contrast.append(abs(f[y0:y1, x0:x1].mean() - ring.mean()))
    assert contrast and np.median(contrast) > 0.01


def test_bad_arguments_are_refused_with_a_message():
    with pytest.raises(ValueError, match="seed"):
        td.training_sequence(-1)
    with pytest.raises(ValueError, match="unknown kind 'nuclei'"):
        td.training_sequence(0, "nuclei")
    with pytest.raises(ValueError, match="size"):
        td.training_sequence(0, size=(64, 300))
    with pytest.raises(ValueError, match="frames"):
        td.training_sequence(0, frames=1)


# -------------------------------------------------------------------------------- ground truth

def test_boxes_lie_inside_the_image_or_are_nan_rows():
    for seed in range(12):
        seq = small(seed, frames=24)
        b = seq.boxes
        nan = np.isnan(b)
        assert (nan.all(axis=-1) == nan.any(axis=-1)).all()
        x, y, w, h = np.moveaxis(b[~nan.any(axis=-1)], -1, 0)
        assert (x >= 0).all() and (y >= 0).all() and (x + w <= SMALL[0] + 1e-4).all() and (y + h <= SMALL[1] + 1e-4).all()
        assert (w >= motion.MIN_VISIBLE_SIDE).all() and (h >= motion.MIN_VISIBLE_SIDE).all()


@pytest.mark.parametrize("harmonics,power", [
    (np.zeros((4, 2)), 2.0),
    (np.array([[0.15, -0.05], [0.0, 0.08], [0.04, 0.0], [0.0, 0.02]]), 2.0),
    (np.zeros((4, 2)), 6.0),  # a rounded rectangle
])
def test_box_is_the_rendered_outline(harmonics, power):
    obj = motion.SceneObjects(cx=np.array([[40.3]]), cy=np.array([[37.8]]), a=np.array([[16.0]]), b=np.array([[9.0]]),
                              angle=np.array([[0.7]]), harmonics=harmonics[None, None], alive=np.array([[True]]),
                              mitosis=np.zeros((1, 1)), parents=np.array([-1]), twin_of=np.array([-1]),
                              stage=np.zeros((1, 2)), power=np.array([power]))
    look = render.Appearance("fluorescence", 1, 0.8, np.array([1.0]), np.array([0.0]),
                             [np.zeros((render.TILE, render.TILE), np.float32)], [np.zeros((0, 4))], dome=0.0)
    image, cover, visibility = render.render_objects(obj, look, 80, 76, np.zeros(1), np.ones((1, 1)))
    image = image[0]
    assert cover is None and visibility.shape == (1, 1) and abs(visibility[0, 0] - 1) < 1e-6
    ys, xs = np.nonzero(image >= 0.5)
    x, y, w, h = motion.visible_boxes(obj, 80, 76)[0, 0]
    assert abs(xs.min() + 0.5 - x) <= 1.0 and abs(xs.max() + 0.5 - (x + w)) <= 1.0
    assert abs(ys.min() + 0.5 - y) <= 1.0 and abs(ys.max() + 0.5 - (y + h)) <= 1.0


def _division_sequences(count):
    found = []
    for seed in range(200):
        seq = small(seed, "fluo-nuclei", frames=40)
        if (seq.parents >= 0).any():
            found.append(seq)
            if len(found) == count:
                return found
    return found


def test_divisions_end_the_mother_and_start_two_daughters_next_to_it():
    checked = 0
    for seq in _division_sequences(4):
        present = np.isfinite(seq.boxes[..., 0])
        for mother in np.unique(seq.parents[seq.parents >= 0]):
            daughters = np.flatnonzero(seq.parents == mother)
            assert len(daughters) == 2
            born = [np.flatnonzero(present[:, d]) for d in daughters]
            alive_m = np.flatnonzero(present[:, mother])
            if not all(len(b) for b in born) or not len(alive_m) or born[0][0] != born[1][0]:
                continue  # a division partly outside the field
            start = born[0][0]
            assert alive_m[-1] == start - 1  # the mother's box ends the frame before
            assert not present[start:, mother].any() and not present[:start, daughters].any()
            mx, my, mw, mh = seq.boxes[start - 1, mother]
            if min(mx, my, SMALL[0] - mx - mw, SMALL[1] - my - mh) < 1:
                continue  # clipped by the border
            for d in daughters:
                x, y, w, h = seq.boxes[start, d]
                assert np.hypot(x + w / 2 - mx - mw / 2, y + h / 2 - my - mh / 2) < max(mw, mh)
                assert w * h < mw * mh
            checked += 1
    assert checked >= 2


def test_objects_enter_and_leave_the_field():
    entering = leaving = at_border = 0
    for seed in range(30):
        seq = small(seed, frames=32)
        present = np.isfinite(seq.boxes[..., 0])
        for k in range(present.shape[1]):
            idx = np.flatnonzero(present[:, k])
            if not len(idx) or seq.parents[k] >= 0:
                continue
            divides = (seq.parents == k).any()
            if idx[0] > 0:
                entering += 1
                x, y, w, h = seq.boxes[idx[0], k]
                at_border += min(x, y, SMALL[0] - x - w, SMALL[1] - y - h) < 2
            if idx[-1] < 31 and not divides:
                leaving += 1
    # most appear at the border (fast movers can be further in by the first frame they count as present)
    assert entering >= 3 and leaving >= 3 and at_border >= 0.7 * entering


def test_twins_start_in_contact_and_look_alike():
    style = kinds.motion_style("fluo-nuclei", 256, 256, 10, np.random.default_rng(0))
    style.twins, style.count, style.entering, style.division_fraction = 1.0, 4, 0, 0.0
    obj = motion.simulate(style, 256, 256, 10, np.random.default_rng(1))
    twins = np.flatnonzero(obj.twin_of >= 0)
    assert len(twins) == 4
    look = kinds.appearance("fluo-nuclei", obj, np.random.default_rng(2))
    for k in twins:
        j = obj.twin_of[k]
        gap = np.hypot(obj.cx[k, 0] - obj.cx[j, 0], obj.cy[k, 0] - obj.cy[j, 0])
        assert gap < 1.3 * (obj.a[k, 0] + obj.a[j, 0])
        assert look.tiles[k] is look.tiles[j] and abs(look.level[k] / look.level[j] - 1) < 0.11


def test_motion_spans_slow_drift_to_fast_jumps():
    speeds = []
    for seed in range(40):
        seq = small(seed, frames=12)
        c = seq.boxes[..., :2] + seq.boxes[..., 2:] / 2
        step = np.linalg.norm(np.diff(c, axis=0), axis=-1)
        if np.isfinite(step).any():
            speeds.append(np.nanmedian(step))
    assert min(speeds) < 0.5 and max(speeds) > 4


def test_objects_grow_and_shrink_in_generic_scenes():
    style = kinds.motion_style("generic-grey", 256, 256, 60, np.random.default_rng(3))
    style.scale_drift, style.size_change, style.division_fraction = 0.012, 0.0, 0.0
    obj = motion.simulate(style, 256, 256, 60, np.random.default_rng(4))
    change = np.log(obj.a[:, -1] / obj.a[:, 0])
    assert np.abs(change).max() > np.log(1.25) and np.abs(change).max() <= np.log(1.6) + 1e-9
    steps = np.abs(np.diff(np.log(obj.a), axis=1))
    assert steps.max() < 0.02  # steady, not jumpy


# ------------------------------------------------------------------------ intensities and camera

def reference_normalisation(raw):
    """Straight from IntensityNormalizer's description: sorted values of the reference frames."""
    n = raw.shape[0]
    refs = sorted({k * (n - 1) // 4 for k in range(5)})
    s = np.sort(raw[refs].astype(np.float32).ravel())
    lo, hi = s[int(np.floor((s.size - 1) * 0.005))], s[int(np.ceil((s.size - 1) * 0.995))]
    return float(lo), float(hi)


def test_reference_frames_are_the_engines():
    assert td.reference_frames(92) == [0, 22, 45, 68, 91]
    assert td.reference_frames(1) == [0] and td.reference_frames(3) == [0, 1, 2]


@pytest.mark.parametrize("bits", [8, 16])
def test_camera_bit_depth_and_engine_normalisation(bits):
    seq = small(5, "fluo-nuclei", frames=13, bits=bits)
    assert seq.bits == bits and seq.raw.dtype == (np.uint8 if bits == 8 else np.uint16)
    if bits == 16:  # a camera offset of 50-500 ADU under the signal
        assert 40 <= np.median(seq.raw) and seq.raw.max() <= 65535
    low, high = reference_normalisation(seq.raw)
    assert td.engine_normalisation(seq.raw) == (low, high)
    expected = np.clip((seq.raw.astype(np.float64) - low) / (high - low), 0, 1)
    assert np.abs(seq.frames - expected).max() < 1e-5
    ref = seq.raw[td.reference_frames(13)]
    assert (ref < low).mean() <= 0.005 and (ref > high).mean() <= 0.005


def test_rgb_channels_share_one_map():
    seq = small(2, "generic-rgb")
    low, high = td.engine_normalisation(seq.raw)
    assert np.abs(seq.frames - np.clip((seq.raw.astype(np.float64) - low) / (high - low), 0, 1)).max() < 1e-5


def test_both_bit_depths_and_a_wide_snr_range_are_drawn():
    seqs = [small(s, frames=4) for s in range(60)]
    snr = np.array([s.snr for s in seqs])
    assert snr.min() < 2 and snr.max() > 40
    assert {s.bits for s in seqs} == {8, 16}


def _high_pass_noise(frames):
    f = frames.astype(np.float64)
    lap = 4 * f[:, 1:-1, 1:-1] - f[:, :-2, 1:-1] - f[:, 2:, 1:-1] - f[:, 1:-1, :-2] - f[:, 1:-1, 2:]
    return np.median(np.abs(lap))


def test_noise_in_the_frames_follows_the_snr():
    seqs = sorted((small(s, "fluo-nuclei", frames=4) for s in range(40)), key=lambda s: s.snr)
    low, high = seqs[:4], seqs[-4:]
    assert max(s.snr for s in low) < 5 < 20 < min(s.snr for s in high)
    assert min(_high_pass_noise(s.frames) for s in low) > 2 * max(_high_pass_noise(s.frames) for s in high)


def test_camera_noise_mean_and_variance():
    rng = np.random.default_rng(0)
    lam = np.repeat(np.array([0.5, 3.0, 30.0, 800.0], dtype=np.float32), 200_000).reshape(4, 200_000, 1)
    raw = render.camera(lam, read_noise=2.0, bits=16, fill=0.5, offset=1000, rng=rng, full_scale=65535)
    gain = 0.5 * (65535 - 1000) / 800.0
    e = (raw.astype(np.float64) - 1000) / gain
    for i, l in enumerate([0.5, 3.0, 30.0, 800.0]):
        assert abs(e[i].mean() - l) < 0.02 * l + 0.05
        assert abs(e[i].var() / (l + 4 + 0.25) - 1) < 0.05


def _objects(cx, cy, a, b):
    """SceneObjects of plain ellipses: arrays [K, T]."""
    k, t = np.shape(cx)
    return motion.SceneObjects(cx=np.asarray(cx, float), cy=np.asarray(cy, float), a=np.asarray(a, float),
                               b=np.asarray(b, float), angle=np.zeros((k, t)), harmonics=np.zeros((k, t, 4, 2)),
                               alive=np.ones((k, t), bool), mitosis=np.zeros((k, t)), parents=np.full(k, -1),
                               twin_of=np.full(k, -1), stage=np.zeros((t, 2)))


def test_visibility_counts_the_image_border_and_objects_in_front():
    # frame 0: apart, fully inside; frame 1: object 0 half outside on the left; frame 2: object 1 over object 0
    obj = _objects([[30, 0, 50], [60, 60, 50]], [[30, 30, 30], [30, 30, 30]], [[8] * 3, [14] * 3], [[6] * 3, [12] * 3])
    flat = np.full((render.TILE, render.TILE), 0.5, np.float32)
    generic = render.Appearance("generic", 1, 0.7, np.ones(2), np.zeros(2), [flat, flat], [np.zeros((0, 4))] * 2,
                                extra={"colours": [(np.array([0.2], np.float32), np.array([0.2], np.float32)),
                                                   (np.array([0.9], np.float32), np.array([0.9], np.float32))]})
    layer, cover, vis = render.render_objects(obj, generic, 100, 60, np.zeros(3), np.ones((2, 3)))
    assert np.allclose(vis[:, 0], 1, atol=1e-5) and np.allclose(vis[1], 1, atol=1e-5)
    assert abs(vis[0, 1] - 0.5) < 0.02 and vis[0, 2] < 1e-3
    # premultiplied colour over a background: the front object's colour where it is, background elsewhere
    image = layer + (1 - cover) * 0.5
    assert abs(image[2, 30, 50] - 0.9) < 1e-5 and abs(image[2, 5, 5] - 0.5) < 1e-6 and abs(image[0, 30, 30] - 0.2) < 1e-5
    # fluorescence: objects add up, only the border hides them
    fluo = render.Appearance("fluorescence", 1, 0.7, np.ones(2), np.zeros(2), [flat, flat], [np.zeros((0, 4))] * 2)
    _, cover, vis = render.render_objects(obj, fluo, 100, 60, np.zeros(3), np.ones((2, 3)))
    assert cover is None and abs(vis[0, 1] - 0.5) < 0.02 and abs(vis[0, 2] - 1) < 1e-5


def test_sequence_visibility_matches_its_boxes():
    for seed in range(6):
        seq = small(seed, "generic-grey" if seed % 2 else "fluo-cells")
        assert seq.visible.shape == seq.boxes.shape[:2] and seq.visible.dtype == np.float32
        absent = np.isnan(seq.boxes[..., 0])
        assert (seq.visible[absent] == 0).all() and (seq.visible <= 1 + 1e-5).all()
        if seq.kind == "fluo-cells":  # nothing hides a present object but the border
            assert (seq.visible[~absent] > 0.2).all()
        else:
            assert (seq.visible[~absent] > 0).mean() > 0.8


def test_background_follows_the_stage_with_subpixel_shifts():
    m = 3
    yy, xx = np.mgrid[0:20 + 2 * m, 0:30 + 2 * m].astype(np.float32)
    field = xx + 10 * yy  # linear: bilinear interpolation is exact
    stage = np.array([[0.0, 0.0], [1.25, -0.5], [-2.0, 2.75]])
    out = render.crop_stage(field, m, stage, 30, 20)
    y, x = np.mgrid[0:20, 0:30]
    for t, (sx, sy) in enumerate(stage):
        assert np.allclose(out[t], (m + x - sx) + 10 * (m + y - sy), atol=1e-4)
    with pytest.raises(ValueError, match="margin"):
        render.crop_stage(field, m, np.array([[3.5, 0.0]]), 30, 20)


def test_hot_pixels_are_static_and_bright():
    raw = np.full((5, 40, 50), 100, np.uint16)
    xy = render.add_hot_pixels(raw, 6, 4095, np.random.default_rng(0))
    hot = np.zeros((40, 50), bool)
    hot[xy[:, 1], xy[:, 0]] = True
    assert (raw[:, ~hot] == 100).all() and (raw[:, hot] >= 100 + 0.3 * 4095).all() and raw.max() <= 4095
    assert (raw == raw[0]).all()  # the same in every frame
    counts = [small(seed, "fluo-cells", frames=3).info["hot_pixels"] for seed in range(40)]
    assert 0.1 < np.mean(np.array(counts) > 0) < 0.5


def test_photobleaching_and_focus_drift_dim_the_objects():
    obj = motion.SceneObjects(cx=np.array([[30.0, 30.0]]), cy=np.array([[30.0, 30.0]]), a=np.full((1, 2), 12.0),
                              b=np.full((1, 2), 9.0), angle=np.zeros((1, 2)), harmonics=np.zeros((1, 2, 4, 2)),
                              alive=np.ones((1, 2), bool), mitosis=np.zeros((1, 2)), parents=np.array([-1]),
                              twin_of=np.array([-1]), stage=np.zeros((2, 2)))
    look = render.Appearance("fluorescence", 1, 0.8, np.array([1.0]), np.array([0.3]),
                             [render.texture_tile(np.random.default_rng(0), "fractal", 0.5)], [np.zeros((0, 4))])
    sharp = render.render_objects(obj, look, 60, 60, np.zeros(2), np.ones((1, 2)))[0]
    blurred = render.render_objects(obj, look, 60, 60, np.array([0.0, 1.0]), np.array([[1.0, 0.5]]))[0]
    assert np.array_equal(sharp[0], blurred[0])
    assert blurred[1].max() < 0.4 * sharp[1].max()
    # defocus: a wider edge (more pixels between 10 % and 90 % of the peak)
    edge = lambda im: ((im > 0.1 * im.max()) & (im < 0.9 * im.max())).sum()
    assert edge(blurred[1]) > 1.5 * edge(sharp[1])


# ----------------------------------------------------------------------------- seeds and files

def test_validation_seeds_are_disjoint_from_training_seeds():
    seeds = td.validation_seeds(100)
    assert seeds[0] == 10 ** 9 and len(set(seeds)) == 100 and min(seeds) >= td.TRAINING_SEED_LIMIT


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "prdimp.procedural", *args], cwd=MODELS,
                          capture_output=True, text=True, timeout=120)


def test_validation_set_cli_writes_the_held_out_sequences(tmp_path):
    out = tmp_path / "val"
    r = run_cli(str(out), "--validation-set", "3", "--size", "128", "112", "--frames", "10")
    assert r.returncode == 0, r.stderr
    index = open(out / "index.csv").read().splitlines()
    assert index[0] == "folder,seed,kind,frames,width,height,bits,snr,tracks,divisions" and len(index) == 4
    for line, seed in zip(index[1:], td.validation_seeds(3)):
        folder, s, kind = line.split(",")[:3]
        seq = td.training_sequence(seed, size=(128, 112), frames=10)
        assert int(s) == seed and kind == seq.kind and folder.endswith(kind)
        stack = sequence_io.read_tiff(str(out / folder / "sequence.tif"))
        assert np.array_equal(stack, seq.raw)
        back = sequence_io.read_groundtruth_csv(str(out / folder / "groundtruth.csv"))
        for tid, boxes in back.items():
            truth = seq.boxes[:len(boxes), tid - 1]
            assert np.array_equal(np.isnan(boxes), np.isnan(truth))
            assert np.nanmax(np.abs(boxes - truth)) <= 5e-4 + 1e-6
        lineage = open(out / folder / "lineage.csv").read().splitlines()
        assert lineage[0] == "track_id,first_frame,last_frame,parent_id" and len(lineage) == 1 + len(back)


def test_kind_preset_cli_writes_rgb_and_lineage(tmp_path):
    r = run_cli(str(tmp_path), "--preset", "generic-rgb", "--seed", "4", "--size", "128", "96", "--frames", "6")
    assert r.returncode == 0, r.stderr
    assert "RGB" in r.stdout and "kind generic-rgb, seed 4" in r.stdout
    stack = sequence_io.read_tiff(str(tmp_path / "sequence.tif"))
    assert stack.shape == (6, 96, 128, 3) and stack.dtype == np.uint8
    assert np.array_equal(stack, td.training_sequence(4, "generic-rgb", (128, 96), 6).raw)
    assert (tmp_path / "lineage.csv").exists()


@pytest.mark.parametrize("args,message", [
    (["--preset", "fluo-cells", "--objects", "3"], "--objects applies"),
    (["--preset", "brightfield", "--size", "64", "64"], "at least 96"),
    (["--validation-set", "0"], "must be at least 1"),
    (["--validation-set", "2", "--seed", "5"], "--seed do(es) not apply"),
])
def test_kind_cli_bad_arguments_give_a_one_line_error(tmp_path, args, message):
    r = run_cli(str(tmp_path / "out"), *args)
    assert r.returncode == 2
    errors = [line for line in r.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and message in errors[0]
    assert not (tmp_path / "out").exists()


def test_speed_report():
    """Not an assertion: prints CPU seconds per 64-frame 256 x 256 sequence of each kind (pytest -s);
    the full benchmark is `python3 -m prdimp.procedural.training_sequences`."""
    print("\n" + "\n".join(td.benchmark(count=1)))

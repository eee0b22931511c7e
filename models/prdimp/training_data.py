"""Procedural training and validation sequences for the tracker, one seed each.

    from prdimp.synthetic import training_sequence, validation_seeds, KINDS   # or prdimp.training_data
    seq = training_sequence(seed, kind=None, size=None, frames=None)

`seq.frames`: float32 [T, H, W] (grey) or [T, H, W, 3] (kind generic-rgb) in [0, 1], normalised
exactly as the Java engine normalises a file (`NormalizedFrames` + `IntensityNormalizer`): one linear
map per sequence, (v - p0.5) / (p99.5 - p0.5) clamped to [0, 1], the percentiles taken over the
raw values of the reference frames floor(k (T - 1) / 4), k = 0..4 (channels share the map).
`seq.boxes`: float32 [T, K, 4] ground truth (x, y, w, h), top-left corner, pixels (pixel i covers
[i, i+1)), clipped to the image; a NaN row where object k is absent from frame t (not born yet,
divided, or mostly outside the field). `seq.parents`: int [K], the mother's index for the two
daughters of a division (the mother's row ends, the daughters' start the next frame), -1 otherwise.
`seq.visible`: float32 [T, K], the fraction of object k's (soft) area seen in frame t: inside the
image and, in generic scenes, not hidden by objects in front (0 on NaN rows; microscopy objects
add up rather than hide each other).
`seq.raw`: the camera's integer stack (uint8 or uint16; what a TIFF holds), `seq.bits`,
`seq.snr` (object contrast over the background noise std), `seq.info` (the drawn settings).

Kinds (`KINDS`), drawn with `KIND_WEIGHTS` when kind is None (80 % microscopy, 20 % generic):
- fluo-nuclei: soft-edged textured ellipses with nucleoli/foci, PSF-like soft edges, dark
  background with haze, out-of-focus blobs and debris, photobleaching;
- fluo-cells: irregular deforming whole cells with a brighter or darker nucleus;
- phase-contrast: dark cells with bright halos on grey, rounding up bright before dividing;
- brightfield: low-contrast cells with a rim whose sign flips with defocus, dust rings;
- generic-grey, generic-rgb: textured objects (fractal, stripes, checker, blobs) composited in
  depth order over a textured background, camera pan.
Every kind draws: size (any aspect) 192-384 px and 24-96 frames unless given; object size
15-80 px; crowding from a few objects to dense fields; look-alike twins starting in contact;
motion from slow drift to fast jumps with inertia, rotation and deformation; stage drift and
jitter; objects entering and leaving the field; divisions (microscopy); uneven illumination;
focus drift (dimming and blur); 8-bit (few grey levels to saturation) or 16-bit (12- or 16-bit
full scale) cameras with Poisson-Gaussian noise over a wide SNR range (log-uniform 1.5 to 150;
generic 4 to 150).

Seeds: training uses seeds in [0, TRAINING_SEED_LIMIT); `validation_seeds(n)` are 10^9 + i,
disjoint from them. The result depends only on (seed, kind, size, frames), and kind=None gives the
same sequence as kind=training_sequence(seed).kind. The kind, size and frame count are drawn
from their own streams, so fixing some of them leaves the others as drawn.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

from prdimp import scene_motion as motion
from prdimp import scene_render as render

KINDS: Tuple[str, ...] = ("fluo-nuclei", "fluo-cells", "phase-contrast", "brightfield", "generic-grey", "generic-rgb")
KIND_WEIGHTS: Tuple[float, ...] = (0.32, 0.20, 0.16, 0.12, 0.10, 0.10)
TRAINING_SEED_LIMIT = 10 ** 6
VALIDATION_SEED_BASE = 10 ** 9
MIN_SIDE = 96
SNR_RANGE = (1.5, 150.0)          # log-uniform; object contrast over the background noise std
GENERIC_SNR_RANGE = (4.0, 150.0)
# the engine's normalisation (org.prdimp.fiji.io.NormalizedFrames, org.prdimp.fiji.engine.IntensityNormalizer)
LOW_PERCENTILE, HIGH_PERCENTILE = 0.5, 99.5
MAX_SAMPLES = 1 << 20
EXTRA_REFERENCE_FRAMES = 4


@dataclass
class TrainingSequence:
    frames: np.ndarray   # float32 [T, H, W] or [T, H, W, 3], in [0, 1]
    boxes: np.ndarray    # float32 [T, K, 4], NaN rows for absent objects
    kind: str
    seed: int
    parents: np.ndarray = None   # int32 [K]
    visible: np.ndarray = None   # float32 [T, K]
    raw: np.ndarray = None       # uint8 / uint16, same shape as frames
    bits: int = 8
    snr: float = 0.0
    info: Dict[str, float] = field(default_factory=dict)


def validation_seeds(count: int = 64) -> List[int]:
    """The held-out seeds 10^9 .. 10^9 + count - 1 (training uses seeds below 10^6)."""
    return [VALIDATION_SEED_BASE + i for i in range(count)]


def _loguniform(rng, lo, hi):
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def electrons_for_snr(snr: float, contrast: float, background: float, read: float) -> float:
    """Electrons per unit of relative intensity such that an object of relative contrast `contrast`
    over a background of relative level `background` stands `snr` noise std above it:
    s c / sqrt(s b + read^2) = snr."""
    a = snr * snr
    return (a * background + np.sqrt((a * background) ** 2 + 4 * contrast ** 2 * a * read ** 2)) / (2 * contrast ** 2)


def _maybe(rng, p, value, otherwise=0.0):
    return value if rng.random() < p else otherwise


# ------------------------------------------------------------------------------ normalisation

def reference_frames(frame_count: int) -> List[int]:
    """The engine's reference frames: floor(k (n - 1) / 4) for k = 0..4, without repeats."""
    out = []
    for k in range(EXTRA_REFERENCE_FRAMES + 1):
        i = k * (frame_count - 1) // EXTRA_REFERENCE_FRAMES
        if i not in out:
            out.append(i)
    return out


def engine_normalisation(raw: np.ndarray) -> Tuple[float, float]:
    """(low, high) raw values that the Java engine maps to 0 and 1 for this [T, H, W(, C)] stack."""
    refs = reference_frames(raw.shape[0])
    channels = raw.shape[3] if raw.ndim == 4 else 1
    per_plane = MAX_SAMPLES // (EXTRA_REFERENCE_FRAMES + 1) // channels
    planes = []
    for i in refs:
        for c in range(channels):
            p = (raw[i, ..., c] if channels > 1 else raw[i]).ravel()
            if p.size > per_plane:
                p = p[::-(-p.size // per_plane)]
            planes.append(p)
    total = sum(p.size for p in planes)
    step = max(1, -(-total // MAX_SAMPLES))
    values = np.concatenate([p[::step] for p in planes]).astype(np.float32)
    n = values.size
    lo_i = int(np.floor((n - 1) * LOW_PERCENTILE / 100.0))
    hi_i = int(np.ceil((n - 1) * HIGH_PERCENTILE / 100.0))
    part = np.partition(values, [0, lo_i, hi_i, n - 1])
    low, high = float(part[lo_i]), float(part[hi_i])
    if high <= low:
        low, high = float(part[0]), float(part[n - 1])
    return low, high


def normalise_like_engine(raw: np.ndarray) -> np.ndarray:
    """float32 frames in [0, 1], as the engine would feed them to the network."""
    low, high = engine_normalisation(raw)
    scale = np.float32(1.0 / (high - low) if high > low else 1.0)
    out = (raw.astype(np.float32) - np.float32(low)) * scale
    return np.clip(out, 0, 1, out=out)


# ------------------------------------------------------------------------------- kind settings

def motion_style(kind: str, width: int, height: int, frames: int, rng: np.random.Generator) -> motion.MotionStyle:
    generic = kind.startswith("generic")
    side = min(width, height)
    size = _loguniform(rng, 15.0, max(16.0, min(80.0 if not generic else 90.0, side / 3.2)))
    aspect = {"fluo-nuclei": (0.55, 0.95), "fluo-cells": (0.4, 0.9), "phase-contrast": (0.35, 0.9),
              "brightfield": (0.4, 0.95)}.get(kind, (0.3, 1.0))
    irregular = {"fluo-nuclei": (0.0, 0.07), "fluo-cells": (0.08, 0.3), "phase-contrast": (0.05, 0.3),
                 "brightfield": (0.03, 0.2)}.get(kind, (0.0, 0.35))
    deform = {"fluo-nuclei": (0.0, 0.05), "fluo-cells": (0.03, 0.2)}.get(kind, (0.0, 0.12))
    coverage = _loguniform(rng, 0.01, 0.5 if kind in ("fluo-cells", "phase-contrast") else 0.35)
    mean_area = np.pi / 4 * size * size * np.mean(aspect)
    count = int(np.clip(round(coverage * width * height / mean_area), 1, 60))
    speed = _loguniform(rng, 0.5, 14.0) if generic else _loguniform(rng, 0.1, 9.0)
    return motion.MotionStyle(
        size=size, size_spread=rng.uniform(0.05, 0.3), aspect=aspect,
        irregularity=rng.uniform(*irregular), deformation=rng.uniform(*deform),
        size_change=rng.uniform(0.0, 0.12), rotation=np.deg2rad(_loguniform(rng, 0.1, 4.0)),
        count=count, twins=rng.uniform(0.0, 0.4),
        speed=speed, speed_spread=rng.uniform(0.1, 0.6), inertia=rng.uniform(0.5, 0.95),
        turn=rng.uniform(0.03, 0.4),
        jump_probability=_maybe(rng, 0.5, _loguniform(rng, 0.003, 0.06)), jump_size=rng.uniform(0.2, 1.0),
        repulsion=rng.uniform(0.0, 0.8), leave_fraction=rng.uniform(0.0, 0.6),
        entering=int(rng.poisson(frames / 40 * rng.uniform(0, 2.5))),
        division_fraction=0.0 if generic else _maybe(rng, 0.65, rng.uniform(0.05, 0.6)),
        stage_speed=_maybe(rng, 0.6 if generic else 0.4, _loguniform(rng, 0.1, 3.0 if generic else 1.0)),
        stage_jitter=_maybe(rng, 0.5, rng.uniform(0.0, 0.8)),
        stage_jump_probability=_maybe(rng, 0.2, rng.uniform(0.005, 0.03)))


def _inherit(values: list, obj: motion.SceneObjects, rng, jitter=None):
    """Twins and daughters look like their partner / mother."""
    for k in range(obj.count):
        j = obj.twin_of[k] if obj.twin_of[k] >= 0 else obj.parents[k]
        if j >= 0:
            values[k] = values[j] if jitter is None else jitter(values[j])
    return values


def appearance(kind: str, obj: motion.SceneObjects, rng: np.random.Generator) -> render.Appearance:
    k = obj.count
    hetero = rng.uniform(0.03, 0.5)
    level = np.exp(hetero * rng.standard_normal(k))
    level = np.array(_inherit(list(level), obj, rng, lambda v: v * rng.uniform(0.9, 1.1)))
    tex_amp = np.full(k, rng.uniform(0.05, 0.5)) * rng.uniform(0.7, 1.3, size=k)
    roughness = rng.uniform(0.1, 1.0)
    if kind.startswith("generic"):
        channels = 3 if kind == "generic-rgb" else 1
        background = [_colour(rng, channels) for _ in range(4)]
        colours = [(_colour(rng, channels, background), _colour(rng, channels)) for _ in range(k)]
        tiles = _inherit([_mix_tile(rng) for _ in range(k)], obj, rng)
        return render.Appearance("generic", channels, rng.uniform(0.4, 1.5), level, tex_amp, tiles,
                                 [np.zeros((0, 4))] * k,
                                 extra={"colours": _inherit(colours, obj, rng), "background": background})
    tiles = _inherit([render.texture_tile(rng, "fractal", roughness) for _ in range(k)], obj, rng)
    spots = _inherit([_spots(kind, rng) for _ in range(k)], obj, rng)
    softness = rng.uniform(0.5, 2.0)
    if kind == "fluo-nuclei":
        return render.Appearance("fluorescence", 1, softness, level, tex_amp, tiles, spots,
                                 dome=rng.uniform(0.0, 0.4), mitosis_gain=rng.uniform(0.2, 1.2))
    if kind == "fluo-cells":
        mode = rng.integers(3)
        ratio = [rng.uniform(0.15, 0.7), rng.uniform(1.4, 3.0), 1.0][mode]
        nuc = np.stack([rng.uniform(-0.25, 0.25, k), rng.uniform(-0.25, 0.25, k), rng.uniform(0.3, 0.55, k),
                        np.full(k, ratio) * rng.uniform(0.85, 1.15, k)], axis=1)
        nuc = np.array(_inherit(list(nuc), obj, rng))
        return render.Appearance("fluorescence", 1, softness, level, tex_amp, tiles, spots, nucleus=nuc,
                                 dome=rng.uniform(0.0, 0.3), mitosis_gain=rng.uniform(0.0, 0.6))
    if kind == "phase-contrast":
        return render.Appearance("phase", 1, rng.uniform(0.5, 1.3), level * rng.uniform(0.1, 0.45),
                                 tex_amp * 1.3, tiles, spots,
                                 halo=(rng.uniform(0.5, 2.5), rng.uniform(1.0, 3.0), rng.uniform(0.15, 0.6)))
    sign = rng.choice([-1.0, 1.0])
    return render.Appearance("brightfield", 1, rng.uniform(0.5, 1.3), sign * level * rng.uniform(0.02, 0.15),
                             tex_amp * 2.5, tiles, spots, rim=(rng.uniform(0.8, 2.5), rng.uniform(0.05, 0.35)))


def _spots(kind: str, rng) -> np.ndarray:
    """Nucleoli, foci or granules: [n, 4] u, v, sigma (normalised radii), amplitude."""
    n = int(rng.integers(0, 5))
    if kind == "fluo-nuclei" and rng.random() < 0.3:  # bright foci
        sig, amp = (0.04, 0.09), (0.5, 2.0)
    elif kind == "fluo-nuclei":                        # nucleoli, darker or brighter
        sig, amp = (0.08, 0.2), (-0.5, 0.8)
    else:                                              # granules
        sig, amp = (0.05, 0.12), (-0.6, 0.9)
    r = 0.55 * np.sqrt(rng.random(n))
    th = rng.uniform(0, 2 * np.pi, n)
    return np.stack([r * np.cos(th), r * np.sin(th), rng.uniform(*sig, n), rng.uniform(*amp, n)], axis=1)


def _mix_tile(rng) -> np.ndarray:
    """A generic texture as mixing weights in [0, 1] between two colours: [TILE, TILE]."""
    pattern = rng.choice(["fractal", "stripes", "checker", "blobs"], p=[0.4, 0.2, 0.15, 0.25])
    t = render.texture_tile(rng, str(pattern), rng.uniform(0.1, 1.0))
    return (1 / (1 + np.exp(-rng.uniform(0.5, 3.0) * t))).astype(np.float32)


def _colour(rng, channels: int, avoid=(), distance: float = 0.3) -> np.ndarray:
    """A random colour (or grey level) at least `distance` (max over channels) from those in `avoid`
    when one is found in 20 tries."""
    for _ in range(20):
        c = rng.random(channels).astype(np.float32)
        if all(np.abs(c - a).max() >= distance for a in avoid):
            break
    return c


def colour_pair_image(mix: np.ndarray, pair) -> np.ndarray:
    """[..., C] colours (C = 1 squeezed) from mixing weights and a colour pair."""
    c1, c2 = pair
    out = c1 + (c2 - c1) * mix[..., None]
    return out[..., 0] if out.shape[-1] == 1 else out


# ------------------------------------------------------------------------------------- scenes

def _focus(rng, frames: int, probability: float) -> np.ndarray:
    if rng.random() >= probability:
        return np.zeros(frames, dtype=np.float32)
    curve = render.smooth_curve(rng, frames, rng.uniform(10, 60))
    return np.clip(np.abs(curve) * rng.uniform(0.3, 1.2), 0, 1).astype(np.float32)


def _bleach(rng, frames: int, count: int) -> Tuple[np.ndarray, float]:
    loss = _maybe(rng, 0.7, rng.uniform(0.05, 0.75))
    rate = -np.log(1 - loss) / max(frames - 1, 1)
    per_object = rate * rng.uniform(0.8, 1.2, size=(count, 1))
    return np.exp(-per_object * np.arange(frames)).astype(np.float32), rate


def render_scene(kind: str, obj: motion.SceneObjects, look: render.Appearance, width: int, height: int,
                 rng: np.random.Generator) -> Tuple[np.ndarray, np.ndarray, float, Dict[str, float]]:
    """Expected photo-electrons [T, H, W(, C)] (float32), the objects' visibility [K, T], the scene's
    SNR and its settings."""
    frames = obj.cx.shape[1]
    margin = int(np.ceil(np.abs(obj.stage).max())) + 2
    bh, bw = height + 2 * margin, width + 2 * margin
    generic = look.modality == "generic"
    focus = _focus(rng, frames, 0.15 if generic else 0.35)
    fade, bleach_rate = _bleach(rng, frames, obj.count) if look.modality == "fluorescence" else \
        (np.ones((obj.count, frames), np.float32), 0.0)
    read = rng.uniform(0.5, 6.0)
    fluorescence = look.modality == "fluorescence"
    illum = render.illumination(rng, height, width, rng.uniform(0.0, 0.5 if fluorescence else 0.2))
    cell = max(bh, bw) / rng.uniform(2, 8)
    info = {"focus_max": float(focus.max()), "bleach_rate": float(bleach_rate), "read_noise": read}
    if look.modality == "fluorescence":
        bg_rel = _loguniform(rng, 0.01, 0.5)
        field = 1 + rng.uniform(0, 0.5) * np.clip(render.fractal(rng, bh, bw, cell), -2, 2)
        blobs = render.gaussian_spots(bh, bw, int(rng.poisson(3)), rng, (8, 30), (0.05, 0.4))
        debris = render.gaussian_spots(bh, bw, int(rng.poisson(bh * bw / 8000)), rng, (0.7, 2.0), (0.1, 0.8))
        drift = 1 + rng.uniform(0, 0.15) * render.smooth_curve(rng, frames, rng.uniform(30, 150))
        bg_fade = np.exp(-0.5 * bleach_rate * np.arange(frames)).astype(np.float32)
        bg = render.crop_stage(bg_rel * field.astype(np.float32), margin, obj.stage, width, height)
        bg *= (drift * bg_fade)[:, None, None]
        bg += render.crop_stage(blobs + debris, margin, obj.stage, width, height) * bg_fade[:, None, None]
        layer, _, visibility = render.render_objects(obj, look, width, height, focus, fade)
        rel = illum * (bg + layer)
        snr = _loguniform(rng, *SNR_RANGE)
        peak_e = electrons_for_snr(snr, float(np.median(look.level)), bg_rel, read)
        info.update(peak_e=peak_e, background=bg_rel)
        return rel * np.float32(peak_e), visibility, snr, info
    if generic:
        channels = look.channels
        pal = look.extra["background"]
        u, v = render.fractal(rng, bh, bw, cell) * 0.6, render.fractal(rng, bh, bw, cell / 2) * 0.6
        big = colour_pair_image(render.sample_tile(_mix_tile(rng), u, v), pal[:2])
        yy, xx = np.mgrid[0:bh, 0:bw] * np.float32(2.6 / max(bh, bw)) - np.float32(1.3)
        zoom = rng.uniform(0.2, 1.0)
        pattern = colour_pair_image(render.sample_tile(_mix_tile(rng), xx * zoom, yy * zoom), pal[2:])
        mask = (render.fractal(rng, bh, bw, cell * 0.7) > rng.uniform(-0.5, 1.5)).astype(np.float32)
        if channels > 1:
            mask = mask[..., None]
        background = big + mask * (pattern - big)
        bg = render.crop_stage(background.astype(np.float32), margin, obj.stage, width, height)
        colour, cover, visibility = render.render_objects(obj, look, width, height, focus, fade)
        if channels > 1:
            cover = cover[..., None]
        lighting = 1 + rng.uniform(0, 0.2) * render.smooth_curve(rng, frames, rng.uniform(20, 100))
        light = (lighting[:, None, None] * illum)
        if channels > 1:
            light = light[..., None]
        snr = _loguniform(rng, *GENERIC_SNR_RANGE)
        peak_e = electrons_for_snr(snr, 0.3, 0.5, read)
        info.update(peak_e=peak_e)
        bg *= 1 - cover  # in place: these stacks are the largest arrays here
        bg += colour
        bg *= light * np.float32(peak_e)
        return bg, visibility, snr, info
    # transmitted light: background near 1, objects change it relatively
    field = 1 + rng.uniform(0, 0.05) * render.fractal(rng, bh, bw, cell)
    if look.modality == "brightfield":
        field += render.gaussian_spots(bh, bw, int(rng.poisson(4)), rng, (3, 12), (-0.1, 0.1), ring=True)
    field += render.gaussian_spots(bh, bw, int(rng.poisson(bh * bw / 10000)), rng, (0.7, 2.5), (-0.3, 0.3))
    bg = render.crop_stage(field.astype(np.float32), margin, obj.stage, width, height)
    layer, _, visibility = render.render_objects(obj, look, width, height, focus, fade)
    flicker = 1 + rng.uniform(0, 0.02) * rng.standard_normal(frames).astype(np.float32)
    rel = illum * bg * np.maximum(1 + layer, 0.02) * flicker[:, None, None]
    snr = _loguniform(rng, *SNR_RANGE)
    contrast = float(np.median(np.abs(look.level))) if look.modality == "phase" else look.rim[1]
    base_e = electrons_for_snr(snr, contrast, 1.0, read)
    info.update(base_e=base_e)
    return rel * np.float32(base_e), visibility, snr, info


# --------------------------------------------------------------------------------- interface

def _check(seed, kind, size, frames):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)} or None")
    if size is not None and (len(size) != 2 or min(size) < MIN_SIDE):
        raise ValueError(f"size must be (width, height) with both at least {MIN_SIDE}, got {size!r}")
    if frames is not None and frames < 2:
        raise ValueError(f"frames must be at least 2, got {frames!r}")


def training_sequence(seed: int, kind: Optional[str] = None, size: Optional[Tuple[int, int]] = None,
                      frames: Optional[int] = None, bits: Optional[int] = None) -> TrainingSequence:
    """One procedural sequence (see the module docstring). size = (width, height) in pixels;
    bits (8 or 16) forces the camera's bit depth (generic-rgb is always 8-bit)."""
    _check(seed, kind, size, frames)
    kind_rng, layout_rng, motion_rng, look_rng, scene_rng, noise_rng = [
        np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(6)]
    drawn_kind = str(kind_rng.choice(KINDS, p=KIND_WEIGHTS))
    side = 32 * int(layout_rng.integers(6, 13))
    other = side if layout_rng.random() < 0.6 else 32 * int(layout_rng.integers(6, 13))
    drawn_frames = int(layout_rng.integers(24, 97))
    kind = kind or drawn_kind
    width, height = (int(size[0]), int(size[1])) if size is not None else (side, other)
    frames = int(frames) if frames is not None else drawn_frames
    style = motion_style(kind, width, height, frames, motion_rng)
    objects = motion.simulate(style, width, height, frames, motion_rng)
    look = appearance(kind, objects, look_rng)
    expected, visibility, snr, info = render_scene(kind, objects, look, width, height, scene_rng)
    drawn_bits = 8 if kind == "generic-rgb" or noise_rng.random() < 0.5 else 16
    bits = 8 if kind == "generic-rgb" else (bits or drawn_bits)
    if bits == 8:
        full, fill, offset = 255, _loguniform(noise_rng, 0.12, 1.3), noise_rng.uniform(0, 15)
    else:
        full = 4095 if noise_rng.random() < 0.5 else 65535
        fill, offset = noise_rng.uniform(0.05, 0.9), noise_rng.uniform(50, 500)
    if kind.startswith("generic"):
        fill, offset = noise_rng.uniform(0.6, 1.0), 0.0
    raw = render.camera(expected, info["read_noise"], bits, fill, offset, noise_rng, full)
    info.update(objects=objects.count, divisions=int((objects.parents >= 0).sum() // 2),
                fill=fill, full_scale=full, **{f"style_{k}": float(v) for k, v in vars(style).items()
                                               if np.isscalar(v)})
    boxes = motion.visible_boxes(objects, width, height)
    visible = np.where(np.isnan(boxes[..., 0]), np.float32(0), visibility.T).astype(np.float32)
    return TrainingSequence(frames=normalise_like_engine(raw), boxes=boxes, kind=kind, seed=int(seed),
                            parents=objects.parents.astype(np.int32), visible=visible, raw=raw, bits=bits,
                            snr=float(snr), info=info)

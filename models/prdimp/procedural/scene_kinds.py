"""Per-kind settings of the procedural training scenes (used by `prdimp.procedural.training_sequences`): what each
kind draws for its objects' geometry and motion (`motion_style`), their look (`appearance`), and
how a scene is composed and lit (`render_scene`: background, illumination, focus drift,
photobleaching, and the signal level that gives the drawn SNR).
"""
from typing import Dict, Tuple

import numpy as np

from . import scene_motion as motion
from . import scene_render as render

SNR_RANGE = (1.5, 150.0)          # log-uniform; object contrast over the background noise std
GENERIC_SNR_RANGE = (4.0, 150.0)


def loguniform(rng, lo, hi):
    """A draw whose logarithm is uniform between log(lo) and log(hi)."""
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def electrons_for_snr(snr: float, contrast: float, background: float, read: float) -> float:
    """Electrons per unit of relative intensity such that an object of relative contrast `contrast`
    over a background of relative level `background` stands `snr` noise std above it:
    s c / sqrt(s b + read^2) = snr."""
    a = snr * snr
    return (a * background + np.sqrt((a * background) ** 2 + 4 * contrast ** 2 * a * read ** 2)) / (2 * contrast ** 2)


def _maybe(rng, p, value, otherwise=0.0):
    """`value` with probability p, else `otherwise`."""
    return value if rng.random() < p else otherwise


# ------------------------------------------------------------------------------- kind settings

def motion_style(kind: str, width: int, height: int, frames: int, rng: np.random.Generator) -> motion.MotionStyle:
    """The sequence's object geometry and motion settings for a kind and image size."""
    generic = kind.startswith("generic")
    side = min(width, height)
    size = loguniform(rng, 15.0, max(16.0, min(80.0 if not generic else 90.0, side / 3.2)))
    aspect = {"fluo-nuclei": (0.55, 0.95), "fluo-cells": (0.4, 0.9), "phase-contrast": (0.35, 0.9),
              "brightfield": (0.4, 0.95)}.get(kind, (0.3, 1.0))
    irregular = {"fluo-nuclei": (0.0, 0.07), "fluo-cells": (0.08, 0.3), "phase-contrast": (0.05, 0.3),
                 "brightfield": (0.03, 0.2)}.get(kind, (0.0, 0.35))
    deform = {"fluo-nuclei": (0.0, 0.05), "fluo-cells": (0.03, 0.2)}.get(kind, (0.0, 0.12))
    coverage = loguniform(rng, 0.01, 0.5 if kind in ("fluo-cells", "phase-contrast") else 0.35)
    mean_area = np.pi / 4 * size * size * np.mean(aspect)
    count = int(np.clip(round(coverage * width * height / mean_area), 1, 60))
    speed = loguniform(rng, 0.5, 14.0) if generic else loguniform(rng, 0.1, 9.0)
    return motion.MotionStyle(
        size=size, size_spread=rng.uniform(0.05, 0.3), aspect=aspect,
        irregularity=rng.uniform(*irregular), deformation=rng.uniform(*deform),
        size_change=rng.uniform(0.0, 0.12), scale_drift=rng.uniform(0.0, 0.012 if generic else 0.004),
        rotation=np.deg2rad(loguniform(rng, 0.1, 4.0)),
        count=count, twins=rng.uniform(0.0, 0.4),
        speed=speed, speed_spread=rng.uniform(0.1, 0.6), inertia=rng.uniform(0.5, 0.95),
        turn=rng.uniform(0.03, 0.4),
        jump_probability=_maybe(rng, 0.5, loguniform(rng, 0.003, 0.06)), jump_size=rng.uniform(0.2, 1.0),
        repulsion=rng.uniform(0.0, 0.8), leave_fraction=rng.uniform(0.0, 0.6),
        entering=int(rng.poisson(frames / 40 * rng.uniform(0, 2.5))),
        division_fraction=0.0 if generic else _maybe(rng, 0.65, rng.uniform(0.05, 0.6)),
        stage_speed=_maybe(rng, 0.6 if generic else 0.4, loguniform(rng, 0.1, 3.0 if generic else 1.0)),
        stage_jitter=_maybe(rng, 0.5, rng.uniform(0.0, 0.8)),
        stage_jump_probability=_maybe(rng, 0.2, rng.uniform(0.005, 0.03)),
        boxy=rng.uniform(0.2, 0.8) if generic else 0.0)


def _inherit(values: list, obj: motion.SceneObjects, rng, jitter=None):
    """Twins and daughters look like their partner / mother."""
    for k in range(obj.count):
        j = obj.twin_of[k] if obj.twin_of[k] >= 0 else obj.parents[k]
        if j >= 0:
            values[k] = values[j] if jitter is None else jitter(values[j])
    return values


def appearance(kind: str, obj: motion.SceneObjects, rng: np.random.Generator) -> render.Appearance:
    """The objects' look for a kind: brightness or contrast, textures, spots, nucleus, modality."""
    k = obj.count
    hetero = rng.uniform(0.03, 0.7)  # brightness spread between objects (log std)
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
                                 extra={"colours": _inherit(colours, obj, rng), "background": background,
                                        "shading": rng.normal(0, 0.2, size=(k, 2))})
    tiles = _inherit([render.texture_tile(rng, "fractal", roughness) for _ in range(k)], obj, rng)
    frames = obj.cx.shape[1]
    flow_speed = rng.uniform(0.0, 0.006)  # the texture inside a cell drifts slowly (normalised units per frame)
    flow = flow_speed * np.cumsum(rng.standard_normal((k, frames, 2)), axis=1)
    spots = _inherit([_spots(kind, rng) for _ in range(k)], obj, rng)
    softness = rng.uniform(0.5, 2.0)
    if kind == "fluo-nuclei":
        return render.Appearance("fluorescence", 1, softness, level, tex_amp, tiles, spots,
                                 dome=rng.uniform(-0.3, 0.4), mitosis_gain=rng.uniform(0.2, 1.2), flow=flow)
    if kind == "fluo-cells":
        mode = rng.integers(3)  # nuclear exclusion, nuclear enrichment, or no visible nucleus
        ratio = [rng.uniform(0.15, 0.7), rng.uniform(1.4, 3.0), 1.0][mode]
        return render.Appearance("fluorescence", 1, softness, level, tex_amp, tiles, spots,
                                 nucleus=_nuclei(obj, rng, ratio), dome=rng.uniform(-0.2, 0.3),
                                 mitosis_gain=rng.uniform(0.0, 0.6), flow=flow)
    if kind == "phase-contrast":
        return render.Appearance("phase", 1, rng.uniform(0.5, 1.3), level * rng.uniform(0.1, 0.45),
                                 tex_amp * 1.3, tiles, spots, nucleus=_nuclei(obj, rng, rng.uniform(0.6, 1.6)),
                                 halo=(rng.uniform(0.5, 2.5), rng.uniform(1.0, 3.0), rng.uniform(0.15, 0.6)), flow=flow)
    sign = rng.choice([-1.0, 1.0])
    return render.Appearance("brightfield", 1, rng.uniform(0.5, 1.3), sign * level * rng.uniform(0.02, 0.15),
                             tex_amp * 2.5, tiles, spots, nucleus=_nuclei(obj, rng, rng.uniform(0.6, 1.6)),
                             rim=(rng.uniform(0.8, 2.5), rng.uniform(0.05, 0.35)), flow=flow)


def _nuclei(obj: motion.SceneObjects, rng, ratio: float) -> np.ndarray:
    """[K, 4] a nucleus inside each cell: centre u, v and radius (normalised), brightness ratio."""
    k = obj.count
    nuc = np.stack([rng.uniform(-0.25, 0.25, k), rng.uniform(-0.25, 0.25, k), rng.uniform(0.3, 0.55, k),
                    np.full(k, ratio) * rng.uniform(0.85, 1.15, k)], axis=1)
    return np.array(_inherit(list(nuc), obj, rng))


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
    """[K, T] photobleaching (exponential, up to 75 % lost) times slow changes of each object's
    expression level (up to about +-25 %), and the mean bleaching rate."""
    loss = _maybe(rng, 0.7, rng.uniform(0.05, 0.75))
    rate = -np.log(1 - loss) / max(frames - 1, 1)
    per_object = rate * rng.uniform(0.8, 1.2, size=(count, 1))
    swing = rng.uniform(0, 0.15)
    expression = np.stack([render.smooth_curve(rng, frames, rng.uniform(20, 80)) for _ in range(count)])
    return np.exp(-per_object * np.arange(frames) + swing * np.clip(expression, -1.5, 1.5)).astype(np.float32), rate


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
        bg_rel = loguniform(rng, 0.01, 0.5)
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
        # the SNR holds at the first frame; bleaching must leave at least SNR_RANGE[0] at the last
        snr = max(loguniform(rng, *SNR_RANGE), SNR_RANGE[0] * float(np.exp(bleach_rate * (frames - 1))))
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
        snr = loguniform(rng, *GENERIC_SNR_RANGE)
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
    snr = loguniform(rng, *SNR_RANGE)
    contrast = float(np.median(np.abs(look.level))) if look.modality == "phase" else look.rim[1]
    base_e = electrons_for_snr(snr, contrast, 1.0, read)
    info.update(base_e=base_e)
    return rel * np.float32(base_e), visibility, snr, info

"""Procedural fluorescence-like time-lapses of nuclei with exact ground-truth boxes: the test
sequences of the Java engine and the plugin's bundled sample. The in-memory API is
`render_sequence(spec, seed)`; the command line (`python3 -m prdimp.procedural`) writes them as
TIFF + CSV (`prdimp.procedural.sequence_io`).

Objects are soft-edged ellipses ("nuclei") with a smooth internal texture, individual brightness,
smooth random motion with inertia and occasional faster moves, slow rotation and size change.
The scene adds uneven illumination, a slowly varying background level, photobleaching, small
untracked distractor spots, Poisson shot noise and Gaussian read noise.

Conventions: boxes are (x, y, w, h) with (x, y) the top-left corner; pixel i covers [i, i+1), so
its centre is at i + 0.5. An object's box is the tight axis-aligned box of its ellipse, the
contour where the soft edge is at half height, computed analytically from the ellipse parameters.
Everything is drawn from one seed: the same seed gives identical arrays.
"""
import os
from dataclasses import dataclass
from typing import Dict, Optional, Tuple, Union

import numpy as np

from .noise import smooth_field
from .sequence_io import Tracks, write_groundtruth_csv, write_tiff
from .steering import steer_away

Range = Tuple[float, float]
TEXTURE_WAVES = 6


@dataclass
class SequenceSpec:
    """Everything that defines a synthetic sequence except the seed. Lengths in pixels,
    rates per frame, intensities in raw units."""
    width: int = 256
    height: int = 256
    frames: int = 60
    objects: int = 6
    # object shape: size = major-axis length, aspect = minor / major axis
    size_range: Range = (18.0, 30.0)
    aspect_range: Range = (0.65, 0.95)
    size_change: float = 0.08          # relative amplitude of the slow axis oscillations
    size_period_range: Range = (40.0, 120.0)  # frames per oscillation
    rotation_speed: float = 1.0        # std of each object's rotation rate, degrees per frame
    edge_softness: float = 1.0         # logistic scale of the edge, pixels
    texture: float = 0.3               # relative amplitude of the internal texture
    brightness_range: Range = (0.6, 1.0)  # peak of each object, relative to `signal`
    # motion
    speed_range: Range = (1.0, 3.0)    # cruising speed of each object, pixels per frame
    max_speed: float = 6.0             # speed cap, bursts included
    inertia: float = 0.8               # 0..1: how slowly speed and turning rate change
    turn: float = 0.12                 # std of the turning-rate kicks, radians per frame
    burst_probability: float = 0.02    # per object and frame: start a faster move
    burst_speedup: float = 2.0         # speed factor during a burst
    burst_frames: int = 4
    repulsion: float = 0.3             # 0..1: how hard objects steer away from close neighbours
    # scene and camera
    signal: float = 600.0              # raw units of an object of brightness 1
    background: float = 60.0           # mean background fluorescence
    background_texture: float = 0.25   # relative amplitude of the smooth background haze
    illumination: float = 0.35         # relative intensity fall-off away from the brightest point
    offset_drift: float = 0.15         # relative slow variation of the background level
    bleaching: float = 0.004           # mean photobleaching rate (exponential), per frame
    camera_offset: float = 100.0
    gain: float = 2.0                  # raw units per photon (shot noise); 0 disables it
    read_noise: float = 3.0            # std of the Gaussian read noise, raw units
    distractors: int = 8               # small untracked spots
    distractor_sigma_range: Range = (0.8, 1.8)
    distractor_brightness_range: Range = (0.08, 0.3)
    distractor_speed: float = 0.7      # std of their random steps, pixels per frame
    bits: int = 8                      # bit depth of written files (8 or 16)

    def validate(self) -> None:
        """Raise ValueError with a one-line message for an inconsistent spec."""
        if self.width < 8 or self.height < 8:
            raise ValueError(f"image size {self.width}x{self.height} is too small (at least 8x8)")
        if self.frames < 1:
            raise ValueError(f"frames must be at least 1, got {self.frames}")
        if self.objects < 0 or self.distractors < 0:
            raise ValueError("objects and distractors must not be negative")
        if self.bits not in (8, 16):
            raise ValueError(f"bits must be 8 or 16, got {self.bits}")
        for name in ("size_range", "aspect_range", "brightness_range", "speed_range", "size_period_range",
                     "distractor_sigma_range", "distractor_brightness_range"):
            lo, hi = getattr(self, name)
            if not 0 < lo <= hi:
                raise ValueError(f"{name} must satisfy 0 < low <= high, got ({lo}, {hi})")
        if self.aspect_range[1] > 1:
            raise ValueError("aspect_range must lie in (0, 1]")
        if self.size_range[1] * (1 + self.size_change) + 2 > min(self.width, self.height):
            raise ValueError(f"objects up to {self.size_range[1]} px do not fit a {self.width}x{self.height} image")
        if not 0 <= self.inertia < 1:
            raise ValueError("inertia must lie in [0, 1)")


PRESETS: Dict[str, SequenceSpec] = {
    # fluorescence-like nuclei, moderate motion
    "nuclei": SequenceSpec(),
    # the sample bundled with the Fiji plugin (plugin/src/main/resources/org/prdimp/fiji/sample)
    "sample": SequenceSpec(frames=60, objects=6, size_range=(20.0, 30.0), speed_range=(1.2, 2.6),
                           max_speed=4.0, burst_probability=0.015, burst_speedup=1.5, repulsion=0.6,
                           brightness_range=(0.7, 1.0), distractors=6, bleaching=0.003),
    # a harder tracking test: larger image, more objects, fast motion up to 10 px per frame
    "fast": SequenceSpec(width=384, height=384, frames=80, objects=10, size_range=(16.0, 30.0),
                         speed_range=(3.0, 7.0), max_speed=10.0, inertia=0.7, turn=0.2,
                         burst_probability=0.04, burst_speedup=1.6, repulsion=0.2, distractors=16),
}
# seeds the command line uses unless --seed is given (the sample's has one close, non-touching pass)
PRESET_SEEDS: Dict[str, int] = {"nuclei": 0, "sample": 1, "fast": 0}


@dataclass
class ObjectStates:
    """Per-object, per-frame ellipse parameters ([K, T] arrays) and per-object constants ([K, ...])."""
    cx: np.ndarray
    cy: np.ndarray
    a: np.ndarray           # semi-axis along `angle`
    b: np.ndarray           # semi-axis across `angle`
    angle: np.ndarray       # radians, image x towards image y
    brightness: np.ndarray  # [K] peak in raw units before bleaching and illumination
    bleach_rate: np.ndarray   # [K]
    wave_vectors: np.ndarray  # [K, W, 2] texture frequencies, radians per unit of normalised radius
    wave_phases: np.ndarray   # [K, W, T]
    wave_amps: np.ndarray     # [K, W], summing to 1 per object

    def boxes(self) -> np.ndarray:
        """[K, T, 4] tight boxes (x, y, w, h) of the ellipses."""
        return ellipse_boxes(self.cx, self.cy, self.a, self.b, self.angle)


# ---------------------------------------------------------------------------------------- geometry

def ellipse_half_extents(a, b, angle) -> Tuple[np.ndarray, np.ndarray]:
    """Half width and half height of the axis-aligned box of a rotated ellipse."""
    c, s = np.cos(angle), np.sin(angle)
    return np.sqrt((a * c) ** 2 + (b * s) ** 2), np.sqrt((a * s) ** 2 + (b * c) ** 2)


def ellipse_boxes(cx, cy, a, b, angle) -> np.ndarray:
    """Tight (x, y, w, h) boxes of ellipses centred at (cx, cy); broadcasts, adds a last axis of 4."""
    hx, hy = ellipse_half_extents(a, b, angle)
    return np.stack([cx - hx, cy - hy, 2 * hx, 2 * hy], axis=-1)


def _rngs(seed: Union[int, np.random.Generator], n: int):
    """n independent generators from an int seed or a Generator (which is advanced once)."""
    if isinstance(seed, np.random.Generator):
        entropy = [int(v) for v in seed.integers(0, 2 ** 63, size=4)]
    else:
        entropy = int(seed)
        if entropy < 0:
            raise ValueError(f"seed must not be negative, got {seed}")
    return [np.random.default_rng(s) for s in np.random.SeedSequence(entropy).spawn(n)]


# ------------------------------------------------------------------------------------------ motion

def _oscillation(rng: np.random.Generator, spec: SequenceSpec, k: int) -> np.ndarray:
    """[k, T] slow relative oscillations 1 + size_change * sin(...)."""
    t = np.arange(spec.frames)
    period = rng.uniform(*spec.size_period_range, size=(k, 1))
    phase = rng.uniform(0, 2 * np.pi, size=(k, 1))
    return 1 + spec.size_change * np.sin(2 * np.pi * t / period + phase)


def _shapes(spec: SequenceSpec, rng: np.random.Generator):
    """Semi-axes a, b and angle, all [K, T]."""
    k, t = spec.objects, np.arange(spec.frames)
    major = rng.uniform(*spec.size_range, size=(k, 1)) / 2
    minor = major * rng.uniform(*spec.aspect_range, size=(k, 1))
    a = major * _oscillation(rng, spec, k)
    b = minor * _oscillation(rng, spec, k)
    rate = np.deg2rad(rng.normal(0, spec.rotation_speed, size=(k, 1)))
    angle = rng.uniform(0, np.pi, size=(k, 1)) + rate * t
    return a, b, angle


def _initial_positions(spec: SequenceSpec, rng: np.random.Generator, hx, hy, radius) -> np.ndarray:
    """[K, 2] starting centres inside the image, kept apart where the image allows it."""
    pos = np.zeros((spec.objects, 2))
    for k in range(spec.objects):
        lo = np.array([hx[k], hy[k]]) + 1
        hi = np.array([spec.width, spec.height]) - lo
        cand = rng.uniform(lo, np.maximum(hi, lo), size=(64, 2))
        if k == 0:
            pos[k] = cand[0]
            continue
        gap = np.linalg.norm(cand[:, None] - pos[None, :k], axis=-1) / (1.3 * (radius[k] + radius[:k]))
        worst = gap.min(axis=1)
        ok = np.flatnonzero(worst >= 1)
        pos[k] = cand[ok[0]] if ok.size else cand[np.argmax(worst)]
    return pos




def _reflect(p: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Reflect coordinates at the walls [lo, hi]; returns (new coordinates, which reflected)."""
    hi = np.maximum(hi, lo)
    below, above = p < lo, p > hi
    p = np.where(below, 2 * lo - p, np.where(above, 2 * hi - p, p))
    return np.clip(p, lo, hi), below | above


def _trajectories(spec: SequenceSpec, rng: np.random.Generator, hx, hy, radius) -> Tuple[np.ndarray, np.ndarray]:
    """Centres [K, T]: speed and turning rate with inertia, bursts, repulsion, wall reflection.
    hx, hy: [K, T] box half extents (walls keep whole boxes inside the image)."""
    k, n = spec.objects, spec.frames
    cx, cy = np.zeros((k, n)), np.zeros((k, n))
    pos = _initial_positions(spec, rng, hx[:, 0], hy[:, 0], radius)
    cruise = rng.uniform(*spec.speed_range, size=k)
    speed = cruise.copy()
    heading = rng.uniform(0, 2 * np.pi, size=k)
    rate = np.zeros(k)
    burst = np.zeros(k, dtype=int)
    cx[:, 0], cy[:, 0] = pos[:, 0], pos[:, 1]
    for t in range(1, n):
        start = (burst == 0) & (rng.random(k) < spec.burst_probability)
        burst[start] = spec.burst_frames
        target = cruise * np.where(burst > 0, spec.burst_speedup, 1.0)
        burst = np.maximum(burst - 1, 0)
        speed = np.minimum(spec.inertia * speed + (1 - spec.inertia) * target, spec.max_speed)
        rate = spec.inertia * rate + spec.turn * rng.normal(size=k)
        heading = heading + rate + steer_away(pos, heading, radius, spec.repulsion, reach=1.6)
        pos = pos + speed[:, None] * np.stack([np.cos(heading), np.sin(heading)], axis=1)
        x, flip_x = _reflect(pos[:, 0], hx[:, t] + 1, spec.width - hx[:, t] - 1)
        y, flip_y = _reflect(pos[:, 1], hy[:, t] + 1, spec.height - hy[:, t] - 1)
        heading = np.where(flip_x, np.pi - heading, heading)
        heading = np.where(flip_y, -heading, heading)
        rate = np.where(flip_x | flip_y, 0.0, rate)
        pos = np.stack([x, y], axis=1)
        cx[:, t], cy[:, t] = x, y
    return cx, cy


def _textures(spec: SequenceSpec, rng: np.random.Generator):
    """Texture waves per object: wave vectors [K, W, 2], phases [K, W, T] drifting slowly, amplitudes [K, W]."""
    k, w = spec.objects, TEXTURE_WAVES
    freq = rng.uniform(2.0, 7.0, size=(k, w))
    direction = rng.uniform(0, 2 * np.pi, size=(k, w))
    vectors = np.stack([freq * np.cos(direction), freq * np.sin(direction)], axis=-1)
    drift = rng.normal(0, 0.03, size=(k, w, 1))
    phases = rng.uniform(0, 2 * np.pi, size=(k, w, 1)) + drift * np.arange(spec.frames)
    amps = rng.uniform(0.5, 1.0, size=(k, w))
    return vectors, phases, amps / amps.sum(axis=1, keepdims=True)


def simulate_objects(spec: SequenceSpec, rng: np.random.Generator) -> ObjectStates:
    """Draw every object's shape, motion, brightness and texture for the whole sequence."""
    a, b, angle = _shapes(spec, rng)
    hx, hy = ellipse_half_extents(a, b, angle)
    radius = a.max(axis=1)
    cx, cy = _trajectories(spec, rng, hx, hy, radius)
    brightness = spec.signal * rng.uniform(*spec.brightness_range, size=spec.objects)
    bleach = spec.bleaching * rng.uniform(0.8, 1.2, size=spec.objects)
    vectors, phases, amps = _textures(spec, rng)
    return ObjectStates(cx, cy, a, b, angle, brightness, bleach, vectors, phases, amps)


# --------------------------------------------------------------------------------------- rendering

def _window(cx: float, cy: float, hx: float, hy: float, pad: float, shape) -> Optional[Tuple[slice, slice]]:
    """Pixel rows/columns within `pad` of a box around (cx, cy), clipped to the image (None if empty)."""
    x0, x1 = max(0, int(np.floor(cx - hx - pad))), min(shape[1], int(np.ceil(cx + hx + pad)))
    y0, y1 = max(0, int(np.floor(cy - hy - pad))), min(shape[0], int(np.ceil(cy + hy + pad)))
    if x0 >= x1 or y0 >= y1:
        return None
    return slice(y0, y1), slice(x0, x1)


def paint_ellipse(image: np.ndarray, cx: float, cy: float, a: float, b: float, angle: float, peak: float,
                  softness: float, texture: float = 0.0, wave_vectors=None, wave_phases=None,
                  wave_amps=None) -> None:
    """Add a soft-edged, gently domed, textured ellipse to `image` in place (pixel centres i + 0.5).
    The edge is a logistic of the (first-order) distance to the ellipse, at half height on it."""
    hx, hy = ellipse_half_extents(a, b, angle)
    win = _window(cx, cy, hx, hy, 6 * softness + 1, image.shape)
    if win is None:
        return
    dy = (np.arange(win[0].start, win[0].stop) + 0.5 - cy)[:, None]
    dx = (np.arange(win[1].start, win[1].stop) + 0.5 - cx)[None, :]
    c, s = np.cos(angle), np.sin(angle)
    un, vn = (dx * c + dy * s) / a, (dy * c - dx * s) / b
    r2 = un * un + vn * vn
    grad2 = (un / a) ** 2 + (vn / b) ** 2
    slope = np.where(r2 > 1e-12, np.sqrt(grad2 / np.maximum(r2, 1e-12)), 1 / np.sqrt(a * b))
    dist = (np.sqrt(r2) - 1) / slope
    value = peak / (1 + np.exp(np.clip(dist / softness, -50, 50))) * (1 - 0.2 * np.minimum(r2, 1))
    if texture > 0 and wave_vectors is not None:
        arg = un[None] * wave_vectors[:, 0, None, None] + vn[None] * wave_vectors[:, 1, None, None]
        waves = np.cos(arg + wave_phases[:, None, None])
        value = value * (1 + texture * np.tensordot(wave_amps, waves, axes=1))
    image[win] += value


def paint_spot(image: np.ndarray, cx: float, cy: float, sigma: float, peak: float) -> None:
    """Add a Gaussian spot to `image` in place."""
    win = _window(cx, cy, 0, 0, 4 * sigma + 1, image.shape)
    if win is None:
        return
    dy = (np.arange(win[0].start, win[0].stop) + 0.5 - cy)[:, None]
    dx = (np.arange(win[1].start, win[1].stop) + 0.5 - cx)[None, :]
    image[win] += peak * np.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma))




def illumination_field(spec: SequenceSpec, rng: np.random.Generator) -> np.ndarray:
    """[H, W] excitation profile: 1 at a brightest point near the centre, falling off quadratically."""
    h, w = spec.height, spec.width
    x0, y0 = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    y, x = np.mgrid[0:h, 0:w] + 0.5
    r2 = (x - x0) ** 2 + (y - y0) ** 2
    return 1 - spec.illumination * r2 / r2.max()


def _distractor_paths(spec: SequenceSpec, rng: np.random.Generator):
    """Random-walk centres [D, T, 2] (reflected into the image), sigmas and brightness [D]."""
    d, n = spec.distractors, spec.frames
    start = rng.uniform(0, 1, size=(d, 1, 2)) * [spec.width, spec.height]
    steps = rng.normal(0, spec.distractor_speed, size=(d, n, 2))
    steps[:, 0] = 0
    path = start + np.cumsum(steps, axis=1)
    size = np.array([spec.width, spec.height], dtype=float)
    path = size - np.abs(size - np.mod(path, 2 * size))  # fold into [0, size]
    sigma = rng.uniform(*spec.distractor_sigma_range, size=d)
    peak = spec.signal * rng.uniform(*spec.distractor_brightness_range, size=d)
    return path, sigma, peak


def render_clean(spec: SequenceSpec, objects: ObjectStates, rng: np.random.Generator) -> np.ndarray:
    """[T, H, W] float64 expected fluorescence (no camera offset, no noise)."""
    n, h, w = spec.frames, spec.height, spec.width
    illum = illumination_field(spec, rng)
    haze = 1 + spec.background_texture * np.clip(smooth_field(rng, h, w, max(h, w) / 5), -2.5, 2.5)
    t = np.arange(n)
    level = spec.background * (1 + spec.offset_drift * np.sin(2 * np.pi * t / rng.uniform(80, 200)
                                                               + rng.uniform(0, 2 * np.pi)))
    level = level * np.exp(-0.5 * spec.bleaching * t)
    paths, sigmas, peaks = _distractor_paths(spec, rng)
    out = np.empty((n, h, w))
    for f in range(n):
        layer = np.zeros((h, w))
        for k in range(spec.objects):
            peak = objects.brightness[k] * np.exp(-objects.bleach_rate[k] * f)
            paint_ellipse(layer, objects.cx[k, f], objects.cy[k, f], objects.a[k, f], objects.b[k, f],
                          objects.angle[k, f], peak, spec.edge_softness, spec.texture,
                          objects.wave_vectors[k], objects.wave_phases[k, :, f], objects.wave_amps[k])
        fade = np.exp(-spec.bleaching * f)
        for d in range(spec.distractors):
            paint_spot(layer, paths[d, f, 0], paths[d, f, 1], sigmas[d], peaks[d] * fade)
        out[f] = illum * (level[f] * haze + layer)
    return out


def add_camera_noise(clean: np.ndarray, spec: SequenceSpec, rng: np.random.Generator) -> np.ndarray:
    """Camera model: offset + gain * Poisson(clean / gain) + Gaussian read noise."""
    signal = np.maximum(clean, 0)
    if spec.gain > 0:
        signal = spec.gain * rng.poisson(signal / spec.gain)
    return spec.camera_offset + signal + rng.normal(0, spec.read_noise, size=clean.shape)


def objects_for_seed(spec: SequenceSpec, seed: Union[int, np.random.Generator]) -> ObjectStates:
    """The object states (ellipses over time) that render_sequence(spec, seed) draws, without rendering.
    A Generator seed is advanced as render_sequence would advance it."""
    spec.validate()
    return simulate_objects(spec, _rngs(seed, 3)[0])


def render_sequence(spec: SequenceSpec, seed: Union[int, np.random.Generator],
                    noise: bool = True) -> Tuple[np.ndarray, Tracks]:
    """Render a sequence. Returns frames float32 [T, H, W] in raw intensity units and the
    ground truth {track_id (1..K): float64 [T, 4] boxes (x, y, w, h)}.
    noise=False gives the noise-free image (camera offset included) of the same scene and tracks."""
    spec.validate()
    motion_rng, scene_rng, noise_rng = _rngs(seed, 3)
    objects = simulate_objects(spec, motion_rng)
    image = render_clean(spec, objects, scene_rng)
    image = add_camera_noise(image, spec, noise_rng) if noise else image + spec.camera_offset
    boxes = objects.boxes()
    return image.astype(np.float32), {k + 1: boxes[k] for k in range(spec.objects)}


# ----------------------------------------------------------------------------------------- writers

def write_sequence(out_dir: str, spec: SequenceSpec, seed: int, name: str = "") -> Tuple[str, str]:
    """Render and write `sequence.tif` and `groundtruth.csv` (or NAME.tif and NAME.csv) into out_dir."""
    frames, tracks = render_sequence(spec, seed)
    os.makedirs(out_dir, exist_ok=True)
    tif = os.path.join(out_dir, (name or "sequence") + ".tif")
    gt = os.path.join(out_dir, (name or "groundtruth") + ".csv")
    write_tiff(tif, frames, spec.bits)
    write_groundtruth_csv(gt, tracks)
    return tif, gt

"""Objects of a procedural training scene over time: shapes, motion, divisions, entering and
leaving the field, and their ground-truth boxes (used by `prdimp.procedural.training_sequences`).

Every object occupies one track slot k. An object's outline is star-shaped around its centre:
in the object's own frame (rotated by `angle`) the radius at polar angle th is
    r(th) = ellipse(a, b; th) * (1 + sum_j c_j cos(j th) + s_j sin(j th)),  j = 2..HARMONICS+1,
so that the coefficients (which drift slowly over time) give irregular, deforming outlines and
zero coefficients give the plain ellipse. The renderers put the half-height of the soft edge on
this outline, and the ground-truth box is the tight axis-aligned box of the outline, clipped to
the image (an object less than MIN_VISIBLE of whose box lies inside the image is absent: NaN).
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np

from .steering import steer_away

HARMONICS = 4
BOUNDARY_SAMPLES = 64
MIN_VISIBLE = 0.35     # visible fraction of a box's area below which the object counts as absent
MIN_VISIBLE_SIDE = 4.0  # pixels
PRE_MITOSIS = 8        # frames over which a mother rounds up before it divides (daughters relax as long)


@dataclass
class MotionStyle:
    """Per-sequence parameters of the objects' geometry and motion (drawn per kind)."""
    size: float            # mean major axis, pixels
    size_spread: float     # per-object log-normal spread of the size
    aspect: tuple          # (low, high) minor/major axis ratio
    irregularity: float    # std of the static shape harmonics
    deformation: float     # amplitude of their slow oscillation
    size_change: float     # relative amplitude of slow size oscillations
    scale_drift: float     # std of each object's steady log-size rate, per frame (growth, zoom)
    rotation: float        # std of the rotation rate, radians per frame
    count: int             # objects present at the start
    twins: float           # probability that an object starts touching a look-alike twin
    speed: float           # typical cruising speed, pixels per frame
    speed_spread: float    # per-object log-normal spread of the speed
    inertia: float         # 0..1
    turn: float            # std of turning-rate kicks, radians per frame
    jump_probability: float  # per object and frame: a sudden displacement
    jump_size: float       # jump length in units of the object size
    repulsion: float       # 0..1
    leave_fraction: float  # fraction of objects free to leave the field (others bounce off the border)
    entering: int          # objects that enter through the border during the sequence
    division_fraction: float  # fraction of objects that divide during the sequence
    stage_speed: float     # whole-field drift, pixels per frame
    stage_jitter: float    # whole-field jitter std, pixels per frame
    stage_jump_probability: float
    boxy: float = 0.0      # fraction of objects shaped like rounded rectangles (superellipse exponent 2.5-8)


@dataclass
class SceneObjects:
    """Per-slot state over time ([K, T] unless noted)."""
    cx: np.ndarray
    cy: np.ndarray
    a: np.ndarray
    b: np.ndarray
    angle: np.ndarray
    harmonics: np.ndarray   # [K, T, HARMONICS, 2] (cos, sin) coefficients
    alive: np.ndarray       # bool: the object exists (it may still be outside the image)
    mitosis: np.ndarray     # 0..1: how far a cell has rounded up around a division
    parents: np.ndarray     # [K] int: slot of the mother, -1 for none
    twin_of: np.ndarray     # [K] int: slot whose look-alike this object is, -1 for none
    stage: np.ndarray       # [T, 2] whole-field offset (the background moves with it)
    power: Optional[np.ndarray] = None  # [K] superellipse exponent of the base shape (None: all 2, ellipses)

    def powers(self) -> np.ndarray:
        return np.full(self.count, 2.0) if self.power is None else self.power

    @property
    def count(self) -> int:
        return self.cx.shape[0]


# ------------------------------------------------------------------------------------------ outline

def outline_radius(a, b, harmonics, cos_t, sin_t, power=2.0):
    """Radius of the outline at polar angles given by cos_t, sin_t (object frame). a, b (and power)
    broadcast against cos_t; harmonics [..., HARMONICS, 2] with leading axes matching a. The base
    shape is the superellipse |x/a|^p + |y/b|^p = 1: an ellipse for p = 2, a rounded rectangle
    for larger p."""
    if np.all(np.asarray(power) == 2):
        ell = a * b / np.sqrt((b * cos_t) ** 2 + (a * sin_t) ** 2)
    else:
        ell = (np.abs(cos_t / a) ** power + np.abs(sin_t / b) ** power) ** (-1.0 / power)
    mod = 1.0
    ck, sk = cos_t, sin_t
    for j in range(HARMONICS):
        # angle (j + 2) th from (j + 1) th by the addition formulas
        ck, sk = ck * cos_t - sk * sin_t, sk * cos_t + ck * sin_t
        mod = mod + harmonics[..., j, 0] * ck + harmonics[..., j, 1] * sk
    return ell * mod


def _outline_samples(objects: SceneObjects):
    """Outline radii [K, T, S] at S = BOUNDARY_SAMPLES polar angles, and their cos, sin [S]."""
    th = np.linspace(0, 2 * np.pi, BOUNDARY_SAMPLES, endpoint=False)
    c, s = np.cos(th), np.sin(th)
    h = objects.harmonics[:, :, None]  # [K, T, 1, H, 2]
    return outline_radius(objects.a[..., None], objects.b[..., None], h, c, s, objects.powers()[:, None, None]), c, s


def outline_max_radius(objects: SceneObjects) -> np.ndarray:
    """[K] the largest outline radius of each object over the sequence (2 % above the sampled maximum)."""
    return 1.02 * _outline_samples(objects)[0].max(axis=(1, 2))


def outline_boxes(objects: SceneObjects) -> np.ndarray:
    """[K, T, 4] tight boxes (x, y, w, h) of the outlines (not clipped, alive or not)."""
    r, c, s = _outline_samples(objects)
    u, v = r * c, r * s
    ca, sa = np.cos(objects.angle)[..., None], np.sin(objects.angle)[..., None]
    x = objects.cx[..., None] + u * ca - v * sa
    y = objects.cy[..., None] + u * sa + v * ca
    x0, y0 = x.min(axis=-1), y.min(axis=-1)
    return np.stack([x0, y0, x.max(axis=-1) - x0, y.max(axis=-1) - y0], axis=-1)


def visible_boxes(objects: SceneObjects, width: int, height: int) -> np.ndarray:
    """[T, K, 4] float32 ground truth: boxes clipped to the image, NaN where the object is absent
    (not alive, or less than MIN_VISIBLE of its box inside the image, or a side under MIN_VISIBLE_SIDE)."""
    box = outline_boxes(objects)
    x0 = np.clip(box[..., 0], 0, width)
    y0 = np.clip(box[..., 1], 0, height)
    x1 = np.clip(box[..., 0] + box[..., 2], 0, width)
    y1 = np.clip(box[..., 1] + box[..., 3], 0, height)
    clipped = np.stack([x0, y0, x1 - x0, y1 - y0], axis=-1)
    frac = (clipped[..., 2] * clipped[..., 3]) / np.maximum(box[..., 2] * box[..., 3], 1e-9)
    present = (objects.alive & (frac >= MIN_VISIBLE) & (clipped[..., 2] >= MIN_VISIBLE_SIDE)
               & (clipped[..., 3] >= MIN_VISIBLE_SIDE))
    clipped[~present] = np.nan
    return np.ascontiguousarray(clipped.transpose(1, 0, 2)).astype(np.float32)


# ------------------------------------------------------------------------------------------- events

def _plan_slots(style: MotionStyle, frames: int, rng: np.random.Generator):
    """Slot plan: birth frame, kind of birth ('start', 'enter', 'twin', 'daughter'), the slot it relates
    to (twin partner or mother), and the frame each slot ends (divides) or `frames`."""
    births, origin, relative = [], [], []
    for _ in range(style.count):
        births.append(0), origin.append("start"), relative.append(-1)
        if rng.random() < style.twins:
            births.append(0), origin.append("twin"), relative.append(len(births) - 2)
    for _ in range(style.entering):
        births.append(int(rng.integers(1, max(2, frames - 4)))), origin.append("enter"), relative.append(-1)
    ends = [frames] * len(births)
    n = len(births)
    for k in range(n):
        if frames >= 2 * PRE_MITOSIS + 4 and rng.random() < style.division_fraction:
            lo = max(births[k] + PRE_MITOSIS, PRE_MITOSIS // 2 + 2)
            if lo >= frames - 3:
                continue
            td = int(rng.integers(lo, frames - 2))
            ends[k] = td
            for _ in range(2):
                births.append(td), origin.append("daughter"), relative.append(k), ends.append(frames)
    return np.array(births), origin, np.array(relative), np.array(ends)


# ------------------------------------------------------------------------------------------- shapes

def _shapes(style: MotionStyle, frames: int, births, origin, relative, rng: np.random.Generator):
    """Static shape parameters per slot, with twins and daughters looking like their relative."""
    k = len(births)
    t = np.arange(frames)
    major = style.size / 2 * np.exp(style.size_spread * rng.standard_normal(k))
    aspect = rng.uniform(*style.aspect, size=k)
    base = style.irregularity * rng.standard_normal((k, HARMONICS, 2)) / np.arange(1, HARMONICS + 1)[:, None]
    for i in range(k):
        j = relative[i]
        if origin[i] == "twin":
            major[i] = major[j] * rng.uniform(0.92, 1.08)
            aspect[i] = np.clip(aspect[j] * rng.uniform(0.95, 1.05), 0.3, 1.0)
        elif origin[i] == "daughter":
            major[i] = major[j] * rng.uniform(0.72, 0.82)
            aspect[i] = np.clip(aspect[j] * rng.uniform(0.9, 1.1), 0.3, 1.0)
        if j >= 0:  # a similar outline too
            base[i] = base[j] + 0.3 * style.irregularity * rng.standard_normal((HARMONICS, 2))
    # keep the outline star-shaped and positive
    norm = np.abs(base).sum(axis=(1, 2))
    base *= np.minimum(1.0, 0.45 / np.maximum(norm, 1e-9))[:, None, None]
    omega = 2 * np.pi / rng.uniform(20, 90, size=(k, HARMONICS, 2))
    phase = rng.uniform(0, 2 * np.pi, size=(k, HARMONICS, 2))
    wobble = style.deformation * rng.uniform(0.3, 1.0, size=(k, HARMONICS, 2)) / np.arange(1, HARMONICS + 1)[:, None]
    harm = base[:, None] + wobble[:, None] * np.sin(omega[:, None] * t[None, :, None, None] + phase[:, None])
    norm_t = np.abs(harm).sum(axis=(2, 3))
    harm *= np.minimum(1.0, 0.5 / np.maximum(norm_t, 1e-9))[..., None, None]
    period = rng.uniform(30, 120, size=(k, 1))
    osc = 1 + style.size_change * np.sin(2 * np.pi * t / period + rng.uniform(0, 2 * np.pi, size=(k, 1)))
    # steady growth or shrinkage, at most a factor 1.6 either way over the sequence
    rate = np.clip(style.scale_drift * rng.standard_normal((k, 1)), -0.47 / max(frames - 1, 1), 0.47 / max(frames - 1, 1))
    osc = osc * np.exp(rate * (t - (frames - 1) / 2))
    a = major[:, None] * osc
    b = a * aspect[:, None]
    rate = style.rotation * rng.standard_normal((k, 1))
    angle = rng.uniform(0, 2 * np.pi, size=(k, 1)) + rate * t
    return a, b, angle, harm


def _apply_mitosis(a, b, harm, births, origin, relative, ends, frames):
    """Round up mothers before they divide and daughters just after: [K, T] mitosis level 0..1."""
    k = len(births)
    t = np.arange(frames)
    level = np.zeros((k, frames))
    for i in range(k):
        if ends[i] < frames:
            level[i] = np.clip(1 - (ends[i] - 1 - t) / PRE_MITOSIS, 0, 1) * (t < ends[i])
        if origin[i] == "daughter":
            level[i] = np.maximum(level[i], np.clip(1 - (t - births[i]) / PRE_MITOSIS, 0, 1) * (t >= births[i]))
    round_b = a * (1 - 0.12 * level)
    b[:] = b + (round_b - b) * level
    a[:] = a * (1 - 0.12 * level)
    harm *= (1 - level)[..., None, None]
    return level


# ------------------------------------------------------------------------------------------- motion

def _stage(style: MotionStyle, frames: int, rng: np.random.Generator) -> np.ndarray:
    """[T, 2] whole-field offset: steady drift, jitter, rare jumps."""
    heading = rng.uniform(0, 2 * np.pi)
    steps = style.stage_speed * np.array([np.cos(heading), np.sin(heading)]) + \
        style.stage_jitter * rng.standard_normal((frames, 2))
    jumps = rng.random(frames) < style.stage_jump_probability
    steps[jumps] += rng.normal(0, 6.0, size=(int(jumps.sum()), 2))
    steps[0] = 0
    return np.cumsum(steps, axis=0)


def _free_position(rng, width, height, radius, placed_pos, placed_rad):
    """A start position inside the image away from the objects placed so far (best of 24 tries)."""
    cand = rng.uniform([radius, radius], [max(width - radius, radius + 1), max(height - radius, radius + 1)],
                       size=(24, 2))
    if not placed_pos:
        return cand[0]
    p, r = np.array(placed_pos), np.array(placed_rad)
    gap = (np.sqrt(((cand[:, None] - p[None]) ** 2).sum(-1)) / (1.1 * (radius + r))).min(axis=1)
    ok = np.flatnonzero(gap >= 1)
    return cand[ok[0]] if ok.size else cand[np.argmax(gap)]


def _entry(rng, width, height, radius):
    """Start just outside a random border, heading inwards."""
    side = int(rng.integers(4))
    along = rng.uniform(0.15, 0.85)
    inward = [0.0, np.pi, 0.5 * np.pi, 1.5 * np.pi][side]
    pos = [(-0.6 * radius, along * height), (width + 0.6 * radius, along * height),
           (along * width, -0.6 * radius), (along * width, height + 0.6 * radius)][side]
    return np.array(pos), inward + rng.uniform(-0.6, 0.6)


def simulate(style: MotionStyle, width: int, height: int, frames: int, rng: np.random.Generator) -> SceneObjects:
    """Draw the objects and move them through the sequence."""
    births, origin, relative, ends = _plan_slots(style, frames, rng)
    k = len(births)
    a, b, angle, harm = _shapes(style, frames, births, origin, relative, rng)
    mitosis = _apply_mitosis(a, b, harm, births, origin, relative, ends, frames)
    power = np.where(rng.random(k) < style.boxy, rng.uniform(2.5, 8.0, size=k), 2.0)
    like = np.where(np.isin(np.array(origin), ["twin", "daughter"]), relative, -1)
    power = np.where(like >= 0, power[np.maximum(like, 0)], power)
    # a bound on the outline's radius (rounded rectangles reach out to their corners)
    radius = a.max(axis=1) * (1 + np.abs(harm).sum(axis=(2, 3)).max(axis=1)) * np.where(power > 2, np.sqrt(2), 1)
    cruise = style.speed * np.exp(style.speed_spread * rng.standard_normal(k))
    free = rng.random(k) < style.leave_fraction
    free[np.array(origin) == "enter"] = True
    stage = _stage(style, frames, rng)
    pos = np.full((k, 2), np.nan)
    heading = rng.uniform(0, 2 * np.pi, size=k)
    speed = cruise.copy()
    rate = np.zeros(k)
    push = np.zeros((k, 2))  # extra velocity: daughters separating, decays
    cx, cy = np.full((k, frames), np.nan), np.full((k, frames), np.nan)
    placed_pos, placed_rad = [], []
    jump_dir = rng.uniform(0, 2 * np.pi, size=(k, frames))
    jumps = rng.random((k, frames)) < style.jump_probability
    kicks = rng.standard_normal((frames, k))
    for t in range(frames):
        born = np.flatnonzero(births == t)
        for i in born:
            if origin[i] == "start":
                pos[i] = _free_position(rng, width, height, radius[i], placed_pos, placed_rad)
                placed_pos.append(pos[i]), placed_rad.append(radius[i])
            elif origin[i] == "twin":
                j = relative[i]
                d = rng.uniform(0, 2 * np.pi) + np.arange(8) * (np.pi / 4)  # first side that fits the image
                cand = pos[j] + 0.95 * (radius[i] + radius[j]) * np.stack([np.cos(d), np.sin(d)], axis=1)
                lo = radius[i] + 1
                fits = ((cand >= lo) & (cand <= np.array([width, height]) - lo)).all(axis=1)
                pos[i] = cand[np.argmax(fits)] if fits.any() else np.clip(cand[0], lo, [width - lo, height - lo])
                heading[i], cruise[i] = heading[j] + rng.normal(0, 0.2), cruise[j]
                placed_pos.append(pos[i]), placed_rad.append(radius[i])
            elif origin[i] == "enter":
                pos[i], heading[i] = _entry(rng, width, height, radius[i])
            else:  # daughter: split along the mother's long axis, the two moving apart
                j = relative[i]
                first = births[i - 1] != t or relative[i - 1] != j
                along = angle[j, t - 1] + (0.0 if first else np.pi)
                u = np.array([np.cos(along), np.sin(along)])
                pos[i] = pos[j] + 0.45 * a[j, t - 1] * u
                push[i] = u * max(1.0, 0.08 * a[j, t - 1])
                heading[i], cruise[i] = along, cruise[j]
            speed[i] = cruise[i]
        live = (births <= t) & (t < ends)
        if t > 0:
            moving = live & (births < t)
            speed = style.inertia * speed + (1 - style.inertia) * cruise
            rate = style.inertia * rate + style.turn * kicks[t]
            idx = np.flatnonzero(moving)
            steer = np.zeros(k)
            if idx.size:
                steer[idx] = steer_away(pos[idx], heading[idx], radius[idx], style.repulsion, reach=1.5)
            heading = heading + rate + steer
            step = speed[:, None] * np.stack([np.cos(heading), np.sin(heading)], axis=1) + push
            step += (jumps[:, t] * style.jump_size * 2 * a[:, t])[:, None] * np.stack(
                [np.cos(jump_dir[:, t]), np.sin(jump_dir[:, t])], axis=1)
            step += stage[t] - stage[t - 1]
            pos[moving] += step[moving]
            push *= 0.75
            bounded = moving & ~free
            for axis, size in ((0, width), (1, height)):
                lo, hi = radius + 1, size - radius - 1
                p = pos[:, axis]
                below, above = bounded & (p < lo), bounded & (p > hi)
                p[below] = np.minimum(2 * lo[below] - p[below], np.maximum(hi[below], lo[below]))
                p[above] = np.maximum(2 * hi[above] - p[above], np.minimum(lo[above], hi[above]))
                flip = below | above
                heading[flip] = (np.pi - heading[flip]) if axis == 0 else -heading[flip]
                rate[flip] = 0.0
        cx[live, t], cy[live, t] = pos[live, 0], pos[live, 1]
    alive = ~np.isnan(cx)
    # positions outside a slot's life are never drawn; keep them finite for vectorised geometry
    for arr in (cx, cy):
        first = np.where(alive.any(axis=1), alive.argmax(axis=1), 0)
        fill = arr[np.arange(k), first]
        arr[:] = np.where(alive, arr, fill[:, None])
    cx, cy = np.nan_to_num(cx, nan=-1e4), np.nan_to_num(cy, nan=-1e4)
    twin_of = np.where(np.array(origin) == "twin", relative, -1)
    parents = np.where(np.array(origin) == "daughter", relative, -1)
    return SceneObjects(cx, cy, a, b, angle, harm, alive, mitosis, parents, twin_of, stage, power)

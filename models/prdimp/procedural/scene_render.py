"""Rendering of procedural training scenes (used by `training_sequences`): object appearance per
imaging modality, static textured backgrounds that move with the stage, and the camera.

Intensities before the camera are in units of the scene's reference level (1 = a typical object's
peak in fluorescence, the background in transmitted light, full brightness in generic scenes);
`camera` turns them into photo-electrons, Poisson-Gaussian noise and 8- or 16-bit integers.
Everything is float32 and vectorised over the frames an object is visible in.
"""
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import numpy as np

from .scene_motion import SceneObjects, outline_max_radius, outline_radius
from .noise import smooth_field

TILE = 40          # texture tile side (samples)
TILE_EXTENT = 1.3  # the tile covers [-extent, extent]^2 in units of the object's mean radius


@dataclass
class Appearance:
    """Per-object look (lists indexed by slot) and per-sequence modality parameters."""
    modality: str                     # fluorescence | phase | brightfield | generic
    channels: int                     # 1 or 3
    softness: float                   # edge softness in focus, pixels (see _edge)
    level: np.ndarray                 # [K] object brightness / contrast
    texture_amp: np.ndarray           # [K]
    tiles: List[np.ndarray]           # [TILE, TILE] or [TILE, TILE, 3]
    spots: List[np.ndarray]           # [n, 4]: u, v (normalised), sigma (normalised), amplitude
    nucleus: Optional[np.ndarray] = None  # [K, 4]: u, v, radius (normalised), brightness ratio
    dome: float = 0.2                 # fluorescence: 1 - dome at the rim relative to the centre (< 0: bright rim)
    halo: tuple = (1.5, 2.5, 0.3)     # offset, width (pixels), strength (phase contrast)
    rim: tuple = (1.5, 0.25)          # width (pixels), strength (bright-field)
    mitosis_gain: float = 0.0         # extra brightness/contrast of rounded-up cells
    flow: Optional[np.ndarray] = None  # [K, T, 2] slow drift of the texture inside each object (normalised units)
    extra: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------------------- textures

def fractal(rng: np.random.Generator, height: int, width: int, cell: float, octaves: int = 3,
            persistence: float = 0.5) -> np.ndarray:
    """Zero-mean, unit-std multi-octave smooth noise [H, W] (float32), coarsest grid spacing `cell`."""
    out = np.zeros((height, width))
    amp = 1.0
    for _ in range(octaves):
        out += amp * smooth_field(rng, height, width, max(cell, 1.5))
        cell, amp = cell / 2, amp * persistence
    out -= out.mean()
    return (out / max(out.std(), 1e-9)).astype(np.float32)


def texture_tile(rng: np.random.Generator, pattern: str, roughness: float) -> np.ndarray:
    """A [TILE, TILE] zero-mean texture: 'fractal' (cell size from roughness 0 smooth .. 1 grainy),
    'stripes', 'checker' or 'blobs'."""
    if pattern == "fractal":
        return fractal(rng, TILE, TILE, TILE / (1.5 + 8 * roughness), octaves=3, persistence=0.4 + 0.3 * roughness)
    y, x = (np.mgrid[0:TILE, 0:TILE] + 0.5) / TILE
    d = rng.uniform(0, np.pi)
    f = rng.uniform(2, 6)
    if pattern == "stripes":
        t = np.sin(2 * np.pi * f * (x * np.cos(d) + y * np.sin(d)) + rng.uniform(0, 6.3))
    elif pattern == "checker":
        t = np.sign(np.sin(2 * np.pi * f * x + rng.uniform(0, 6.3)) * np.sin(2 * np.pi * f * y + rng.uniform(0, 6.3)))
    else:
        t = np.tanh(3 * fractal(rng, TILE, TILE, TILE / 4, octaves=1))
    t = t + 0.3 * fractal(rng, TILE, TILE, TILE / 6, octaves=2)
    return ((t - t.mean()) / max(t.std(), 1e-9)).astype(np.float32)


def sample_tile(tile: np.ndarray, un: np.ndarray, vn: np.ndarray) -> np.ndarray:
    """Bilinear samples of a tile at normalised object coordinates (un, vn); clamps at the tile edge."""
    g = tile.shape[0]
    s = (g - 1) / (2 * TILE_EXTENT)
    hi = np.float32(g - 1.001)
    fx = np.minimum(np.maximum(un * np.float32(s) + np.float32(TILE_EXTENT * s), 0), hi)
    fy = np.minimum(np.maximum(vn * np.float32(s) + np.float32(TILE_EXTENT * s), 0), hi)
    ix, iy = fx.astype(np.int32), fy.astype(np.int32)
    fx -= ix  # now the interpolation weights
    fy -= iy
    flat = tile.reshape(g * g, -1)
    i00 = iy * g + ix
    if flat.shape[1] > 1:
        fx, fy = fx[..., None], fy[..., None]
    else:
        flat = flat[:, 0]
    top = np.take(flat, i00, axis=0)
    top += (np.take(flat, i00 + 1, axis=0) - top) * fx
    i00 += g
    bottom = np.take(flat, i00, axis=0)
    bottom += (np.take(flat, i00 + 1, axis=0) - bottom) * fx
    bottom -= top
    bottom *= fy
    top += bottom
    return top


# ------------------------------------------------------------------------------------ object pixels

@dataclass
class Patches:
    """Geometry of one object on the frames where it is drawn: frame indices [n], window origins
    [n, 2] (x0, y0), and [n, S, S] float32 arrays."""
    frames: np.ndarray
    origin: np.ndarray
    d: np.ndarray      # distance outside the outline (negative inside), pixels
    un: np.ndarray     # normalised object-frame coordinates (by the mean radius)
    vn: np.ndarray
    q: np.ndarray      # radius relative to the outline (1 on it)


# the outline radius r(angle) of an object in a frame, tabulated at LOOKUP_BINS + 1 "diamond
# angles" da in [-1, 3] (da = v / (|u| + |v|) for u >= 0, 2 - v / (|u| + |v|) otherwise: monotonic
# in the polar angle and cheap per pixel), then interpolated linearly
LOOKUP_BINS = 256
_DA = np.linspace(-1.0, 3.0, LOOKUP_BINS + 1)
_DT = np.where(_DA <= 1, _DA, 2 - _DA)
_DU = np.where(_DA <= 1, 1 - np.abs(_DT), np.abs(_DT) - 1)
_DIR = np.stack([_DU, _DT]) / np.hypot(_DU, _DT)  # cos, sin of each tabulated angle


def _outline_lookup(obj: SceneObjects, k: int, ts: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Outline radius of object k in frames ts ([n]) in the directions of object-frame pixel offsets
    u, v [n, S, S] (pixels), from a per-frame table of the radius over the diamond angle."""
    table = outline_radius(obj.a[k, ts][:, None], obj.b[k, ts][:, None], obj.harmonics[k, ts][:, None],
                           _DIR[0], _DIR[1], obj.powers()[k]).astype(np.float32)  # [n, LOOKUP_BINS + 1]
    t = v / (np.abs(u) + np.abs(v) + np.float32(1e-9))
    da = np.where(u >= 0, t, np.float32(2) - t)
    da += np.float32(1)
    da *= np.float32(LOOKUP_BINS / 4)
    i = np.minimum(da.astype(np.int32), LOOKUP_BINS - 1)
    da -= i  # the interpolation weight
    i += (np.arange(len(ts), dtype=np.int32) * (LOOKUP_BINS + 1))[:, None, None]
    flat = table.ravel()
    r = np.take(flat, i)
    r += da * (np.take(flat, i + 1) - r)
    return r


def object_patches(obj: SceneObjects, k: int, width: int, height: int, pad: float, rmax: float) -> Optional[Patches]:
    """Per-frame windows around object k (fixed size: its largest outline radius `rmax` plus `pad`
    on each side), only on frames where it exists and its window touches the image."""
    size = int(np.ceil(2 * (rmax + pad)))
    x0 = np.floor(obj.cx[k] - size / 2).astype(np.int64)
    y0 = np.floor(obj.cy[k] - size / 2).astype(np.int64)
    show = obj.alive[k] & (x0 < width) & (x0 + size > 0) & (y0 < height) & (y0 + size > 0)
    ts = np.flatnonzero(show)
    if ts.size == 0:
        return None
    f32 = np.float32
    x0, y0 = x0[ts], y0[ts]
    grid = np.arange(size, dtype=f32) + f32(0.5)
    dx = (x0 - obj.cx[k, ts]).astype(f32)[:, None, None] + grid[None, None, :]
    dy = (y0 - obj.cy[k, ts]).astype(f32)[:, None, None] + grid[None, :, None]
    ca = np.cos(obj.angle[k, ts]).astype(f32)[:, None, None]
    sa = np.sin(obj.angle[k, ts]).astype(f32)[:, None, None]
    u = dx * ca + dy * sa
    v = dy * ca - dx * sa
    rho = np.sqrt(u * u + v * v) + f32(1e-6)
    r = _outline_lookup(obj, k, ts, u, v)
    inv_r = (1 / np.sqrt(obj.a[k, ts] * obj.b[k, ts])).astype(f32)[:, None, None]
    u *= inv_r
    v *= inv_r
    q = rho / r
    rho -= r
    return Patches(ts, np.stack([x0, y0], axis=1), rho, u, v, q)


def add_patches(canvas: np.ndarray, p: Patches, values: np.ndarray, mask: np.ndarray,
                cover: Optional[np.ndarray] = None) -> np.ndarray:
    """Add [n, S, S(, C)] values into canvas [T, H, W(, C)]; or, given `cover` [T, H, W] (the
    opacity of what was drawn so far, in front), composite them with opacity `mask` *under* it:
    weight mask (1 - cover), cover updated (front-to-back compositing). Returns [n]: the fraction
    of the mask's weight [n, S, S] that lands inside the image and is not hidden by the cover."""
    h, w = canvas.shape[1], canvas.shape[2]
    size = values.shape[1]
    total = mask.sum(axis=(1, 2))
    seen = np.zeros(len(p.frames), dtype=np.float32)
    for i, t in enumerate(p.frames):
        x0, y0 = int(p.origin[i, 0]), int(p.origin[i, 1])
        xa, ya = max(x0, 0), max(y0, 0)
        xb, yb = min(x0 + size, w), min(y0 + size, h)
        src = (slice(ya - y0, yb - y0), slice(xa - x0, xb - x0))
        dst = canvas[t, ya:yb, xa:xb]
        m = mask[i][src]
        if cover is None:
            dst += values[i][src]
        else:
            front = cover[t, ya:yb, xa:xb]
            m = m * (1 - front)
            dst += (m[..., None] if dst.ndim == 3 else m) * values[i][src]
            front += m
        seen[i] = m.sum()
    return seen / np.maximum(total, 1e-6)


def _edge(d: np.ndarray, softness) -> np.ndarray:
    """Soft edge: 1 inside (d < 0), 0 outside, 0.5 on the outline; a smoothstep over
    |d| < 3 softness (the slope of a logistic of scale `softness`, but exactly 0 beyond, so that
    the object's window leaves no trace)."""
    x = np.float32(0.5) - d / (np.float32(6) * softness)
    np.maximum(x, 0, out=x)
    np.minimum(x, 1, out=x)
    return x * x * (np.float32(3) - np.float32(2) * x)


def _spots(p: Patches, spots: np.ndarray) -> np.ndarray:
    """Gaussian spots at normalised object coordinates: rows u, v, sigma (normalised), amplitude."""
    out = np.zeros_like(p.d)
    for su, sv, sigma, amp in spots:
        r2 = (p.un - np.float32(su)) ** 2 + (p.vn - np.float32(sv)) ** 2
        out += np.float32(amp) * np.exp(-r2 / np.float32(2 * sigma * sigma))
    return out


def render_objects(obj: SceneObjects, look: Appearance, width: int, height: int, focus: np.ndarray,
                   fade: np.ndarray) -> Tuple[np.ndarray, Optional[np.ndarray], np.ndarray]:
    """The object layer [T, H, W(, C)]: emitted light (fluorescence), relative optical change
    (phase contrast, bright-field: the image is background * (1 + layer)), or, for generic scenes,
    premultiplied colour with its opacity `cover` [T, H, W] (higher slots in front; the image is
    layer + (1 - cover) * background). Also [K, T] visibility: the fraction of each object's
    soft area inside the image and, in generic scenes, not hidden by objects in front (0 where
    it is not drawn). Returns (layer, cover or None, visibility)."""
    frames = obj.cx.shape[1]
    f32 = np.float32
    generic = look.modality == "generic"
    shape = (frames, height, width) + ((look.channels,) if generic and look.channels > 1 else ())
    canvas = np.zeros(shape, dtype=f32)
    cover = np.zeros((frames, height, width), dtype=f32) if generic else None
    fmax = float(focus.max()) if len(focus) else 0.0
    pad = 3 * (look.softness + 2.5 * fmax) + 1  # the soft edge is 0 there
    if look.modality == "phase":
        pad = max(pad, look.halo[0] + 2 * fmax + 2.5 * (look.halo[1] + 2 * fmax) + 1)
    elif look.modality == "brightfield":
        pad = max(pad, 2.5 * (look.rim[0] + 2 * fmax) + 1)
    visibility = np.zeros(obj.alive.shape, dtype=f32)
    rmax = outline_max_radius(obj)
    for k in (reversed(range(obj.count)) if generic else range(obj.count)):  # generic: front to back
        p = object_patches(obj, k, width, height, pad, rmax[k])
        if p is None:
            continue
        ft = focus[p.frames].astype(f32)[:, None, None]
        soft = f32(look.softness) + f32(2.5) * ft
        inside = _edge(p.d, soft)
        if look.flow is not None:
            fu, fv = look.flow[k, p.frames].T.astype(f32)
            tex = sample_tile(look.tiles[k], p.un + fu[:, None, None], p.vn + fv[:, None, None])
        else:
            tex = sample_tile(look.tiles[k], p.un, p.vn)
        mit = obj.mitosis[k, p.frames].astype(f32)[:, None, None]
        amp = f32(look.texture_amp[k]) * (1 - f32(0.75) * ft)
        if generic:
            c1, c2 = look.extra["colours"][k]  # generic tiles hold mixing weights of two colours
            colour = c1 + (c2 - c1) * tex[..., None] if look.channels > 1 else c1[0] + (c2[0] - c1[0]) * tex
            if "shading" in look.extra:  # light from one side: a brightness gradient across the object
                gx, gy = look.extra["shading"][k]
                shade = np.maximum(1 + f32(gx) * p.un + f32(gy) * p.vn, 0)
                colour *= shade[..., None] if look.channels > 1 else shade
            visibility[k, p.frames] = add_patches(canvas, p, colour, inside, cover)
            continue
        mean_r = np.sqrt(obj.a[k, p.frames] * obj.b[k, p.frames]).astype(f32)[:, None, None]
        texture = 1 + amp * tex
        if look.nucleus is not None:  # a region with its own brightness (fluorescence) or density
            nu, nv, nr, ratio = look.nucleus[k]
            dn = np.sqrt((p.un - f32(nu)) ** 2 + (p.vn - f32(nv)) ** 2) - f32(nr)
            texture *= 1 + f32(ratio - 1) * _edge(dn * mean_r, soft)
        if look.modality == "fluorescence":
            body = texture * (1 - f32(look.dome) * np.minimum(p.q, 1) ** 2)
            body = body + _spots(p, look.spots[k]) * (1 - ft)
            peak = f32(look.level[k]) * fade[k, p.frames].astype(f32)[:, None, None] * (1 - f32(0.45) * ft)
            values = peak * (1 + f32(look.mitosis_gain) * mit) * inside * np.maximum(body, 0)
        elif look.modality == "phase":
            off, width_h, strength = look.halo
            halo = np.exp(-((p.d - f32(off) - ft * 2) / (f32(width_h) + 2 * ft)) ** 2)
            dark = f32(look.level[k]) * (1 - f32(2.2) * mit) * inside * (texture + _spots(p, look.spots[k]))
            values = f32(strength) * (1 + f32(0.5) * mit) * (1 - f32(0.5) * ft) * halo - dark
        else:  # bright-field: faint interior, a dark rim that fades and turns bright with defocus
            width_r, strength = look.rim  # while the cell becomes a bright blob
            rim = np.exp(-(p.d / (f32(width_r) + 2 * ft)) ** 2)
            values = ((f32(look.level[k]) * (texture + _spots(p, look.spots[k])) + f32(0.8 * strength) * ft)
                      * inside - f32(strength) * (1 - 2 * ft) * rim)
        visibility[k, p.frames] = add_patches(canvas, p, values, inside)
    return canvas, cover, visibility


# ----------------------------------------------------------------------------------- backgrounds

def crop_stage(field: np.ndarray, margin: int, stage: np.ndarray, width: int, height: int) -> np.ndarray:
    """[T, H, W(, C)] crops of a static field (larger by `margin` >= |offset| + 1 on each side) that
    follow the whole-field offset [T, 2] (x, y), with bilinear interpolation for its fractional part."""
    out = np.empty((len(stage), height, width) + field.shape[2:], dtype=np.float32)
    src = margin - np.asarray(stage, dtype=np.float64)   # where image pixel 0 samples the field
    base = np.floor(src).astype(int)
    frac = (src - base).astype(np.float32)
    if (base < 0).any() or (base + 1 > 2 * margin).any():
        raise ValueError("the stage offset exceeds the field's margin")
    for t in range(len(stage)):
        (x0, y0), (fx, fy) = base[t], frac[t]
        rows = field[y0:y0 + height + 1, x0:x0 + width + 1]
        if fx:
            rows = rows[:, :-1] + fx * (rows[:, 1:] - rows[:, :-1])
        else:
            rows = rows[:, :-1]
        out[t] = rows[:-1] + fy * (rows[1:] - rows[:-1]) if fy else rows[:-1]
    return out


def gaussian_spots(h: int, w: int, n: int, rng: np.random.Generator, sigma_range, amp_range, ring=False) -> np.ndarray:
    """[H, W] sum of n Gaussian spots (or out-of-focus rings) at random places."""
    out = np.zeros((h, w), dtype=np.float32)
    for _ in range(n):
        sigma = rng.uniform(*sigma_range)
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        amp = rng.uniform(*amp_range)
        r = int(np.ceil(4 * sigma + (3 * sigma if ring else 0))) + 1
        x0, x1, y0, y1 = max(0, int(cx) - r), min(w, int(cx) + r), max(0, int(cy) - r), min(h, int(cy) + r)
        if x0 >= x1 or y0 >= y1:
            continue
        dy = (np.arange(y0, y1) + 0.5 - cy)[:, None]
        dx = (np.arange(x0, x1) + 0.5 - cx)[None, :]
        rr = np.sqrt(dx * dx + dy * dy)
        if ring:
            prof = np.exp(-((rr - 2 * sigma) / (0.5 * sigma)) ** 2) - 0.6 * np.exp(-(rr / sigma) ** 2)
        else:
            prof = np.exp(-rr * rr / (2 * sigma * sigma))
        out[y0:y1, x0:x1] += amp * prof
    return out


def illumination(rng: np.random.Generator, h: int, w: int, strength: float) -> np.ndarray:
    """[H, W] uneven illumination: 1 at a point near the centre, falling off quadratically, with a tilt."""
    x0, y0 = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    y, x = np.mgrid[0:h, 0:w] + 0.5
    r2 = ((x - x0) ** 2 + (y - y0) ** 2) / (0.5 * (h * h + w * w))
    tilt = rng.normal(0, 0.3 * strength) * (x / w - 0.5) + rng.normal(0, 0.3 * strength) * (y / h - 0.5)
    return np.clip(1 - strength * r2 + tilt, 0.2, 1.5).astype(np.float32)


def smooth_curve(rng: np.random.Generator, frames: int, period: float) -> np.ndarray:
    """[T] smooth random curve, roughly unit std, 0 at frame 0."""
    c = smooth_field(rng, 1, frames, max(period, 2.0))[0]
    return (c - c[0]).astype(np.float32)


# ----------------------------------------------------------------------------------------- camera

def camera(expected_e: np.ndarray, read_noise: float, bits: int, fill: float, offset: float,
           rng: np.random.Generator, full_scale: Optional[int] = None, gain: Optional[float] = None) -> np.ndarray:
    """Photo-electrons -> Poisson-Gaussian noise -> integer ADU.

    Shot noise with read noise is drawn through the inverse of the generalised Anscombe transform,
    one normal z per pixel: e = y |y| - 3/8 - read^2 with y = sqrt(lambda + 1/8 + read^2) + z / 2,
    so that the mean is lambda, the variance lambda + read^2 + 1/4, with a Poisson-like skew at
    low counts (much faster than numpy's Poisson sampler). The gain (ADU per electron) is `gain`
    when given, at most what maps the 99.9th percentile of the expected signal to `fill` times the
    range above `offset`; without it, exactly that (fill > 1 saturates). Works in blocks of frames
    (small temporaries). Returns uint8 or uint16 [same shape]."""
    top = (2 ** bits - 1) if full_scale is None else full_scale
    sample = expected_e[:: max(1, len(expected_e) // 4)].ravel()
    sample = sample[:: max(1, sample.size // 200_000)]
    ref = float(np.quantile(sample, 0.999)) if sample.size else 1.0
    auto = fill * (top - offset) / max(ref, 1e-6)
    gain = auto if gain is None else min(gain, auto)
    c = np.float32(0.125 + read_noise * read_noise)
    out = np.empty(expected_e.shape, dtype=np.uint8 if bits == 8 else np.uint16)
    block = max(1, (1 << 20) // max(1, expected_e[0].size))
    for t0 in range(0, len(expected_e), block):
        y = np.maximum(expected_e[t0:t0 + block], 0)
        y += c
        np.sqrt(y, out=y)
        z = rng.standard_normal(size=y.shape, dtype=np.float32)
        z *= np.float32(0.5)
        y += z
        np.abs(y, out=z)
        y *= z                                        # y |y|
        y *= np.float32(gain)
        y += np.float32(offset - gain * (c + 0.25))  # - (3/8 + read^2) electrons
        np.rint(y, out=y)
        np.maximum(y, 0, out=y)
        out[t0:t0 + block] = np.minimum(y, np.float32(top), out=y)
    return out


def add_hot_pixels(raw: np.ndarray, count: int, full_scale: int, rng: np.random.Generator) -> np.ndarray:
    """Static hot pixels (in place): `count` random pixels raised by 30-100 % of the full scale in
    every frame, clipped; returns their [count, 2] (x, y)."""
    t, h, w = raw.shape[:3]
    xy = np.stack([rng.integers(0, w, count), rng.integers(0, h, count)], axis=1)
    lift = (rng.uniform(0.3, 1.0, count) * full_scale).astype(np.int64)
    for (x, y), up in zip(xy, lift):
        raw[:, y, x] = np.minimum(raw[:, y, x].astype(np.int64) + up, full_scale).astype(raw.dtype)
    return xy

"""Procedural training and validation sequences for the tracker, one seed each.

    from prdimp.procedural.training_sequences import training_sequence, validation_seeds, KINDS
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
focus drift (dimming and blur); 8-bit exports (few grey levels to saturation) or 12-/16-bit
cameras (gain 0.5-5 ADU per electron, offset 50-500), some with static hot pixels; Poisson-Gaussian
noise over a wide SNR range (object contrast over the background noise std, log-uniform 1.5 to
150; generic 4 to 150).

Seeds: training uses seeds in [0, TRAINING_SEED_LIMIT); `validation_seeds(n)` are 10^9 + i,
disjoint from them. The result depends only on (seed, kind, size, frames), and kind=None gives the
same sequence as kind=training_sequence(seed).kind. The kind, size and frame count are drawn
from their own streams, so fixing some of them leaves the others as drawn.
"""
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

from . import scene_kinds as kinds
from . import scene_motion as motion
from . import scene_render as render
from .scene_kinds import GENERIC_SNR_RANGE, SNR_RANGE  # noqa: F401 (documented here)
from .sequence_io import training_tracks, write_training_sequence

KINDS: Tuple[str, ...] = ("fluo-nuclei", "fluo-cells", "phase-contrast", "brightfield", "generic-grey", "generic-rgb")
KIND_WEIGHTS: Tuple[float, ...] = (0.32, 0.20, 0.16, 0.12, 0.10, 0.10)
TRAINING_SEED_LIMIT = 10 ** 6
VALIDATION_SEED_BASE = 10 ** 9
MIN_SIDE = 96
HOT_PIXEL_PROBABILITY = 0.3       # microscopy cameras with a few static hot pixels
# the engine's normalisation (org.prdimp.fiji.io.NormalizedFrames, org.prdimp.fiji.engine.IntensityNormalizer)
LOW_PERCENTILE, HIGH_PERCENTILE = 0.5, 99.5
MAX_SAMPLES = 1 << 20
EXTRA_REFERENCE_FRAMES = 4


@dataclass
class TrainingSequence:
    """One procedural sequence with its ground truth (see the module docstring)."""
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
    """float32 frames in [0, 1], as the engine would feed them to the network (the engine computes
    the map in double precision: the results agree to float32 rounding)."""
    low, high = engine_normalisation(raw)
    scale = np.float32(1.0 / (high - low) if high > low else 1.0)
    out = (raw.astype(np.float32) - np.float32(low)) * scale
    return np.clip(out, 0, 1, out=out)


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
    style = kinds.motion_style(kind, width, height, frames, motion_rng)
    objects = motion.simulate(style, width, height, frames, motion_rng)
    look = kinds.appearance(kind, objects, look_rng)
    expected, visibility, snr, info = kinds.render_scene(kind, objects, look, width, height, scene_rng)
    drawn_bits = 8 if kind == "generic-rgb" or noise_rng.random() < 0.5 else 16
    bits = 8 if kind == "generic-rgb" else (bits or drawn_bits)
    gain = None
    if bits == 8:  # an 8-bit export, scaled to the data (from a few dozen grey levels to saturation)
        full, fill, offset = 255, kinds.loguniform(noise_rng, 0.12, 1.3), noise_rng.uniform(0, 15)
    else:  # a 12- or 16-bit camera: physical gain in ADU per electron, offset, little saturation
        full = 4095 if noise_rng.random() < 0.5 else 65535
        fill, offset, gain = 0.95, noise_rng.uniform(50, 500), kinds.loguniform(noise_rng, 0.5, 5.0)
    if kind.startswith("generic"):
        fill, offset, gain = noise_rng.uniform(0.6, 1.0), 0.0, None
    raw = render.camera(expected, info["read_noise"], bits, fill, offset, noise_rng, full, gain)
    hot = int(noise_rng.poisson(width * height / 20000) + 1) if noise_rng.random() < HOT_PIXEL_PROBABILITY else 0
    if hot and not kind.startswith("generic"):
        render.add_hot_pixels(raw, hot, full, noise_rng)
    info.update(objects=objects.count, hot_pixels=hot if not kind.startswith("generic") else 0, divisions=int((objects.parents >= 0).sum() // 2),
                fill=fill, full_scale=full, **{f"style_{k}": float(v) for k, v in vars(style).items()
                                               if np.isscalar(v)})
    boxes = motion.visible_boxes(objects, width, height)
    visible = np.where(np.isnan(boxes[..., 0]), np.float32(0), visibility.T).astype(np.float32)
    return TrainingSequence(frames=normalise_like_engine(raw), boxes=boxes, kind=kind, seed=int(seed),
                            parents=objects.parents.astype(np.int32), visible=visible, raw=raw, bits=bits,
                            snr=float(snr), info=info)


# ------------------------------------------------------------------------------ validation set

def write_validation_set(out_dir: str, count: int, size=None, frames=None) -> List[str]:
    """The held-out sequences of validation_seeds(count) in out_dir/val-NNNN-KIND/ folders, and
    out_dir/index.csv (`folder,seed,kind,frames,width,height,bits,snr,tracks,divisions`)."""
    os.makedirs(out_dir, exist_ok=True)
    folders = []
    with open(os.path.join(out_dir, "index.csv"), "w", newline="") as index:
        index.write("folder,seed,kind,frames,width,height,bits,snr,tracks,divisions\n")
        for i, seed in enumerate(validation_seeds(count)):
            seq = training_sequence(seed, size=size, frames=frames)
            folder = f"val-{i:04d}-{seq.kind}"
            write_training_sequence(os.path.join(out_dir, folder), seq)
            t, h, w = seq.frames.shape[:3]
            index.write(f"{folder},{seed},{seq.kind},{t},{w},{h},{seq.bits},{seq.snr:.2f},"
                        f"{len(training_tracks(seq))},{seq.info['divisions']}\n")
            folders.append(os.path.join(out_dir, folder))
    return folders


# --------------------------------------------------------------------------------------- benchmark

def benchmark(count: int = 20, size: Tuple[int, int] = (256, 256), frames: int = 64) -> List[str]:
    """Lines of CPU seconds per sequence for each kind and for the mixture (seeds 0..count-1)."""
    import time
    lines = [f"training_sequence, {frames} frames {size[0]}x{size[1]}, {count} seeds per row, "
             f"CPU seconds per sequence (load average {os.getloadavg()[0]:.1f})"]
    for kind in list(KINDS) + [None]:
        cpu = []
        for seed in range(count):
            c0 = time.process_time()
            training_sequence(seed, kind, size, frames)
            cpu.append(time.process_time() - c0)
        lines.append(f"{kind or 'mixture':15s} mean {np.mean(cpu):.2f}  median {np.median(cpu):.2f}  "
                     f"p90 {np.percentile(cpu, 90):.2f}  max {np.max(cpu):.2f}")
    return lines


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(prog="python3 -m prdimp.procedural.training_sequences",
                                     description="Benchmark: CPU time per procedural training sequence.")
    parser.add_argument("--seeds", type=int, default=20, help="sequences per kind (default 20)")
    parser.add_argument("--size", type=int, nargs=2, default=(256, 256), metavar=("W", "H"))
    parser.add_argument("--frames", type=int, default=64)
    args = parser.parse_args()
    for line in benchmark(args.seeds, tuple(args.size), args.frames):
        print(line, flush=True)

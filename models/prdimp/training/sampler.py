"""Training samples (spec section 2): 3 train + 3 test crops of one target from one sequence.

A sample is drawn from a procedural sequence (`prdimp.procedural.training_sequences.training_sequence`). Frames are
normalised per sequence exactly as the Java engine does (0.5th / 99.5th percentile of a few
reference frames, clamped to [0, 1]). Crops of side `search_area_scale * sqrt(w h)` around a
jittered box are resized to the model's crop size; the boxes are returned in crop pixels.

Everything random is drawn from generators seeded by (run seed, step): the batch of step i is
the same whatever happened before, which makes a resumed run identical to an uninterrupted one.
"""
import dataclasses
import math
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F

from ..procedural.training_sequences import TRAINING_SEED_LIMIT, normalise_like_engine, training_sequence

MIN_VISIBLE = 0.5  # fraction of a target's area that must be seen for a frame to be sampled


@dataclass
class Jitter:
    """Box jitter of one kind of frame: size * exp(N(0,1) * scale); centre shifted uniformly by
    +- centre * sqrt(w h) / 2 (of the jittered size)."""
    scale: float
    centre: float


TRAIN_JITTER = Jitter(0.25, 3.0)
TEST_JITTER = Jitter(0.5, 4.5)


@dataclass
class SamplerConfig:
    crop_size: int = 288
    search_area_scale: float = 5.0
    train_frames: int = 3
    test_frames: int = 3
    max_gap: int = 200              # test frames lie after the train frames, within this gap
    train_jitter: Jitter = dataclasses.field(default_factory=lambda: TRAIN_JITTER)
    test_jitter: Jitter = dataclasses.field(default_factory=lambda: TEST_JITTER)
    min_target_px: float = 4.0       # a target smaller than this (w or h, image pixels) is not sampled


def _stable_seed(*parts: int) -> int:
    """A 63-bit seed from integers (numpy's SeedSequence mixes them well)."""
    return int(np.random.SeedSequence([int(p) & 0xFFFFFFFF for p in parts]).generate_state(1, np.uint64)[0]) >> 1


# ---------------------------------------------------------------------------------- sequences

@dataclass
class Sequence:
    """frames float32 [T, H, W] (or [T, H, W, 3]) in [0, 1]; boxes float32 [T, K, 4], NaN where absent."""
    frames: np.ndarray
    boxes: np.ndarray
    kind: str
    seed: int


TRAIN_SEQUENCE_FRAMES = 40  # enough for 3 + 3 frames at any gap, and renders faster than 24-96


def generator_sequence(seed: int) -> Sequence:
    """One training sequence from the procedural generator; boxes of frames where less than
    MIN_VISIBLE of the target is seen become NaN."""
    s = training_sequence(seed, frames=TRAIN_SEQUENCE_FRAMES)
    boxes = np.asarray(s.boxes, np.float32).copy()
    boxes[np.asarray(s.visible) < MIN_VISIBLE] = np.nan  # mostly hidden or outside: not a target to learn from
    frames = np.asarray(s.frames, np.float32)
    if frames.ndim == 4:  # RGB -> grey as the compact network sees it (mean of the channels)
        frames = frames.mean(axis=-1)
    return Sequence(frames, boxes, str(s.kind), seed)


def engine_normalise(frames: np.ndarray) -> np.ndarray:
    """The Java engine's per-sequence intensity map (`procedural.training_sequences.normalise_like_engine`; the
    generator's training sequences come normalised already); RGB then becomes grey, the mean of
    the channels, as the compact network sees it."""
    out = normalise_like_engine(frames)
    return out.mean(axis=-1) if out.ndim == 4 else out


class SequencePool:
    """Training sequences by seed, cached (least recently used dropped)."""

    def __init__(self, make: Callable[[int], Sequence] = generator_sequence, capacity: int = 48):
        self.make = make
        self.capacity = capacity
        self.cache: "OrderedDict[int, Sequence]" = OrderedDict()

    def get(self, seed: int) -> Sequence:
        if seed in self.cache:
            self.cache.move_to_end(seed)
            return self.cache[seed]
        s = self.make(seed)
        self.cache[seed] = s
        while len(self.cache) > self.capacity:
            self.cache.popitem(last=False)
        return s


# ---------------------------------------------------------------------------------- crops

def jitter_box(box: np.ndarray, jitter: Jitter, rng: np.random.Generator) -> np.ndarray:
    """(x, y, w, h) -> jittered (x, y, w, h): the crop is centred on it."""
    size = box[2:] * np.exp(rng.standard_normal(2) * jitter.scale)
    max_offset = math.sqrt(size[0] * size[1]) * jitter.centre
    centre = box[:2] + 0.5 * box[2:] + max_offset * (rng.random(2) - 0.5)
    return np.concatenate([centre - 0.5 * size, size]).astype(np.float64)


def crop(frame: np.ndarray, centre: Tuple[float, float], side: float, out: int) -> Tuple[torch.Tensor, float, Tuple[float, float]]:
    """Square crop of `side` image pixels centred at `centre`, border pixels repeated outside,
    resized to out x out (bilinear with antialiasing when shrinking), for frames in [0, 1]. Returns the crop [out, out],
    the scale (crop px per image px) and the crop's top-left corner in image pixels, from the
    rounded region actually cut."""
    side_i = max(2, int(round(side)))
    x0 = int(math.floor(centre[0] - side_i / 2 + 0.5))
    y0 = int(math.floor(centre[1] - side_i / 2 + 0.5))
    h, w = frame.shape
    xs = np.clip(np.arange(x0, x0 + side_i), 0, w - 1)
    ys = np.clip(np.arange(y0, y0 + side_i), 0, h - 1)
    patch = torch.from_numpy(np.ascontiguousarray(frame[np.ix_(ys, xs)]))[None, None]
    resized = F.interpolate(patch, size=(out, out), mode="bilinear", align_corners=False,
                            antialias=side_i > out)[0, 0]
    # the antialiasing filter can overshoot by a few ulp; frames are in [0, 1]
    return resized.clamp_(0.0, 1.0), out / side_i, (float(x0), float(y0))


@dataclass
class Batch:
    """images [F, B, 1, S, S]; boxes [F, B, 4] (crop px), F = train frames + test frames. Or, for a
    frozen backbone, no images but its cached features layer2 [F, B, C2, S/8, S/8] and layer3
    [F, B, C3, S/16, S/16] (`feature_bank.py`)."""
    images: Optional[torch.Tensor]
    boxes: torch.Tensor
    train_frames: int
    layer2: Optional[torch.Tensor] = None
    layer3: Optional[torch.Tensor] = None

    @property
    def test_frames(self) -> int:
        return self.boxes.shape[0] - self.train_frames


def _choose_frames(visible: np.ndarray, cfg: SamplerConfig, rng: np.random.Generator) -> Optional[np.ndarray]:
    """Indices of train frames then test frames (test after train, within max_gap) among the
    frames where the target is visible; None when the sequence is too short."""
    idx = np.flatnonzero(visible)
    need = cfg.train_frames + cfg.test_frames
    if len(idx) < need:
        return None
    for _ in range(20):
        split = rng.integers(cfg.train_frames, len(idx) - cfg.test_frames + 1)
        train = np.sort(rng.choice(idx[:split], cfg.train_frames, replace=False))
        later = idx[split:]
        later = later[later - train[-1] <= cfg.max_gap]
        if len(later) >= cfg.test_frames:
            test = np.sort(rng.choice(later, cfg.test_frames, replace=False))
            return np.concatenate([train, test])
    return None


def sample_target(seq: Sequence, cfg: SamplerConfig, rng: np.random.Generator) -> Optional[Tuple[torch.Tensor, torch.Tensor]]:
    """Crops [F, S, S] and boxes [F, 4] of one target of `seq`; None when no target qualifies."""
    boxes = seq.boxes
    ok = np.all(np.isfinite(boxes), axis=-1) & np.all(boxes[..., 2:] >= cfg.min_target_px, axis=-1)  # [T, K]
    targets = np.flatnonzero(ok.sum(axis=0) >= cfg.train_frames + cfg.test_frames)
    if len(targets) == 0:
        return None
    k = int(rng.choice(targets))
    frames = _choose_frames(ok[:, k], cfg, rng)
    if frames is None:
        return None
    crops, out_boxes = [], []
    for i, f in enumerate(frames):
        box = boxes[f, k].astype(np.float64)
        jit = jitter_box(box, cfg.train_jitter if i < cfg.train_frames else cfg.test_jitter, rng)
        side = cfg.search_area_scale * math.sqrt(jit[2] * jit[3])
        img, scale, (x0, y0) = crop(seq.frames[f], (jit[0] + jit[2] / 2, jit[1] + jit[3] / 2), side, cfg.crop_size)
        crops.append(img)
        out_boxes.append(torch.tensor([(box[0] - x0) * scale, (box[1] - y0) * scale, box[2] * scale, box[3] * scale],
                                      dtype=torch.float32))
    return torch.stack(crops), torch.stack(out_boxes)


class Sampler:
    """Batches of step i: sequences from a sliding window of seeds (one new sequence per step,
    so that the cache renders about one sequence per step), targets and frames drawn from
    a generator seeded by (seed, step)."""

    def __init__(self, cfg: SamplerConfig, seed: int, batch_size: int, window: int = 32,
                 pool: Optional[SequencePool] = None, seed_offset: int = 0):
        self.cfg = cfg
        self.seed = seed
        self.batch_size = batch_size
        self.window = window
        self.pool = pool or SequencePool(capacity=window + 8)
        self.seed_offset = seed_offset

    def sequence_seed(self, slot: int) -> int:
        return (self.seed_offset + _stable_seed(self.seed, 11, slot)) % TRAINING_SEED_LIMIT

    def batch(self, step: int) -> Batch:
        rng = np.random.default_rng(_stable_seed(self.seed, 13, step))
        images, boxes = [], []
        while len(images) < self.batch_size:
            slot = step + int(rng.integers(0, self.window))
            got = sample_target(self.pool.get(self.sequence_seed(slot)), self.cfg, rng)
            if got is not None:
                images.append(got[0])
                boxes.append(got[1])
        return Batch(torch.stack(images, dim=1).unsqueeze(2), torch.stack(boxes, dim=1), self.cfg.train_frames)


def fixed_batch(cfg: SamplerConfig, seeds, batch_size: int, seed: int = 0) -> Batch:
    """A batch from given (e.g. held-out) sequence seeds, for monitoring a loss that does not move
    with the training data."""
    pool = SequencePool(capacity=len(seeds))
    rng = np.random.default_rng(_stable_seed(seed, 17))
    images, boxes = [], []
    i = 0
    while len(images) < batch_size:
        got = sample_target(pool.get(seeds[i % len(seeds)]), cfg, rng)
        i += 1
        if got is not None:
            images.append(got[0])
            boxes.append(got[1])
        if i > 50 * batch_size:
            raise ValueError("the given sequences have no target visible in enough frames")
    return Batch(torch.stack(images, dim=1).unsqueeze(2), torch.stack(boxes, dim=1), cfg.train_frames)

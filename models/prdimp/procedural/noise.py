"""Smooth random fields, the noise both generators build textures, haze and drifts from.
A leaf: numpy only."""
import numpy as np


def smooth_field(rng: np.random.Generator, height: int, width: int, cell: float) -> np.ndarray:
    """[H, W] smooth random field, roughly zero-mean with unit std: a coarse Gaussian grid with
    spacing `cell` pixels, interpolated with smoothstep weights."""
    gh, gw = int(np.ceil(height / cell)) + 2, int(np.ceil(width / cell)) + 2
    grid = rng.normal(size=(gh, gw))

    def axis(n):
        p = (np.arange(n) + 0.5) / cell
        i = np.floor(p).astype(int)
        f = p - i
        return i, f * f * (3 - 2 * f)

    iy, fy = axis(height)
    ix, fx = axis(width)
    rows = grid[iy] * (1 - fy)[:, None] + grid[iy + 1] * fy[:, None]
    return rows[:, ix] * (1 - fx) + rows[:, ix + 1] * fx

"""PrRoIPool against an independent numerical integral (float64) and finite differences."""
import numpy as np
import pytest
import torch

from prdimp.net.prroi_pool import prroi_pool

GL_NODES, GL_WEIGHTS = np.polynomial.legendre.leggauss(3)


def bilinear(f, y, x):
    """Zero-padded bilinear interpolation of a 2-D array at (y, x)."""
    h, w = f.shape
    y0, x0 = int(np.floor(y)), int(np.floor(x))
    total = 0.0
    for dy in (0, 1):
        for dx in (0, 1):
            yy, xx = y0 + dy, x0 + dx
            if 0 <= yy < h and 0 <= xx < w:
                total += f[yy, xx] * (1 - abs(y - yy)) * (1 - abs(x - xx))
    return total


def pieces(a, b):
    """Split [a, b] at integers: on each piece the surface is a polynomial."""
    cuts = [a] + [float(k) for k in range(int(np.floor(a)) + 1, int(np.ceil(b)))] + [b]
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] > cuts[i]]


def brute_force_bin(f, x0, x1, y0, y1):
    """Gauss-Legendre quadrature on every unit piece: exact for the piecewise bilinear surface."""
    if x1 <= x0 or y1 <= y0:
        return 0.0
    total = 0.0
    for (ya, yb) in pieces(y0, y1):
        for (xa, xb) in pieces(x0, x1):
            for ny, wy in zip(GL_NODES, GL_WEIGHTS):
                y = 0.5 * (yb - ya) * ny + 0.5 * (yb + ya)
                for nx, wx in zip(GL_NODES, GL_WEIGHTS):
                    x = 0.5 * (xb - xa) * nx + 0.5 * (xb + xa)
                    total += wy * wx * 0.25 * (yb - ya) * (xb - xa) * bilinear(f, y, x)
    return total / ((x1 - x0) * (y1 - y0))


def brute_force(feat, box, ph, pw, scale):
    x1, y1, x2, y2 = [v * scale for v in box]
    x2, y2 = max(x2, x1), max(y2, y1)
    bw, bh = (x2 - x1) / pw, (y2 - y1) / ph
    out = np.zeros((feat.shape[0], ph, pw))
    for c in range(feat.shape[0]):
        for i in range(ph):
            for j in range(pw):
                out[c, i, j] = brute_force_bin(feat[c], x1 + j * bw, x1 + (j + 1) * bw, y1 + i * bh, y1 + (i + 1) * bh)
    return out


BOXES = [
    [3.2, 4.7, 40.1, 33.3],        # inside
    [-20.0, -9.5, 30.0, 25.0],     # partly outside (top-left)
    [50.0, 60.0, 90.0, 100.0],     # partly outside (bottom-right), map is 8x9 cells at 1/8
    [-40.0, -40.0, -20.0, -30.0],  # entirely outside: zeros
    [17.3, 21.9, 17.9, 22.05],     # tiny bins (sub-cell)
    [30.0, 30.0, 30.0, 50.0],      # empty: zero width
    [30.0, 30.0, 20.0, 50.0],      # inverted: empty
]


@pytest.mark.parametrize("pooled", [(1, 1), (3, 3), (4, 4), (2, 5)])
def test_matches_numerical_integral_float64(pooled):
    ph, pw = pooled
    g = torch.Generator().manual_seed(1)
    feat = torch.randn((1, 2, 8, 9), generator=g, dtype=torch.float64)
    boxes = torch.tensor([BOXES], dtype=torch.float64)
    out = prroi_pool(feat, boxes, ph, pw, 1.0 / 8)
    assert out.shape == (1, len(BOXES), 2, ph, pw)
    for k, box in enumerate(BOXES):
        ref = brute_force(feat[0].numpy(), box, ph, pw, 1.0 / 8)
        np.testing.assert_allclose(out[0, k].numpy(), ref, rtol=0, atol=1e-12)


def test_random_boxes_match_numerical_integral():
    g = torch.Generator().manual_seed(7)
    feat = torch.randn((2, 3, 6, 7), generator=g, dtype=torch.float64)
    xy = torch.rand((2, 6, 2), generator=g, dtype=torch.float64) * 10 - 2
    wh = torch.rand((2, 6, 2), generator=g, dtype=torch.float64) * 6
    boxes = torch.cat((xy, xy + wh), dim=-1)
    out = prroi_pool(feat, boxes, 3, 2, 1.0)
    for b in range(2):
        for k in range(6):
            ref = brute_force(feat[b].numpy(), boxes[b, k].tolist(), 3, 2, 1.0)
            np.testing.assert_allclose(out[b, k].numpy(), ref, rtol=0, atol=1e-12)


def test_constant_map_gives_constant_inside():
    feat = torch.full((1, 1, 10, 10), 2.5, dtype=torch.float64)
    out = prroi_pool(feat, torch.tensor([[[1.0, 2.0, 7.5, 8.25]]], dtype=torch.float64), 3, 3, 1.0)
    np.testing.assert_allclose(out.numpy(), 2.5, atol=1e-14)


def test_box_gradient_matches_finite_differences():
    g = torch.Generator().manual_seed(3)
    feat = torch.randn((1, 2, 7, 8), generator=g, dtype=torch.float64)
    boxes = torch.tensor([[[0.7, 1.3, 4.9, 5.6], [-1.4, 2.2, 3.1, 8.3], [2.05, 0.45, 2.95, 1.35]]],
                         dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda b: prroi_pool(feat, b, 3, 3, 1.0), (boxes,), eps=1e-6, atol=1e-7)


def test_feature_gradient_matches_finite_differences():
    g = torch.Generator().manual_seed(4)
    feat = torch.randn((1, 1, 5, 5), generator=g, dtype=torch.float64, requires_grad=True)
    boxes = torch.tensor([[[0.3, 0.6, 3.9, 4.1]]], dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda f: prroi_pool(f, boxes, 2, 2, 1.0), (feat,), eps=1e-6, atol=1e-7)

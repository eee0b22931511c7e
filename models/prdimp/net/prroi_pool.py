"""Precise RoI pooling (PrRoIPool) in plain tensor operations.

The feature map is read as a continuous surface: cell (i, j) sits at the integer point (i, j),
values between cells are bilinearly interpolated and the surface is zero beyond one cell outside
the map. Each output bin is the exact integral of that surface over the bin divided by the bin
area (0 for an empty bin).

Bilinear interpolation is a sum of separable hat functions h(t) = max(0, 1 - |t|), so the integral
over a bin [x0, x1] x [y0, y1] factorises:

    out[c] = Wy @ F[c] @ Wx^T,   Wx[p, j] = (T(x1_p - j) - T(x0_p - j)) / (x1_p - x0_p)

with T the antiderivative of the hat function, T(t) = 1/2 + u - u |u| / 2 for u = clamp(t, -1, 1).
Computed as two batched matrix products over all boxes and channels at once (no broadcast copies
of the map); autograd gives the gradient with respect to the box coordinates.
"""
from typing import Optional, Tuple

import torch


def pool_operators(out_h: int, out_w: int, spatial_scale: float, dtype: torch.dtype,
                   device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
    """The two constant matrices of `prroi_pool_planes` for one output size and scale.

    geometry [4, E + out_h + out_w], E = out_h + out_w + 2: (x1, y1, x extent, y extent) in image
    coordinates -> the bin edges in cells (y edges, then x edges) followed by the bin sizes (y, then x).
    difference [out_h + out_w, E]: edge values -> per-bin differences (y bins, then x bins).
    Compute them once when the same pooling runs repeatedly.
    """
    e = out_h + out_w + 2
    geometry = torch.zeros(4, e + out_h + out_w, dtype=dtype, device=device)
    ky = torch.arange(out_h + 1, dtype=dtype, device=device) / out_h
    kx = torch.arange(out_w + 1, dtype=dtype, device=device) / out_w
    geometry[1, :out_h + 1] = spatial_scale
    geometry[3, :out_h + 1] = ky * spatial_scale
    geometry[0, out_h + 1:e] = spatial_scale
    geometry[2, out_h + 1:e] = kx * spatial_scale
    geometry[3, e:e + out_h] = spatial_scale / out_h
    geometry[2, e + out_h:] = spatial_scale / out_w
    steps = torch.eye(e, dtype=dtype, device=device)
    steps = steps[1:] - steps[:-1]  # row k: edge k+1 - edge k
    difference = torch.cat((steps[:out_h], steps[out_h + 1:]), dim=0)  # no step from the last y to the first x edge
    return geometry, difference


def feature_planes(feat: torch.Tensor) -> torch.Tensor:
    """[B, C, H, W] -> [B, H, C * W], the layout `prroi_pool_planes` reads (compute it once when
    the same map is pooled repeatedly)."""
    return feat.permute(0, 2, 1, 3).reshape(feat.shape[0], feat.shape[2], feat.shape[1] * feat.shape[3])


def prroi_pool(feat: torch.Tensor, boxes: torch.Tensor, out_h: int, out_w: int,
               spatial_scale: float) -> torch.Tensor:
    """Pool every box of every image.

    feat: [B, C, H, W]; boxes: [B, P, 4] as (x1, y1, x2, y2) in image coordinates, multiplied by
    `spatial_scale` to reach feature-cell coordinates. A box with x2 < x1 (or y2 < y1) is empty.
    Returns [B, P, C, out_h, out_w].
    """
    return prroi_pool_planes(feature_planes(feat), feat.shape[1], boxes, out_h, out_w, spatial_scale)


def prroi_pool_planes(planes: torch.Tensor, channels: int, boxes: torch.Tensor, out_h: int, out_w: int,
                      spatial_scale: float,
                      operators: Optional[Tuple[torch.Tensor, torch.Tensor]] = None) -> torch.Tensor:
    """`prroi_pool` on a map given as `feature_planes(feat)` with `channels` channels; `operators`
    from `pool_operators` (computed here when not given)."""
    if operators is None:
        operators = pool_operators(out_h, out_w, spatial_scale, boxes.dtype, boxes.device)
    height = planes.shape[1]
    width = planes.shape[2] // channels
    corner = boxes[..., :2]
    extent = torch.clamp(boxes[..., 2:] - corner, min=0.0)  # an inverted box is empty
    cells = torch.arange(max(height, width), dtype=boxes.dtype, device=boxes.device)
    wy, wx = bin_weights(torch.cat((corner, extent), dim=-1), cells, out_h, out_w, operators)
    if height < wy.shape[-1]:
        wy = wy[..., :height]
    if width < wx.shape[-1]:
        wx = wx[..., :width]
    return pool_with_weights(planes, channels, wy, wx)


def bin_weights(boxes: torch.Tensor, cells: torch.Tensor, out_h: int, out_w: int,
                operators: Tuple[torch.Tensor, torch.Tensor]) -> Tuple[torch.Tensor, torch.Tensor]:
    """Integration weights of the cells for every bin, divided by the bin size (0 for an empty bin).

    boxes [B, P, 4] as (x, y, w, h), w and h >= 0, in image coordinates; cells: the cell
    coordinates, [S] for every edge alike or [E, S] per edge (y edges, then x edges); operators from
    `pool_operators`. Returns wy [B, P, out_h, S] and wx [B, P, out_w, S].

    Written with few tensor operations: all bin edges and sizes come from one product with a
    constant matrix, the hat-function integrals of all edges from one expression, the differences
    between neighbouring edges from one more product. (Box refinement has its own written-out
    version with the gradient, `box_gradient`.)
    """
    geometry, difference = operators
    edges, sizes = (boxes @ geometry).split([out_h + out_w + 2, out_h + out_w], dim=-1)
    # integral of the hat function from -1 to t, less 1/2 (cancels in the differences)
    t = torch.clamp(edges.unsqueeze(-1) - cells, -1.0, 1.0)  # [B, P, E, S]
    integral = t * (1.0 - 0.5 * t.abs())
    weights = (difference @ integral) / sizes.clamp(min=1e-30).unsqueeze(-1)  # [B, P, out_h + out_w, S]
    wy, wx = weights.split([out_h, out_w], dim=2)
    return wy, wx


def pool_with_weights(planes: torch.Tensor, channels: int, wy: torch.Tensor, wx: torch.Tensor) -> torch.Tensor:
    """planes [B, H, C * W], wy [B, P, out_h, H], wx [B, P, out_w, W] -> [B, P, C, out_h, out_w]."""
    batch, proposals, out_h, height = wy.shape
    out_w, width = wx.shape[2], wx.shape[3]
    # Two plain matrix products (no broadcast copies of the feature map, cheap autograd):
    # rows[b, (p, i), (c, w)] = sum_h wy[b, p, i, h] * feat[b, c, h, w]
    rows = torch.bmm(wy.reshape(batch, proposals * out_h, height), planes)
    # pooled[(b, p), (i, c), j] = sum_w rows[(b, p), (i, c), w] * wx[b, p, j, w]
    rows = rows.reshape(batch * proposals, out_h * channels, width)
    pooled = torch.bmm(rows, wx.reshape(batch * proposals, out_w, width).transpose(1, 2))
    return pooled.reshape(batch, proposals, out_h, channels, out_w).permute(0, 1, 3, 2, 4)


def xywh_to_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    """(x, y, w, h) -> (x1, y1, x2, y2) on the last axis."""
    return torch.cat((boxes[..., :2], boxes[..., :2] + boxes[..., 2:]), dim=-1)

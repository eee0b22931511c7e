"""Precise RoI pooling (PrRoIPool) in plain tensor operations.

The feature map is read as a continuous surface: cell (i, j) sits at the integer point (i, j),
values between cells are bilinearly interpolated and the surface is zero beyond one cell outside
the map. Each output bin is the exact integral of that surface over the bin divided by the bin
area (0 for an empty bin).

Bilinear interpolation is a sum of separable hat functions h(t) = max(0, 1 - |t|), so the integral
over a bin [x0, x1] x [y0, y1] factorises:

    out[c] = (Wy @ F[c] @ Wx^T) / area,   Wx[p, j] = T(x1_p - j) - T(x0_p - j)

with T the antiderivative of the hat function. Two small matrix products per box; autograd
gives the gradient with respect to the box coordinates.
"""
import torch


def hat_integral(t: torch.Tensor) -> torch.Tensor:
    """Antiderivative of the hat function, T(t) = integral of max(0, 1-|s|) for s in (-inf, t]."""
    u = t.clamp(-1.0, 1.0)
    return torch.where(u < 0, 0.5 * (u + 1.0) ** 2, 1.0 - 0.5 * (1.0 - u) ** 2)


def _bin_weights(start: torch.Tensor, end: torch.Tensor, bins: int, size: int) -> torch.Tensor:
    """Integration weights for `bins` equal bins between start and end over `size` cells.

    start, end: [B, P] in feature-cell coordinates. Returns [B, P, bins, size].
    """
    step = (end - start) / bins
    k = torch.arange(bins + 1, dtype=start.dtype, device=start.device)
    edges = start.unsqueeze(-1) + step.unsqueeze(-1) * k  # [B, P, bins+1]
    cells = torch.arange(size, dtype=start.dtype, device=start.device)
    t = hat_integral(edges.unsqueeze(-1) - cells)  # [B, P, bins+1, size]
    return t[:, :, 1:, :] - t[:, :, :-1, :]


def prroi_pool(feat: torch.Tensor, boxes: torch.Tensor, out_h: int, out_w: int,
               spatial_scale: float) -> torch.Tensor:
    """Pool every box of every image.

    feat: [B, C, H, W]; boxes: [B, P, 4] as (x1, y1, x2, y2) in image coordinates, multiplied by
    `spatial_scale` to reach feature-cell coordinates. A box with x2 < x1 (or y2 < y1) is empty.
    Returns [B, P, C, out_h, out_w].
    """
    b = boxes * spatial_scale
    x1 = b[..., 0]
    y1 = b[..., 1]
    x2 = torch.maximum(b[..., 2], x1)
    y2 = torch.maximum(b[..., 3], y1)
    height = feat.shape[-2]
    width = feat.shape[-1]
    wy = _bin_weights(y1, y2, out_h, height)  # [B, P, out_h, H]
    wx = _bin_weights(x1, x2, out_w, width)  # [B, P, out_w, W]
    area = ((x2 - x1) / out_w) * ((y2 - y1) / out_h)  # [B, P]
    # [B, 1, C, H, W] x [B, P, 1, out_h, H] -> [B, P, C, out_h, W]
    rows = torch.matmul(wy.unsqueeze(2), feat.unsqueeze(1))
    pooled = torch.matmul(rows, wx.transpose(-1, -2).unsqueeze(2))  # [B, P, C, out_h, out_w]
    nonempty = area > 0
    safe_area = torch.where(nonempty, area, torch.ones_like(area))
    pooled = pooled / safe_area[:, :, None, None, None]
    return pooled * nonempty[:, :, None, None, None].to(pooled.dtype)


def xywh_to_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    """(x, y, w, h) -> (x1, y1, x2, y2) on the last axis."""
    return torch.cat((boxes[..., :2], boxes[..., :2] + boxes[..., 2:]), dim=-1)

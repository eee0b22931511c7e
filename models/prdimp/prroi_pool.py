"""Precise RoI pooling (PrRoIPool) in plain tensor operations.

The feature map is read as a continuous surface: cell (i, j) sits at the integer point (i, j),
values between cells are bilinearly interpolated and the surface is zero beyond one cell outside
the map. Each output bin is the exact integral of that surface over the bin divided by the bin
area (0 for an empty bin).

Bilinear interpolation is a sum of separable hat functions h(t) = max(0, 1 - |t|), so the integral
over a bin [x0, x1] x [y0, y1] factorises:

    out[c] = (Wy @ F[c] @ Wx^T) / area,   Wx[p, j] = T(x1_p - j) - T(x0_p - j)

with T the antiderivative of the hat function. Computed as two batched matrix products over all
boxes and channels at once (no broadcast copies of the map); autograd gives the gradient with
respect to the box coordinates.
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
                      spatial_scale: float) -> torch.Tensor:
    """`prroi_pool` on a map given as `feature_planes(feat)` with `channels` channels."""
    b = boxes * spatial_scale
    x1 = b[..., 0]
    y1 = b[..., 1]
    x2 = torch.maximum(b[..., 2], x1)
    y2 = torch.maximum(b[..., 3], y1)
    batch = planes.shape[0]
    height = planes.shape[1]
    width = planes.shape[2] // channels
    proposals = boxes.shape[1]
    wy = _bin_weights(y1, y2, out_h, height)  # [B, P, out_h, H]
    wx = _bin_weights(x1, x2, out_w, width)  # [B, P, out_w, W]
    area = ((x2 - x1) / out_w) * ((y2 - y1) / out_h)  # [B, P]
    # Two plain matrix products (no broadcast copies of the feature map, cheap autograd):
    # rows[b, (p, i), (c, w)] = sum_h wy[b, p, i, h] * feat[b, c, h, w]
    rows = torch.bmm(wy.reshape(batch, proposals * out_h, height), planes)
    # pooled[(b, p), (i, c), j] = sum_w rows[(b, p), (i, c), w] * wx[b, p, j, w]
    rows = rows.reshape(batch * proposals, out_h * channels, width)
    pooled = torch.bmm(rows, wx.reshape(batch * proposals, out_w, width).transpose(1, 2))
    pooled = pooled.reshape(batch, proposals, out_h, channels, out_w).permute(0, 1, 3, 2, 4)
    nonempty = area > 0
    safe_area = torch.where(nonempty, area, torch.ones_like(area))
    pooled = pooled / safe_area[:, :, None, None, None]
    return pooled * nonempty[:, :, None, None, None].to(pooled.dtype)


def xywh_to_xyxy(boxes: torch.Tensor) -> torch.Tensor:
    """(x, y, w, h) -> (x1, y1, x2, y2) on the last axis."""
    return torch.cat((boxes[..., :2], boxes[..., :2] + boxes[..., 2:]), dim=-1)

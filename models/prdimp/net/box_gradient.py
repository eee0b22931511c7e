"""The box regressor's log-density in a window of its test maps, and its gradient with respect to
the boxes written out by hand, for box refinement.

Box refinement takes ten gradient steps for ten boxes per frame. Through autograd each step was
some 900 small operations; written out it is a few dozen, most of the arithmetic in two matrix
products per level. The gradient is the one autograd gives (tested against it in float64).

Per level (layer2 pooled to 5 x 5 bins, layer3 to 3 x 3) and per axis, PrRoIPool's weights of
the cells are, for a box starting at `lo` with extent `ext` (both in cells) and edges
e_k = lo + ext k / bins, k = 0..bins:

    w[i, s] = (T(e_{i+1} - s) - T(e_i - s)) / (ext / bins),   T(t) = u - u |u| / 2, u = clamp(t, -1, 1)

(the antiderivative of the bilinear hat function, as in `prroi_pool`), and T'(t) = 1 - |u|. The
pooled map is pooled[c, i, j] = sum over cells (y, x) of wy[i, y] wx[j, x] F[c, y, x]: linear
in the outer product of the two weights. So is the fully connected layer after it, so the two
together are one linear map of that outer product, computed once per window (`level_map`):

    pre = outer(wy, wx) . M + bias,   act = relu(pre),   log-density = v3 . act3 + v4 . act4 + c

(BatchNorm folded into M and bias). Its gradient with respect to the outer product is
((pre > 0) * v) . M^T, and from there to the weights, the edges and the box.
"""
from typing import List, Tuple

import torch

# A window of one level: (linear part, bias [D], the predictor's weights for this level's part
# [D], the cells' coordinates [2, S, 1] (columns, then rows; S = max(rows, columns), the shorter
# axis continued), rows, columns, block). Either the linear part is the map [B, rows * columns *
# bins^2, D] of `level_map`, with the BatchNorm folded into it and the bias, and block is empty;
# or (a large window, see `maps_pay`) it is the window's features [B, C, rows * columns] and block
# is the fully connected block's [weight, bias, BatchNorm scale, BatchNorm shift].
Level = Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, int, int, List[torch.Tensor]]


def edge_steps(bins: int, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """[bins + 1]: k / bins, the edges' positions along a box."""
    return torch.arange(bins + 1, dtype=dtype, device=device) / bins


def head_weights(weight: torch.Tensor, bias: torch.Tensor, scale: torch.Tensor, shift: torch.Tensor,
                 bins: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """A fully connected block's weight [D, C * bins^2] and bias [D], followed by a BatchNorm as
    scale and shift [D] -> (the weight laid out [C, bins^2 * D] for `level_map`, the bias [D]),
    the BatchNorm folded in."""
    d = weight.shape[0]
    laid = (weight * scale.unsqueeze(1)).reshape(d, -1, bins * bins).permute(1, 2, 0)
    return laid.reshape(laid.shape[0], -1), bias * scale + shift


def level_map(feat: torch.Tensor, weight: torch.Tensor, outputs: int) -> torch.Tensor:
    """Pooling and the fully connected layer as one linear map: window features [B, C, rows,
    columns] and a `head_weights` weight -> [B, rows * columns * bins^2, outputs], ordered (row,
    column, bin row, bin column) like `outer_weights`."""
    b, c = feat.shape[0], feat.shape[1]
    cells = feat.reshape(b, c, -1).transpose(1, 2).contiguous()  # one matrix product for B = 1
    mapped = torch.matmul(cells, weight)  # [B, rows * columns, bins^2 * D]
    return mapped.reshape(b, -1, outputs)


def maps_pay(cells: int, channels: int, outputs: int, work: int) -> bool:
    """Whether `level_map` costs fewer multiply-adds than pooling and the fully connected layer at
    every step, for `work` = steps x boxes: mapping once costs cells C D bins^2 and then
    2 cells D bins^2 per box and step; pooling costs 2 cells C bins^2 and the layer 2 C D bins^2
    per box and step. (Equal costs about 200 cells for PrDiMP-18's 256 channels and 10 x 10
    boxes and steps.) The map holds cells / C times the layer's weights per target, so at most
    2 work D / C^2 times: 0.8 for PrDiMP-18, 1.6 for the compact model at 10 x 10."""
    return cells * (channels + 2 * work) <= 2 * work * (cells + outputs)


def level_pre(level: Level, outer: torch.Tensor) -> torch.Tensor:
    """The fully connected layer's output before its ReLU, [B, P, D], for `outer_weights` [B, P, K]."""
    linear, bias, _, _, rows, columns, block = level
    if len(block) == 0:
        return torch.baddbmm(bias, outer, linear)
    b, p = outer.shape[0], outer.shape[1]
    by_cell = outer.reshape(b, p, rows * columns, -1).transpose(1, 2).reshape(b, rows * columns, -1)
    pooled = torch.bmm(linear, by_cell)  # [B, C, P * bins^2]: PrRoIPool of every box
    pooled = pooled.reshape(b, pooled.shape[1], p, -1).transpose(1, 2).reshape(b * p, -1)
    return (torch.addmm(block[1], pooled, block[0].t()) * block[2] + block[3]).reshape(b, p, -1)


def level_pre_gradient(level: Level, grad: torch.Tensor) -> torch.Tensor:
    """Gradient [B, P, D] with respect to `level_pre`'s output -> gradient [B, P, K] with respect
    to the outer products."""
    linear, _, _, _, rows, columns, block = level
    if len(block) == 0:
        return torch.bmm(grad, linear.transpose(1, 2))
    b, p = grad.shape[0], grad.shape[1]
    g_pooled = (grad.reshape(b * p, -1) * block[2]).mm(block[0])  # [B * P, C * bins^2]
    g_pooled = g_pooled.reshape(b, p, linear.shape[1], -1).transpose(1, 2).reshape(b, linear.shape[1], -1)
    g_cells = torch.bmm(linear.transpose(1, 2), g_pooled)  # [B, rows * columns, P * bins^2]
    return g_cells.reshape(b, rows * columns, p, -1).transpose(1, 2).reshape(b, p, -1)


def axis_weights(boxes: torch.Tensor, cells: torch.Tensor, steps: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor,
                                                                                          torch.Tensor]:
    """boxes [B, P, 4] (x, y, w, h in cells), cells [2, S, 1] (x, then y), steps from `edge_steps`
    -> the weights of both axes [B, P, 2, S, bins], |u| [B, P, 2, S, bins + 1] and 1 / bin size
    [B, P, 2, 1, 1] (for `axis_derivatives`)."""
    bins = steps.shape[0] - 1
    edges = torch.addcmul(boxes.narrow(-1, 0, 2).unsqueeze(-1), boxes.narrow(-1, 2, 2).unsqueeze(-1), steps)
    u = torch.clamp(edges.unsqueeze(-2) - cells, -1.0, 1.0)  # [B, P, 2, S, K]
    au = u.abs()
    integral = u - 0.5 * u * au
    inverse_size = (boxes.narrow(-1, 2, 2).clamp(min=1e-30).reciprocal() * bins)[..., None, None]
    weights = (integral.narrow(-1, 1, bins) - integral.narrow(-1, 0, bins)) * inverse_size
    return weights, au, inverse_size


def axis_derivatives(weights: torch.Tensor, au: torch.Tensor, inverse_size: torch.Tensor,
                     steps: torch.Tensor) -> torch.Tensor:
    """The weights' derivatives with respect to lo (x or y) and ext (w or h), from `axis_weights`:
    [B, P, 2 (axis), 2 (lo, ext), S, bins]. The integral at edge k has slope T' = 1 - |u|, and
    edge k moves by 1 with lo and by k / bins with ext; the bin size is ext / bins, so d weights /
    d ext also has a term -weights / ext."""
    bins = steps.shape[0] - 1
    slopes = 1.0 - au
    upper, lower = slopes.narrow(-1, 1, bins), slopes.narrow(-1, 0, bins)
    d_lo = (upper - lower) * inverse_size
    d_ext = ((upper * steps.narrow(0, 1, bins) - lower * steps.narrow(0, 0, bins)) * inverse_size
             - weights * (inverse_size * (1.0 / bins)))
    return torch.stack((d_lo, d_ext), dim=3)


def outer_weights(wy: torch.Tensor, wx: torch.Tensor) -> torch.Tensor:
    """wy [B, P, rows, bins], wx [B, P, columns, bins] -> [B, P, rows * columns * bins^2]."""
    b, p, rows, bins = wy.shape
    columns = wx.shape[2]
    return (wy.reshape(b, p, rows, 1, bins, 1) * wx.reshape(b, p, 1, columns, 1, bins)).reshape(b, p, -1)


def split_axes(weights: torch.Tensor, rows: int, columns: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """[B, P, 2, S, bins] -> (wy [B, P, rows, bins], wx [B, P, columns, bins])."""
    return weights.select(2, 1).narrow(2, 0, rows), weights.select(2, 0).narrow(2, 0, columns)


def level_activations(level: Level, boxes: torch.Tensor, steps: torch.Tensor) -> torch.Tensor:
    """The fully connected block's output [B * P, D] for boxes [B, P, 4] (x, y, w, h in this
    level's cells) in a window."""
    cells, rows, columns = level[3], level[4], level[5]
    wy, wx = split_axes(axis_weights(boxes, cells, steps)[0], rows, columns)
    pre = level_pre(level, outer_weights(wy, wx))
    return torch.relu(pre).reshape(-1, pre.shape[2])


def level_gradient(level: Level, boxes: torch.Tensor, steps: torch.Tensor) -> torch.Tensor:
    """Gradient [B, P, 4] of this level's part of the log-density with respect to the boxes (as
    `level_activations`)."""
    predictor, cells, rows, columns = level[2], level[3], level[4], level[5]
    b, p = boxes.shape[0], boxes.shape[1]
    weights, au, inverse_size = axis_weights(boxes, cells, steps)
    bins = weights.shape[-1]
    wy, wx = split_axes(weights, rows, columns)
    pre = level_pre(level, outer_weights(wy, wx))
    g = level_pre_gradient(level, (pre > 0) * predictor).reshape(b, p, rows, columns, bins, bins)
    g_wy = (g * wx.reshape(b, p, 1, columns, 1, bins)).sum((3, 5))  # [B, P, rows, bins]
    g_wx = (g * wy.reshape(b, p, rows, 1, bins, 1)).sum((2, 4))  # [B, P, columns, bins]
    d = axis_derivatives(weights, au, inverse_size, steps)  # [B, P, axis, (lo, ext), S, bins]
    g_y = (g_wy.unsqueeze(2) * d.select(2, 1).narrow(3, 0, rows)).sum((-1, -2))  # [B, P, 2]: y, h
    g_x = (g_wx.unsqueeze(2) * d.select(2, 0).narrow(3, 0, columns)).sum((-1, -2))  # x, w
    return torch.stack((g_x, g_y), dim=-1).reshape(b, p, 4)

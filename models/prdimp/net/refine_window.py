"""Windows of the box regressor's test maps for box refinement.

Box refinement pools ten boxes near the target, ten times per frame. PrRoIPool gives a cell weight
0 for every bin more than one cell spacing away from it, so pooling those boxes from a window of
the map around them equals pooling them from the whole map; and the test branch's two 3x3
convolutions need only two more cells of input around the window. The refinement therefore
computes the test features and pools only in a window, and checks at every step that the boxes
are still in it (`reach`); where one is not, it cuts a new window around them (after a few such
cuts, it takes the whole maps).

A region is written as its reach (-x0, -y0, x1, y1) in image coordinates, like a box's reach
(-x, -y, x + w, y + h): a box lies in a region when its reach is nowhere above the region's.
"""
import math
from typing import List, Tuple

import torch


def reach_matrix(dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """[4, 4]: (x, y, w, h) @ it = (-x, -y, x + w, y + h)."""
    m = torch.zeros(4, 4, dtype=dtype, device=device)
    m[0, 0] = -1.0
    m[1, 1] = -1.0
    m[0, 2] = 1.0
    m[2, 2] = 1.0
    m[1, 3] = 1.0
    m[3, 3] = 1.0
    return m


def covering_region(boxes: torch.Tensor, margin: float, pad: float) -> torch.Tensor:
    """Reach [4] of a region holding all boxes [B, P, 4] (x, y, w, h), grown on every side by
    `margin` times its size plus `pad` (image units); the whole plane when a box is not finite."""
    reach = (boxes.reshape(-1, 4) @ reach_matrix(boxes.dtype, boxes.device)).amax(0)
    if not bool(torch.isfinite(reach).all()):
        return torch.full_like(reach, math.inf)
    size = reach[2:] + reach[:2]
    grow = size * margin + pad
    return reach + torch.cat((grow, grow))


def window_bounds(region: torch.Tensor, spatial_scale: float, height: int, width: int) -> List[int]:
    """[y0, x0, rows, columns] of the window of a height x width map whose cells reach into the
    region (the whole map when the region is not finite)."""
    if not bool(torch.isfinite(region).all()):
        return [0, 0, height, width]
    r: List[float] = (region * spatial_scale).tolist()
    # cell j reaches into [s, e] when s - 1 < j < e + 1: j from floor(s) to ceil(e)
    x0 = min(max(int(math.floor(-r[0])), 0), width - 1)
    y0 = min(max(int(math.floor(-r[1])), 0), height - 1)
    x1 = max(min(int(math.ceil(r[2])) + 1, width), x0 + 1)
    y1 = max(min(int(math.ceil(r[3])) + 1, height), y0 + 1)
    return [y0, x0, y1 - y0, x1 - x0]


def input_window(feat: torch.Tensor, bounds: List[int]) -> Tuple[torch.Tensor, int, int]:
    """The part of feat [B, C, H, W] the convolutions need for the window, and where the window
    starts in it (row, column). At the map's border the convolutions' zero padding is the map's own."""
    y0, x0, rows, columns = bounds[0], bounds[1], bounds[2], bounds[3]
    margin = 2  # cells of input on each side for the test branch's two stacked 3x3 convolutions
    top = max(y0 - margin, 0)
    left = max(x0 - margin, 0)
    bottom = min(y0 + rows + margin, feat.shape[2])
    right = min(x0 + columns + margin, feat.shape[3])
    return feat[:, :, top:bottom, left:right], y0 - top, x0 - left


def cut_window(conv: torch.Tensor, row: int, column: int, bounds: List[int]) -> torch.Tensor:
    """The window out of the convolved input window."""
    return conv[:, :, row:row + bounds[2], column:column + bounds[3]]


def window_cells(bounds: List[int], dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    """[2, S, 1]: the map coordinates of a window's columns, then of its rows; S = max(rows,
    columns), the shorter axis continued past its end (`box_gradient` drops those cells)."""
    side = max(bounds[2], bounds[3])
    start = torch.tensor([[bounds[1]], [bounds[0]]], dtype=dtype, device=device)
    return (torch.arange(side, dtype=dtype, device=device) + start).unsqueeze(-1)

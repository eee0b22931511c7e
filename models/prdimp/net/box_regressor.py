"""Probabilistic box regressor (IoU-Net layout). The output is an unnormalised log-density
s(y | x) of a box y given the test features x, conditioned on the reference frame.

Parameter names follow the official checkpoints (conv3_1r, fc34_3r, conv4_2t, fc3_rt, ...):
'3' is the layer2 level (stride 8), '4' the layer3 level (stride 16); 'r' reference, 't' test.
Boxes are (x, y, w, h) in crop pixels.
"""
import math
from typing import List, Optional, Tuple

import torch
from torch import nn

from .box_gradient import Level, edge_steps, head_weights, level_activations, level_gradient, level_map, maps_pay
from .prroi_pool import feature_planes, prroi_pool, prroi_pool_planes, xywh_to_xyxy
from .refine_window import covering_region, cut_window, input_window, reach_matrix, window_bounds, window_cells


def conv_block(cin: int, cout: int, kernel: int = 3, padding: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, padding=padding, bias=True),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class LinearBlock(nn.Module):
    """Linear -> BatchNorm -> ReLU on a flattened pooled map."""

    def __init__(self, cin: int, cout: int, size: int):
        super().__init__()
        self.linear = nn.Linear(cin * size * size, cout)
        self.bn = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.linear(x.reshape(x.shape[0], -1))
        x = self.bn(x.reshape(x.shape[0], x.shape[1], 1, 1))
        return self.relu(x).reshape(x.shape[0], -1)

    def affine_parts(self, like: torch.Tensor) -> List[torch.Tensor]:
        """[weight, bias, scale, shift] with forward(x) = relu((x W^T + bias) * scale + shift): the
        BatchNorm (eval mode, frozen or folded) as a per-channel scale and shift."""
        probe = torch.zeros(2, self.linear.weight.shape[0], 1, 1, dtype=like.dtype, device=like.device)
        probe[1] = 1.0
        bn = self.bn(probe).reshape(2, -1)
        return [self.linear.weight, self.linear.bias, bn[1] - bn[0], bn[0]]


def boxes_to_relative(boxes: torch.Tensor, size_norm: torch.Tensor) -> torch.Tensor:
    """(x, y, w, h) -> (cx / w0, cy / h0, log w, log h)."""
    centre = boxes[..., :2] + 0.5 * boxes[..., 2:]
    return torch.cat((centre / size_norm, torch.log(boxes[..., 2:])), dim=-1)


def relative_to_boxes(rel: torch.Tensor, size_norm: torch.Tensor) -> torch.Tensor:
    size = torch.exp(rel[..., 2:])
    centre = rel[..., :2] * size_norm
    return torch.cat((centre - 0.5 * size, size), dim=-1)


class ProbabilisticBoxRegressor(nn.Module):
    def __init__(self, in_dims: Tuple[int, int], ref_dim: int = 128, inter_dims: Tuple[int, int] = (256, 256),
                 pred_dims: Tuple[int, int] = (256, 256)):
        super().__init__()
        d2, d3 = in_dims
        i2, i3 = inter_dims
        # box refinement works in windows around the boxes, grown by this share of their extent
        # plus one cell of the finer level, at most this many per refinement (`refine_window`)
        self.window_margin = 0.05
        self.window_pad = 8.0
        self.window_cuts = 3
        # reference branch
        self.conv3_1r = conv_block(d2, ref_dim)
        self.fc3_1r = conv_block(ref_dim, i2, kernel=3, padding=0)
        self.conv4_1r = conv_block(d3, i3)
        self.fc34_3r = conv_block(i2 + i3, i2, kernel=1, padding=0)
        self.fc34_4r = conv_block(i2 + i3, i3, kernel=1, padding=0)
        # test branch
        self.conv3_1t = conv_block(d2, i2)
        self.conv3_2t = conv_block(i2, i2)
        self.conv4_1t = conv_block(d3, i3)
        self.conv4_2t = conv_block(i3, i3)
        self.fc3_rt = LinearBlock(i2, pred_dims[0], 5)
        self.fc4_rt = LinearBlock(i3, pred_dims[1], 3)
        self.iou_predictor = nn.Linear(pred_dims[0] + pred_dims[1], 1, bias=True)

    def modulation(self, feat2: torch.Tensor, feat3: torch.Tensor, boxes: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Reference branch. feat2/feat3 [B, ...] of the reference crops, boxes [B, 4] -> two [B, D] vectors."""
        rois = xywh_to_xyxy(boxes).unsqueeze(1)  # [B, 1, 4]
        c3 = self.conv3_1r(feat2)
        p3 = prroi_pool(c3, rois, 3, 3, 1.0 / 8)[:, 0]  # [B, C, 3, 3]
        f3 = self.fc3_1r(p3)  # [B, i2, 1, 1]
        c4 = self.conv4_1r(feat3)
        p4 = prroi_pool(c4, rois, 1, 1, 1.0 / 16)[:, 0]  # [B, i3, 1, 1]
        cat = torch.cat((f3, p4), dim=1)
        m3 = self.fc34_3r(cat).reshape(boxes.shape[0], -1)
        m4 = self.fc34_4r(cat).reshape(boxes.shape[0], -1)
        return m3, m4

    def test_features(self, feat2: torch.Tensor, feat3: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.conv3_2t(self.conv3_1t(feat2)), self.conv4_2t(self.conv4_1t(feat3))

    def log_density(self, m3: torch.Tensor, m4: torch.Tensor, t3: torch.Tensor, t4: torch.Tensor,
                    boxes: torch.Tensor) -> torch.Tensor:
        """Unnormalised log-density of boxes [B, P, 4] -> [B, P]."""
        p3, p4 = self.modulated_planes(m3, m4, t3, t4)
        return self.planes_log_density(p3, t3.shape[1], p4, t4.shape[1], boxes)

    def modulated_planes(self, m3: torch.Tensor, m4: torch.Tensor, t3: torch.Tensor,
                         t4: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """The test features modulated by the reference vectors, laid out for PrRoIPool."""
        b = t3.shape[0]
        return feature_planes(t3 * m3.reshape(b, -1, 1, 1)), feature_planes(t4 * m4.reshape(b, -1, 1, 1))

    def planes_log_density(self, p3: torch.Tensor, c3: int, p4: torch.Tensor, c4: int,
                           boxes: torch.Tensor) -> torch.Tensor:
        b, p = boxes.shape[0], boxes.shape[1]
        rois = xywh_to_xyxy(boxes)
        r3 = prroi_pool_planes(p3, c3, rois, 5, 5, 1.0 / 8).reshape(b * p, c3, 5, 5)
        r4 = prroi_pool_planes(p4, c4, rois, 3, 3, 1.0 / 16).reshape(b * p, c4, 3, 3)
        fc = torch.cat((self.fc3_rt(r3), self.fc4_rt(r4)), dim=1)
        return self.iou_predictor(fc).reshape(b, p)

    def test_window(self, feat2: torch.Tensor, feat3: torch.Tensor, m3: torch.Tensor, m4: torch.Tensor,
                    region: torch.Tensor, heads: List[List[torch.Tensor]], work: int) -> List[Level]:
        """The two levels' windows that reach into the region (`refine_window`): the test branch on
        them, modulated by the reference vectors, mapped through the fully connected blocks
        (`box_gradient.level_map`) where that pays for `work` = steps x boxes (`maps_pay`); heads
        from `level_heads`."""
        with torch.no_grad():
            b3 = window_bounds(region, 1.0 / 8, feat2.shape[2], feat2.shape[3])
            x3, row3, col3 = input_window(feat2, b3)
            t3 = cut_window(self.conv3_2t(self.conv3_1t(x3)), row3, col3, b3) * m3[:, :, None, None]
            b4 = window_bounds(region, 1.0 / 16, feat3.shape[2], feat3.shape[3])
            x4, row4, col4 = input_window(feat3, b4)
            t4 = cut_window(self.conv4_2t(self.conv4_1t(x4)), row4, col4, b4) * m4[:, :, None, None]
            no_block: List[torch.Tensor] = []
            levels: List[Level] = []
            for level, t, bounds, head in ((0, t3, b3, heads[0]), (1, t4, b4, heads[1])):
                cells = window_cells(bounds, t.dtype, t.device)
                if maps_pay(bounds[2] * bounds[3], t.shape[1], head[1].shape[0], work):
                    levels.append((level_map(t, head[0], head[1].shape[0]), head[1], head[2], cells, bounds[2],
                                   bounds[3], no_block))
                else:
                    block = self.fc3_rt.affine_parts(t) if level == 0 else self.fc4_rt.affine_parts(t)
                    levels.append((t.reshape(t.shape[0], t.shape[1], -1), head[1], head[2], cells, bounds[2],
                                   bounds[3], block))
            return levels

    def level_heads(self, like: torch.Tensor) -> List[List[torch.Tensor]]:
        """Per level (layer2, layer3), what `box_gradient` needs besides the window: the fully
        connected block's weight laid out for `level_map` and its bias (BatchNorm folded in), the
        predictor's weights for the level's part, the bins' edge steps."""
        predictor = self.iou_predictor.weight[0]
        d3 = self.fc3_rt.linear.weight.shape[0]
        p3 = self.fc3_rt.affine_parts(like)
        w3, c3 = head_weights(p3[0], p3[1], p3[2], p3[3], 5)
        p4 = self.fc4_rt.affine_parts(like)
        w4, c4 = head_weights(p4[0], p4[1], p4[2], p4[3], 3)
        return [[w3, c3, predictor[:d3], edge_steps(5, like.dtype, like.device)],
                [w4, c4, predictor[d3:], edge_steps(3, like.dtype, like.device)]]

    def window_log_density(self, window: List[Level], boxes: torch.Tensor,
                           heads: List[List[torch.Tensor]]) -> torch.Tensor:
        """Log-density [B, P] of boxes [B, P, 4] (x, y, w, h, image coordinates, w, h > 0) inside a
        `test_window`."""
        act = torch.cat((level_activations(window[0], boxes * (1.0 / 8), heads[0][3]),
                         level_activations(window[1], boxes * (1.0 / 16), heads[1][3])), dim=1)
        return self.iou_predictor(act).reshape(boxes.shape[0], boxes.shape[1])

    def window_gradient(self, window: List[Level], boxes: torch.Tensor,
                        heads: List[List[torch.Tensor]]) -> torch.Tensor:
        """Gradient [B, P, 4] of the log-density of each box with respect to it (`box_gradient`)."""
        return (level_gradient(window[0], boxes * (1.0 / 8), heads[0][3]) * (1.0 / 8)
                + level_gradient(window[1], boxes * (1.0 / 16), heads[1][3]) * (1.0 / 16))

    def refine(self, m3: torch.Tensor, m4: torch.Tensor, feat2: torch.Tensor, feat3: torch.Tensor,
               boxes: torch.Tensor, steps: int, step_length: torch.Tensor,
               heads: Optional[List[List[torch.Tensor]]] = None) -> Tuple[torch.Tensor, torch.Tensor]:
        """Gradient ascent on the log-density in (cx/w0, cy/h0, log w, log h), where (w0, h0) is the
        size of proposal 0 of each target, from the test crops' backbone features feat2, feat3.
        Returns the refined boxes [B, P, 4] and their log-densities [B, P].

        Works in windows of the test maps around the boxes (`refine_window`), cut again where a box
        leaves its window; either way the result is that of the whole maps. The gradient is
        written out (`box_gradient`): no autograd. heads: `level_heads`, computed here when not given."""
        with torch.no_grad():
            if heads is None:
                heads = self.level_heads(boxes)
            to_reach = reach_matrix(boxes.dtype, boxes.device)
            region = covering_region(boxes, self.window_margin, self.window_pad)
            work = steps * boxes.shape[1]
            window = self.test_window(feat2, feat3, m3, m4, region, heads, work)
            size_norm = boxes[:, :1, 2:]
            rel = boxes_to_relative(boxes, size_norm)
            cuts = 1
            for _ in range(steps):
                current = relative_to_boxes(rel, size_norm)
                region, window, cuts = self.keep_in_window(current, to_reach, region, window, cuts, feat2, feat3,
                                                           m3, m4, heads, work)
                g = self.window_gradient(window, current, heads)
                # chain rule through relative_to_boxes: x = cx' w0 - w / 2, w = exp(log w)
                g_xy = g[..., :2]
                g_rel = torch.cat((g_xy * size_norm, (g[..., 2:] - 0.5 * g_xy) * current[..., 2:]), dim=-1)
                rel = rel + step_length * g_rel
            refined = relative_to_boxes(rel, size_norm)
            region, window, cuts = self.keep_in_window(refined, to_reach, region, window, cuts, feat2, feat3, m3, m4,
                                                       heads, work)
            return refined, self.window_log_density(window, refined, heads)

    def keep_in_window(self, boxes: torch.Tensor, to_reach: torch.Tensor, region: torch.Tensor,
                       window: List[Level], cuts: int, feat2: torch.Tensor, feat3: torch.Tensor, m3: torch.Tensor,
                       m4: torch.Tensor, heads: List[List[torch.Tensor]], work: int) -> Tuple[torch.Tensor, List[Level],
                                                                                                int]:
        """(region, window, cuts so far) unchanged while every box lies in the region; else a new
        window around the boxes, or the whole maps after `window_cuts` windows."""
        if bool(torch.isinf(region).all()) or bool(((boxes.reshape(-1, 4) @ to_reach).amax(0) <= region).all()):
            return region, window, cuts
        if cuts < self.window_cuts:
            region = covering_region(boxes, self.window_margin, self.window_pad)
        else:
            region = torch.full_like(region, math.inf)
        return region, self.test_window(feat2, feat3, m3, m4, region, heads, work), cuts + 1

    def forward(self, ref2: torch.Tensor, ref3: torch.Tensor, ref_boxes: torch.Tensor, test2: torch.Tensor,
                test3: torch.Tensor, proposals: torch.Tensor) -> torch.Tensor:
        """Training path: log-densities of proposals [B, P, 4] in the test crops."""
        m3, m4 = self.modulation(ref2, ref3, ref_boxes)
        t3, t4 = self.test_features(test2, test3)
        return self.log_density(m3, m4, t3, t4, proposals)

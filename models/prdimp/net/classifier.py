"""Target classifier: feature extractor, filter initialiser, PrDiMP steepest-descent optimiser.

Shape conventions (as in the exported contract, see models/README.md):
  features  [N, T, C, H, W]  N samples of T targets
  boxes     [N, T, 4]        (x, y, w, h) in crop pixels
  weights   [N, T]           per target, summing to 1 over N
  filter    [T, C, fs, fs]
  scores    [N, T, H+1, W+1] for the even filter size 4 with padding 2
"""
import math
from typing import List, Optional

import torch
import torch.nn.functional as F
from torch import nn

from .backbones import BasicBlock
from .prroi_pool import prroi_pool, xywh_to_xyxy


class InstanceL2Norm(nn.Module):
    """Scales each sample so that its elements have RMS `scale` (no parameters)."""

    def __init__(self, scale: float, eps: float = 1e-5):
        super().__init__()
        self.scale = scale
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        energy = (x * x).reshape(x.shape[0], -1).sum(dim=1).reshape(-1, 1, 1, 1)
        numel = x.shape[1] * x.shape[2] * x.shape[3]
        return x * (self.scale * torch.sqrt(numel / (energy + self.eps)))


def classifier_feature_extractor(kind: str, in_dim: int, out_dim: int, filter_size: int) -> nn.Sequential:
    """'residual' (PrDiMP-18): BasicBlock + 3x3 conv + L2 norm; 'conv' (PrDiMP-50): 3x3 conv + L2 norm."""
    norm = InstanceL2Norm(math.sqrt(1.0 / (out_dim * filter_size * filter_size)))
    if kind == "residual":
        return nn.Sequential(BasicBlock(in_dim, in_dim), nn.Conv2d(in_dim, out_dim, 3, padding=1, bias=False), norm)
    if kind == "conv":
        return nn.Sequential(nn.Conv2d(in_dim, out_dim, 3, padding=1, bias=False), norm)
    raise ValueError(f"unknown classifier feature extractor '{kind}' (expected residual or conv)")


def apply_filter(feat: torch.Tensor, filt: torch.Tensor) -> torch.Tensor:
    """Score maps of per-target filters. feat [N, T, C, H, W], filt [T, C, fs, fs] -> [N, T, Hs, Ws].

    One plain convolution per target: on CPU a grouped convolution over T targets costs about
    twice as much per target as T separate ones (libtorch 2.7, measured in bench/)."""
    t = feat.shape[1]
    pad = filt.shape[-1] // 2
    maps = [F.conv2d(feat[:, i], filt[i:i + 1], padding=pad) for i in range(t)]
    return maps[0] if t == 1 else torch.cat(maps, dim=1)


def apply_filter_transpose(feat: torch.Tensor, residual: torch.Tensor, filter_size: int) -> torch.Tensor:
    """Gradient of sum(residual * apply_filter(feat, w)) with respect to w.

    feat [N, T, C, H, W], residual [N, T, Hs, Ws] -> [T, C, fs, fs]. Per target: the features as
    C images of N channels, correlated with the residual maps as one N-channel kernel."""
    t = feat.shape[1]
    grads = [F.conv2d(feat[:, i].transpose(0, 1), residual[:, i].unsqueeze(0), padding=filter_size // 2).transpose(0, 1)
             for i in range(t)]
    return grads[0] if t == 1 else torch.cat(grads, dim=0)


def gaussian_label(boxes: torch.Tensor, map_h: int, map_w: int, stride: float, filter_size: int,
                   sigma: float) -> torch.Tensor:
    """Label density on the score grid: a Gaussian (sigma in feature cells) at the box centre,
    normalised to sum 1. Score index k looks at feature coordinate k - pad + (fs - 1) / 2, and
    feature coordinate u is crop pixel u * stride. boxes [..., 4] -> [..., map_h, map_w]."""
    offset = filter_size // 2 - (filter_size - 1) / 2.0
    cx = (boxes[..., 0] + 0.5 * boxes[..., 2]) / stride + offset
    cy = (boxes[..., 1] + 0.5 * boxes[..., 3]) / stride + offset
    kx = torch.arange(map_w, dtype=boxes.dtype, device=boxes.device)
    ky = torch.arange(map_h, dtype=boxes.dtype, device=boxes.device)
    gx = torch.exp(-0.5 * ((kx - cx.unsqueeze(-1)) / sigma) ** 2)
    gy = torch.exp(-0.5 * ((ky - cy.unsqueeze(-1)) / sigma) ** 2)
    g = gy.unsqueeze(-1) * gx.unsqueeze(-2)
    return g / g.sum(dim=(-2, -1), keepdim=True).clamp_min(1e-30)


class FilterInitializer(nn.Module):
    """3x3 conv on the features, PrRoIPool of each box to fs x fs, mean over the samples."""

    def __init__(self, dim: int, filter_size: int, stride: int):
        super().__init__()
        self.filter_conv = nn.Conv2d(dim, dim, 3, padding=1, bias=True)
        self.filter_size = filter_size
        self.stride = stride

    def forward(self, feat: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
        n, t, c, h, w = feat.shape
        x = self.filter_conv(feat.reshape(n * t, c, h, w))
        rois = xywh_to_xyxy(boxes.reshape(n * t, 1, 4))
        pooled = prroi_pool(x, rois, self.filter_size, self.filter_size, 1.0 / self.stride)
        return pooled.reshape(n, t, c, self.filter_size, self.filter_size).mean(dim=0)


class FilterOptimizer(nn.Module):
    """PrDiMP steepest descent with the Newton-style step length (spec section 3)."""

    def __init__(self, filter_size: int, stride: int, label_sigma: float = 0.9,
                 init_filter_reg: float = 0.05, min_filter_reg: float = 0.05, alpha_eps: float = 0.05):
        super().__init__()
        self.log_step_length = nn.Parameter(torch.zeros(1))
        self.filter_reg = nn.Parameter(torch.full((1,), init_filter_reg))
        self.filter_size = filter_size
        self.stride = stride
        self.label_sigma = label_sigma
        self.min_filter_reg = min_filter_reg
        self.alpha_eps = alpha_eps

    def forward(self, filt: torch.Tensor, feat: torch.Tensor, boxes: torch.Tensor,
                weights: Optional[torch.Tensor], num_iter: int) -> List[torch.Tensor]:
        """Returns the iterates [w0, w1, ..., w_num_iter]."""
        n, t = feat.shape[0], feat.shape[1]
        if weights is None:
            weights = torch.full((n, t), 1.0 / n, dtype=feat.dtype, device=feat.device)
        reg = torch.clamp(self.filter_reg * self.filter_reg, min=self.min_filter_reg ** 2)
        beta = torch.exp(self.log_step_length)
        map_h = feat.shape[-2] + 2 * (self.filter_size // 2) - self.filter_size + 1
        map_w = feat.shape[-1] + 2 * (self.filter_size // 2) - self.filter_size + 1
        label = gaussian_label(boxes, map_h, map_w, float(self.stride), self.filter_size, self.label_sigma)
        g = weights.reshape(n, t, 1, 1)
        iterates = [filt]
        for _ in range(num_iter):
            scores = apply_filter(feat, filt)
            prob = torch.softmax(scores.reshape(n, t, -1), dim=-1).reshape(scores.shape)
            grad = apply_filter_transpose(feat, g * (prob - label), self.filter_size) + reg * filt
            q = apply_filter(feat, grad)
            pq = (prob * q).sum(dim=(-2, -1))
            pqq = (prob * q * q).sum(dim=(-2, -1))
            hess = (pqq - pq * pq).clamp_min(0.0)  # [N, T]
            ghg = (weights * hess).sum(dim=0)  # [T]
            gg = (grad * grad).sum(dim=(1, 2, 3))  # [T]
            alpha = gg / torch.clamp(ghg + (reg + self.alpha_eps) * gg, min=1e-8)
            filt = filt - (beta * alpha).reshape(t, 1, 1, 1) * grad
            iterates.append(filt)
        return iterates


class Classifier(nn.Module):
    def __init__(self, kind: str, in_dim: int, dim: int, filter_size: int = 4, stride: int = 16):
        super().__init__()
        self.feature_extractor = classifier_feature_extractor(kind, in_dim, dim, filter_size)
        self.filter_initializer = FilterInitializer(dim, filter_size, stride)
        self.filter_optimizer = FilterOptimizer(filter_size, stride)
        self.filter_size = filter_size

    def extract(self, layer3: torch.Tensor) -> torch.Tensor:
        return self.feature_extractor(layer3)

    def learn_filter(self, feat: torch.Tensor, boxes: torch.Tensor, weights: Optional[torch.Tensor],
                     num_iter: int) -> List[torch.Tensor]:
        """Initial filter plus num_iter optimiser iterates (feat are classifier features)."""
        init = self.filter_initializer(feat, boxes)
        return self.filter_optimizer(init, feat, boxes, weights, num_iter)

    def classify(self, filt: torch.Tensor, feat: torch.Tensor) -> torch.Tensor:
        return apply_filter(feat, filt)

"""Training losses (spec section 2) and the box-regressor proposals.

Classifier: the KL divergence / cross-entropy between the label density y and the softmax of the
score map s, `logsumexp(s) - sum(y * s)` (the cross-entropy; the KL is that minus the label's
entropy, a constant), on the initial filter and every optimiser iterate, weighted 0.25 (initial),
0.25 (final) and 1.0 (mean of the intermediate iterates).

Shrinkage option (Lu et al., "Deep regression tracking with shrinkage loss", ECCV 2018): the
squared loss modulated by a sigmoid of the absolute error l,
    L = l^2 / (1 + exp(a (c - l))),
which damps the many easy cells (small l, mostly background) and keeps the hard ones. Here it
is applied to the probability map, with both the softmax of the scores and the label divided by
the label's peak, so that l lies in [0, ~1] as in the paper (which regresses maps peaking at 1);
a = 10 (shrinkage speed) and c = 0.2 (localisation: the error where the weight is 1/2) as in the
paper. It is summed over the map and averaged over the samples.

Box regressor: 128 proposals per test frame from a two-component Gaussian mixture in relative
coordinates (cx / w, cy / h, log w, log h), sigmas (0.05, 0.05) and (0.5, 0.5); the ground-truth
density p is a Gaussian with sigma 0.05 in the same coordinates; the KL by Monte Carlo is
    logsumexp(s - log q) - log M - mean(s * p / q).
"""
import math
from typing import List, Sequence, Tuple

import torch

from ..net.classifier import gaussian_label

CLASSIFIER_WEIGHTS = {"initial": 0.25, "final": 0.25, "intermediate": 1.0}
BOX_LOSS_WEIGHT = 0.0025
SHRINKAGE_A = 10.0
SHRINKAGE_C = 0.2
PROPOSAL_SIGMAS = ((0.05, 0.05), (0.5, 0.5))  # (centre, log size) per mixture component
GT_SIGMA = 0.05
NUM_PROPOSALS = 128


def label_density(boxes: torch.Tensor, map_size: int, stride: int = 16, filter_size: int = 4,
                  sigma: float = 0.9) -> torch.Tensor:
    """Gaussian label density (sum 1) on the (H+1) x (W+1) score grid. boxes [..., 4] crop px."""
    return gaussian_label(boxes, map_size, map_size, float(stride), filter_size, sigma)


def cross_entropy(scores: torch.Tensor, label: torch.Tensor) -> torch.Tensor:
    """Mean over the leading dims of logsumexp(s) - sum(y s); scores, label [..., H, W]."""
    s = scores.flatten(-2)
    y = label.flatten(-2)
    return (torch.logsumexp(s, dim=-1) - (y * s).sum(dim=-1)).mean()


def entropy(label: torch.Tensor) -> torch.Tensor:
    y = label.flatten(-2)
    return -(y * torch.log(y.clamp_min(1e-30))).sum(dim=-1).mean()


def kl_divergence(scores: torch.Tensor, label: torch.Tensor) -> torch.Tensor:
    """KL(y || softmax(s)), mean over the leading dims: the cross-entropy minus the label's entropy."""
    return cross_entropy(scores, label) - entropy(label)


def shrinkage_loss(scores: torch.Tensor, label: torch.Tensor, a: float = SHRINKAGE_A,
                   c: float = SHRINKAGE_C) -> torch.Tensor:
    """Lu et al.'s shrinkage loss on the probability map (see the module doc): sum over the map,
    mean over the leading dims."""
    prob = torch.softmax(scores.flatten(-2), dim=-1)
    y = label.flatten(-2)
    peak = y.max(dim=-1, keepdim=True).values.clamp_min(1e-30)
    err = (prob - y).abs() / peak
    return (err * err / (1.0 + torch.exp(a * (c - err)))).sum(dim=-1).mean()


def classifier_loss(iterate_scores: Sequence[torch.Tensor], label: torch.Tensor, kind: str = "kl") -> Tuple[torch.Tensor, List[float]]:
    """Weighted loss over the score maps of the initial filter and every iterate; returns the
    total and the per-iterate values (for logging)."""
    fn = {"kl": cross_entropy, "shrinkage": shrinkage_loss}.get(kind)
    if fn is None:
        raise ValueError(f"unknown classifier loss '{kind}' (expected kl or shrinkage)")
    losses = [fn(s, label) for s in iterate_scores]
    total = CLASSIFIER_WEIGHTS["initial"] * losses[0]
    if len(losses) > 1:
        total = total + CLASSIFIER_WEIGHTS["final"] * losses[-1]
    if len(losses) > 2:
        total = total + CLASSIFIER_WEIGHTS["intermediate"] * torch.stack(losses[1:-1]).mean()
    return total, [float(v) for v in losses]


# ---------------------------------------------------------------------------------- box regressor

def _to_relative(boxes: torch.Tensor, ref_size: torch.Tensor) -> torch.Tensor:
    centre = boxes[..., :2] + 0.5 * boxes[..., 2:]
    return torch.cat((centre / ref_size, torch.log(boxes[..., 2:])), dim=-1)


def _log_gauss(rel: torch.Tensor, mean: torch.Tensor, sigma: Tuple[float, float]) -> torch.Tensor:
    s = torch.tensor([sigma[0], sigma[0], sigma[1], sigma[1]], dtype=rel.dtype, device=rel.device)
    z = (rel - mean) / s
    return (-0.5 * z * z - torch.log(s) - 0.5 * math.log(2 * math.pi)).sum(dim=-1)


def sample_proposals(gt: torch.Tensor, num: int = NUM_PROPOSALS, generator: torch.Generator = None
                     ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Proposals around gt [B, 4]: ([B, num, 4] boxes, [B, num] log q, [B, num] log p), the
    densities of the proposal mixture q and of the ground-truth Gaussian p in relative coordinates
    (cx / w, cy / h, log w, log h) of the ground-truth box."""
    b = gt.shape[0]
    ref = gt[:, None, 2:]  # [B, 1, 2]
    mean = _to_relative(gt[:, None], ref)  # [B, 1, 4]
    comp = torch.randint(0, len(PROPOSAL_SIGMAS), (b, num), generator=generator)
    sig = torch.tensor([[s[0], s[0], s[1], s[1]] for s in PROPOSAL_SIGMAS], dtype=gt.dtype)[comp]  # [B, num, 4]
    rel = mean + sig * torch.randn((b, num, 4), generator=generator, dtype=gt.dtype)
    size = torch.exp(rel[..., 2:])
    boxes = torch.cat((rel[..., :2] * ref - 0.5 * size, size), dim=-1)
    log_q = torch.logsumexp(torch.stack([_log_gauss(rel, mean, s) for s in PROPOSAL_SIGMAS]), dim=0) \
        - math.log(len(PROPOSAL_SIGMAS))
    log_p = _log_gauss(rel, mean, (GT_SIGMA, GT_SIGMA))
    return boxes, log_q, log_p


def box_kl_loss(scores: torch.Tensor, log_q: torch.Tensor, log_p: torch.Tensor) -> torch.Tensor:
    """Monte Carlo KL: logsumexp(s - log q) - log M - mean(s p / q), mean over the frames. [B, M] each."""
    m = scores.shape[-1]
    ratio = torch.exp(log_p - log_q)
    return (torch.logsumexp(scores - log_q, dim=-1) - math.log(m) - (scores * ratio).mean(dim=-1)).mean()

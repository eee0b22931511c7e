"""One training step of PrDiMP on a batch, the optimiser, checkpoints.

The network is `prdimp.net.network.PrDiMPNet`, the module the exporter scripts: a checkpoint's
`net` state dict loads into `build_net(variant)` and exports with `prdimp.export.model_folder` unchanged.
"""
import json
import os
import time
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional

import torch

from ..net.classifier import apply_filter
from ..net.network import PrDiMPNet, build_net
from . import losses
from .sampler import Batch


@dataclass
class TrainConfig:
    variant: str = "compact"
    seed: int = 0
    batch_size: int = 4
    lr: float = 1e-3                 # heads (classifier, box regressor)
    backbone_lr_factor: float = 0.5  # backbone lr = lr * this (trained from scratch here, hence not 0.1)
    lr_decay_steps: int = 1500       # step decay: lr * gamma every this many steps
    lr_decay_gamma: float = 0.2
    optimizer_iterations: int = 5    # filter optimiser iterations during training
    classifier_loss: str = "kl"      # kl | shrinkage
    box_loss_weight: float = losses.BOX_LOSS_WEIGHT
    proposals: int = losses.NUM_PROPOSALS
    box_test_frames: int = 0         # test frames per sequence the box regressor learns from (0: all)
    label_sigma: float = 0.9
    weight_decay: float = 0.0
    frozen_backbone: bool = False    # backbone not trained (its features come cached: feature_bank.py)
    extra: Dict = field(default_factory=dict)


def make_optimizer(net: PrDiMPNet, cfg: TrainConfig) -> torch.optim.Optimizer:
    backbone = list(net.feature_extractor.parameters())
    ids = {id(p) for p in backbone}
    heads = [p for p in net.parameters() if id(p) not in ids]
    if cfg.frozen_backbone:
        for p in backbone:
            p.requires_grad_(False)
        return torch.optim.Adam([{"params": heads, "lr": cfg.lr}], weight_decay=cfg.weight_decay)
    return torch.optim.Adam([{"params": backbone, "lr": cfg.lr * cfg.backbone_lr_factor},
                             {"params": heads, "lr": cfg.lr}], weight_decay=cfg.weight_decay)


def make_scheduler(opt: torch.optim.Optimizer, cfg: TrainConfig):
    return torch.optim.lr_scheduler.StepLR(opt, step_size=cfg.lr_decay_steps, gamma=cfg.lr_decay_gamma)


def compute_losses(net: PrDiMPNet, batch: Batch, cfg: TrainConfig, generator: torch.Generator) -> Dict:
    """Forward pass and every loss of one batch. Returns a dict with `total` (a tensor) and floats."""
    f, b = batch.boxes.shape[0], batch.boxes.shape[1]
    ntr = batch.train_frames
    dev = next(net.parameters()).device
    boxes = batch.boxes.to(dev)
    if batch.layer2 is not None:  # a frozen backbone's cached features
        l2 = batch.layer2.reshape(f * b, *batch.layer2.shape[2:]).to(dev)
        l3 = batch.layer3.reshape(f * b, *batch.layer3.shape[2:]).to(dev)
        clf = net.classifier.extract(l3)
    else:
        images = batch.images.reshape(f * b, *batch.images.shape[2:]).to(dev)
        l2, l3, clf = net.extract(images)
    clf = clf.reshape(f, b, *clf.shape[1:])
    l2 = l2.reshape(f, b, *l2.shape[1:])
    l3 = l3.reshape(f, b, *l3.shape[1:])
    # classifier: filter from the train frames, scores on the test frames for every iterate
    iterates = net.classifier.learn_filter(clf[:ntr], boxes[:ntr], None, cfg.optimizer_iterations)
    test_feat = clf[ntr:]
    map_size = test_feat.shape[-1] + 1
    label = losses.label_density(boxes[ntr:], map_size, net.cfg.feature_stride, net.cfg.filter_size, cfg.label_sigma)
    scores = [apply_filter(test_feat, w) for w in iterates]
    cls_total, per_iter = losses.classifier_loss(scores, label, cfg.classifier_loss)
    # the KL / cross-entropy of the final filter is always logged (comparable across losses)
    final_ce = float(losses.cross_entropy(scores[-1].detach(), label))
    # box regressor: reference = first train frame, test = every test frame
    nte = f - ntr
    if 0 < cfg.box_test_frames < nte:  # the box regressor's test branch is most of a step's cost
        l2, l3, boxes, nte = l2[:ntr + cfg.box_test_frames], l3[:ntr + cfg.box_test_frames], \
            boxes[:ntr + cfg.box_test_frames], cfg.box_test_frames
    ref2 = l2[0].unsqueeze(0).expand(nte, -1, -1, -1, -1).reshape(nte * b, *l2.shape[2:])
    ref3 = l3[0].unsqueeze(0).expand(nte, -1, -1, -1, -1).reshape(nte * b, *l3.shape[2:])
    ref_boxes = boxes[0].unsqueeze(0).expand(nte, -1, -1).reshape(nte * b, 4)
    gt = boxes[ntr:].reshape(nte * b, 4)
    proposals, log_q, log_p = losses.sample_proposals(gt.cpu(), cfg.proposals, generator)
    dens = net.bb_regressor(ref2, ref3, ref_boxes, l2[ntr:].reshape(nte * b, *l2.shape[2:]),
                            l3[ntr:].reshape(nte * b, *l3.shape[2:]), proposals.to(dev))
    box_kl = losses.box_kl_loss(dens, log_q.to(dev), log_p.to(dev))
    total = cls_total + cfg.box_loss_weight * box_kl
    # how well the final filter localises: peak of the score map within 1 cell of the label peak
    with torch.no_grad():
        s = scores[-1].flatten(-2).argmax(-1)
        t = label.flatten(-2).argmax(-1)
        hit = (((s // map_size - t // map_size).abs() <= 1) & ((s % map_size - t % map_size).abs() <= 1)).float().mean()
    out = {"total": total, "loss": float(total), "cls": float(cls_total), "box_kl": float(box_kl),
           "cls_final_ce": final_ce, "peak_hit": float(hit),
           "beta": float(torch.exp(net.classifier.filter_optimizer.log_step_length)),
           "filter_reg": float(net.classifier.filter_optimizer.filter_reg)}
    for i, v in enumerate(per_iter):
        out[f"cls_iter{i}"] = v
    return out


def step_generator(seed: int, step: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed * 1_000_003 + step)


def train_step(net: PrDiMPNet, opt, sched, batch: Batch, cfg: TrainConfig, step: int) -> Dict:
    net.train()
    opt.zero_grad(set_to_none=True)
    out = compute_losses(net, batch, cfg, step_generator(cfg.seed, step))
    out["total"].backward()
    grad_norm = torch.nn.utils.clip_grad_norm_(net.parameters(), 100.0)
    opt.step()
    sched.step()
    out["grad_norm"] = float(grad_norm)
    out["lr"] = opt.param_groups[-1]["lr"]  # the heads' group
    del out["total"]
    return out


@torch.no_grad()
def evaluate(net: PrDiMPNet, batch: Batch, cfg: TrainConfig) -> Dict:
    """Losses of a fixed batch in eval mode (BatchNorm running statistics, as exported)."""
    was = net.training
    net.eval()
    out = compute_losses(net, batch, cfg, step_generator(cfg.seed, -1))
    del out["total"]
    net.train(was)
    return out


@torch.no_grad()
def recalibrate_batchnorm(net: PrDiMPNet, batches) -> int:
    """Replace every BatchNorm's running statistics by their average over the given batches
    (forward passes in train mode, no gradient). Training uses per-batch statistics of small,
    correlated batches; the exported network uses the running ones, so they are re-estimated
    over many batches before export. Returns the number of batches used."""
    bns = [m for m in net.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    saved = [m.momentum for m in bns]
    for m in bns:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    net.train()
    cfg = TrainConfig(proposals=losses.NUM_PROPOSALS)
    n = 0
    for i, batch in enumerate(batches):
        compute_losses(net, batch, cfg, step_generator(0, 10 ** 7 + i))
        n += 1
    for m, mom in zip(bns, saved):
        m.momentum = mom
    net.eval()
    return n


# ---------------------------------------------------------------------------------- checkpoints

def save_checkpoint(path: str, net, opt, sched, cfg: TrainConfig, step: int, info: Optional[Dict] = None) -> None:
    tmp = path + ".tmp"
    torch.save({"step": step, "net": net.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                "config": asdict(cfg), "torch_rng": torch.get_rng_state(), "info": info or {}}, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: str, device: str = "cpu"):
    """-> (net, opt, sched, cfg, step, info) ready to continue."""
    ck = torch.load(path, map_location=device)
    cfg = TrainConfig(**ck["config"])
    net = build_net(cfg.variant).to(device)
    net.load_state_dict(ck["net"])
    opt = make_optimizer(net, cfg)
    opt.load_state_dict(ck["optimizer"])
    sched = make_scheduler(opt, cfg)
    sched.load_state_dict(ck["scheduler"])
    torch.set_rng_state(ck["torch_rng"])
    return net, opt, sched, cfg, ck["step"], ck.get("info", {})


def load_net(path: str) -> PrDiMPNet:
    """Only the network of a checkpoint (for export)."""
    ck = torch.load(path, map_location="cpu")
    net = build_net(ck["config"]["variant"])
    net.load_state_dict(ck["net"])
    return net.eval()


def new_run(cfg: TrainConfig, device: str = "cpu"):
    torch.manual_seed(cfg.seed)
    net = build_net(cfg.variant).to(device)
    opt = make_optimizer(net, cfg)
    return net, opt, make_scheduler(opt, cfg)


class JsonlLog:
    def __init__(self, path: str):
        self.path = path

    def write(self, record: Dict) -> None:
        with open(self.path, "a") as f:
            f.write(json.dumps(record, sort_keys=True) + "\n")


def now() -> float:
    return time.time()


def describe(records: List[Dict], key: str) -> str:
    vals = [r[key] for r in records if key in r]
    return f"{sum(vals) / len(vals):.4f}" if vals else "-"

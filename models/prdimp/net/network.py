"""The PrDiMP network: backbone + classifier + probabilistic box regressor, per variant.

Top-level names (feature_extractor, classifier, bb_regressor) match the official checkpoints.
"""
import dataclasses
from dataclasses import dataclass
from typing import Dict, List, Tuple

import torch
from torch import nn

from .backbones import build_backbone
from .box_regressor import ProbabilisticBoxRegressor
from .classifier import Classifier

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


@dataclass
class NetConfig:
    variant: str
    backbone: str
    input_channels: int
    input_mean: Tuple[float, ...]
    input_std: Tuple[float, ...]
    classifier_kind: str
    classifier_in_dim: int
    classifier_dim: int
    bbreg_in_dims: Tuple[int, int]
    bbreg_ref_dim: int = 128
    bbreg_inter_dims: Tuple[int, int] = (256, 256)
    bbreg_pred_dims: Tuple[int, int] = (256, 256)
    filter_size: int = 4
    feature_stride: int = 16
    crop_size: int = 288
    search_area_scale: float = 5.0

    def to_dict(self) -> Dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()}

    @staticmethod
    def from_dict(d: Dict) -> "NetConfig":
        fields = {f.name for f in dataclasses.fields(NetConfig)}
        unknown = set(d) - fields
        if unknown:
            raise ValueError(f"unknown network config keys: {sorted(unknown)}")
        return NetConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


VARIANTS: Dict[str, NetConfig] = {
    "resnet18": NetConfig("resnet18", "resnet18", 3, IMAGENET_MEAN, IMAGENET_STD, "residual", 256, 256,
                          (128, 256), crop_size=288, search_area_scale=5.0),
    "resnet50": NetConfig("resnet50", "resnet50", 3, IMAGENET_MEAN, IMAGENET_STD, "conv", 1024, 512,
                          (512, 1024), crop_size=352, search_area_scale=6.0),
    "compact": NetConfig("compact", "compact", 1, (0.5,), (0.25,), "residual", 128, 128, (64, 128),
                         bbreg_ref_dim=64, bbreg_inter_dims=(128, 128), bbreg_pred_dims=(128, 128),
                         crop_size=288, search_area_scale=5.0),
}
# NanoTrack's pretrained MobileNetV3-small (nanotrack_backbone.py): 3-channel input in [0, 255];
# layer2 = its 24-channel stride-8 stage, layer3 = its last stage (48 channels v2, 96 v3)
for _version, _l3 in (("v2", 48), ("v3", 96)):
    VARIANTS[f"nanotrack-{_version}"] = NetConfig(
        f"nanotrack-{_version}", f"nanotrack-{_version}", 3, (0.0, 0.0, 0.0), (1 / 255,) * 3, "residual", _l3, 128,
        (24, _l3), bbreg_ref_dim=64, bbreg_inter_dims=(128, 128), bbreg_pred_dims=(128, 128),
        crop_size=288, search_area_scale=5.0)


def variant_config(name: str) -> NetConfig:
    if name not in VARIANTS:
        raise ValueError(f"unknown variant '{name}' (expected one of {sorted(VARIANTS)})")
    return dataclasses.replace(VARIANTS[name])


class PrDiMPNet(nn.Module):
    def __init__(self, cfg: NetConfig):
        super().__init__()
        self.cfg = cfg
        self.feature_extractor = build_backbone(cfg.backbone, cfg.input_channels)
        self.classifier = Classifier(cfg.classifier_kind, cfg.classifier_in_dim, cfg.classifier_dim,
                                     cfg.filter_size, cfg.feature_stride)
        self.bb_regressor = ProbabilisticBoxRegressor(cfg.bbreg_in_dims, cfg.bbreg_ref_dim,
                                                      cfg.bbreg_inter_dims, cfg.bbreg_pred_dims)
        self.register_buffer("input_mean", torch.tensor(cfg.input_mean).reshape(1, -1, 1, 1), persistent=False)
        self.register_buffer("input_std", torch.tensor(cfg.input_std).reshape(1, -1, 1, 1), persistent=False)
        self.input_channels = cfg.input_channels

    def normalise(self, images: torch.Tensor) -> torch.Tensor:
        """images [B, 1 or 3, H, W] in [0, 1]: adapt the channel count, then mean/std normalise."""
        if images.shape[1] != self.input_channels:
            if images.shape[1] == 1:
                images = images.expand(-1, self.input_channels, -1, -1)
            else:
                images = images.mean(dim=1, keepdim=True).expand(-1, self.input_channels, -1, -1)
        return (images - self.input_mean) / self.input_std

    def extract(self, images: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """images in [0, 1] -> (layer2, layer3, classifier features)."""
        l2, l3 = self.feature_extractor(self.normalise(images))
        return l2, l3, self.classifier.extract(l3)


def build_net(variant: str) -> PrDiMPNet:
    return PrDiMPNet(variant_config(variant))


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


# ---------------------------------------------------------------- frozen BatchNorm for export

class FrozenBatchNorm(nn.Module):
    """BatchNorm with fixed statistics: the same output in train and eval mode."""

    def __init__(self, bn: nn.modules.batchnorm._BatchNorm):
        super().__init__()
        scale = bn.weight.detach() / torch.sqrt(bn.running_var.detach() + bn.eps)
        self.register_buffer("scale", scale.clone())
        self.register_buffer("shift", (bn.bias.detach() - bn.running_mean.detach() * scale).clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shape: List[int] = [1, -1] + [1] * (x.dim() - 2)
        return x * self.scale.reshape(shape) + self.shift.reshape(shape)


def freeze_batchnorm(module: nn.Module) -> nn.Module:
    """Replace every BatchNorm layer of `module` (in place) by a FrozenBatchNorm."""
    for name, child in module.named_children():
        if isinstance(child, nn.modules.batchnorm._BatchNorm):
            setattr(module, name, FrozenBatchNorm(child))
        else:
            freeze_batchnorm(child)
    return module


def _fold_into(layer: nn.Module, bn: FrozenBatchNorm) -> None:
    """layer (Conv2d or Linear) followed by bn becomes one layer: y = s (W x + b) + t."""
    scale = bn.scale.detach()
    shape = [-1] + [1] * (layer.weight.dim() - 1)
    with torch.no_grad():
        layer.weight.mul_(scale.reshape(shape))
        bias = bn.shift.detach().clone() if layer.bias is None else layer.bias.detach() * scale + bn.shift
    layer.bias = nn.Parameter(bias)


# producer -> BatchNorm attribute pairs of the blocks whose forward applies the BatchNorm right
# after the producer (backbones.BasicBlock / Bottleneck / ResNet, box_regressor.LinearBlock)
_FOLD_PAIRS = (("conv1", "bn1"), ("conv2", "bn2"), ("conv3", "bn3"), ("linear", "bn"))


def fold_batchnorm(module: nn.Module) -> nn.Module:
    """Fold every FrozenBatchNorm (see `freeze_batchnorm`) into the convolution or linear layer
    that feeds it, in place, and drop it: the same function with one elementwise pass less per
    BatchNorm. Pairs: adjacent (Conv2d | Linear, FrozenBatchNorm) in an nn.Sequential, and the
    named pairs of `_FOLD_PAIRS`. Folding a folded network changes nothing."""
    if isinstance(module, nn.Sequential):
        children = list(module.named_children())
        for (_, first), (name, second) in zip(children, children[1:]):
            if isinstance(second, FrozenBatchNorm) and isinstance(first, (nn.Conv2d, nn.Linear)):
                _fold_into(first, second)
                setattr(module, name, nn.Identity())
    for producer, bn in _FOLD_PAIRS:
        if isinstance(getattr(module, bn, None), FrozenBatchNorm) and isinstance(getattr(module, producer, None),
                                                                                 (nn.Conv2d, nn.Linear)):
            _fold_into(getattr(module, producer), getattr(module, bn))
            setattr(module, bn, nn.Identity())
    for child in module.children():
        fold_batchnorm(child)
    return module

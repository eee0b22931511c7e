"""Official checkpoint layouts: key names, and random checkpoints built in those layouts.

pytracking (`prdimp18.pth.tar`, `prdimp50.pth.tar`): a pickled dict whose `net` is the state dict
under our own names (feature_extractor., classifier., bb_regressor.) plus the unused ResNet
`layer4` / `fc`, and whose `constructor` is a pickled object of pytracking's code base.
mmtracking (PrDiMP R50): `state_dict` with backbone., classifier.channel_mapping.0.,
classifier.filter_initializer., classifier.filter_optimizer., bbox_regressor.<name>.{conv,bn}.
"""
import re
from typing import Dict, List, Optional, Tuple

import torch

from ..net.backbones import BasicBlock, Bottleneck
from ..net.network import build_net
from torch import nn

# our bb_regressor block -> mmtracking bbox_regressor block
MM_BBREG_NAMES = {
    "conv3_1r": "conv3_temp", "fc3_1r": "fc3_temp", "fc34_3r": "fc34_3_temp",
    "conv4_1r": "conv4_temp", "fc34_4r": "fc34_4_temp",
    "conv3_1t": "conv3_search.0", "conv3_2t": "conv3_search.1", "fc3_rt": "fc3_search",
    "conv4_1t": "conv4_search.0", "conv4_2t": "conv4_search.1", "fc4_rt": "fc4_search",
    "iou_predictor": "iou_predictor",
}
LINEAR_BLOCKS = ("fc3_rt", "fc4_rt", "iou_predictor")
UNUSED_OFFICIAL_PREFIXES = ("feature_extractor.layer4.", "feature_extractor.fc.")


def ours_to_mmtracking(key: str) -> str:
    if key.startswith("feature_extractor."):
        return "backbone." + key[len("feature_extractor."):]
    if key.startswith("classifier.feature_extractor.0."):
        return "classifier.channel_mapping.0." + key[len("classifier.feature_extractor.0."):]
    if key.startswith("classifier."):
        return key
    m = re.match(r"bb_regressor\.([a-z0-9_]+)\.(.*)$", key)
    if not m:
        raise KeyError(key)
    block, rest = m.group(1), m.group(2)
    rest = re.sub(r"^0\.", "conv.", rest)
    rest = re.sub(r"^1\.", "bn.", rest)
    return f"bbox_regressor.{MM_BBREG_NAMES[block]}.{rest}"


def mmtracking_to_ours(key: str) -> Optional[str]:
    """Inverse of ours_to_mmtracking; None for a key of no known place."""
    if key.startswith("backbone."):
        return "feature_extractor." + key[len("backbone."):]
    if key.startswith("classifier.channel_mapping.0."):
        return "classifier.feature_extractor.0." + key[len("classifier.channel_mapping.0."):]
    if key.startswith("classifier.filter_initializer.") or key.startswith("classifier.filter_optimizer."):
        return key
    if key.startswith("bbox_regressor."):
        rest = key[len("bbox_regressor."):]
        for ours, mm in sorted(MM_BBREG_NAMES.items(), key=lambda kv: -len(kv[1])):
            if rest.startswith(mm + "."):
                tail = rest[len(mm) + 1:]
                if ours not in LINEAR_BLOCKS:  # conv blocks: ConvModule's conv/bn are our 0/1
                    tail = re.sub(r"^conv\.", "0.", tail)
                    tail = re.sub(r"^bn\.", "1.", tail)
                return f"bb_regressor.{ours}.{tail}"
    return None


def _unused_head(variant: str) -> nn.Module:
    """ResNet layer4 + fc as in torchvision: present in official checkpoints, never run."""
    m = nn.Module()
    if variant == "resnet18":
        m.layer4 = nn.Sequential(BasicBlock(256, 512, 2), BasicBlock(512, 512))
        m.fc = nn.Linear(512, 1000)
    else:
        m.layer4 = nn.Sequential(Bottleneck(1024, 512, 2), Bottleneck(2048, 512), Bottleneck(2048, 512))
        m.fc = nn.Linear(2048, 1000)
    return m


def official_key_shapes(variant: str) -> Dict[str, Tuple[int, ...]]:
    """Every key of a pytracking PrDiMP state dict with its shape, derived from our network."""
    shapes = {k: tuple(v.shape) for k, v in build_net(variant).state_dict().items()}
    for k, v in _unused_head(variant).state_dict().items():
        shapes["feature_extractor." + k] = tuple(v.shape)
    return shapes


def random_state(shapes: Dict[str, Tuple[int, ...]], seed: int) -> Dict[str, torch.Tensor]:
    """Random values with sensible statistics (so that activations stay finite and varied)."""
    g = torch.Generator().manual_seed(seed)
    out = {}
    for key in sorted(shapes):
        shape = tuple(shapes[key])
        if key.endswith("num_batches_tracked"):
            out[key] = torch.tensor(1000, dtype=torch.long)
        elif key.endswith("running_var"):
            out[key] = 0.5 + torch.rand(shape, generator=g)
        elif key.endswith("running_mean") or key.endswith(".bias"):
            out[key] = 0.1 * torch.randn(shape, generator=g)
        elif key.endswith("log_step_length"):
            out[key] = torch.zeros(shape)
        elif key.endswith("filter_reg"):
            out[key] = torch.full(shape, 0.05)
        elif len(shape) == 1:  # BatchNorm weight
            out[key] = 0.5 + 0.5 * torch.rand(shape, generator=g)
        else:
            fan_in = 1
            for d in shape[1:]:
                fan_in *= d
            out[key] = torch.randn(shape, generator=g) * (2.0 / fan_in) ** 0.5
    return out


def to_mmtracking_layout(state: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
    """Our / pytracking names -> mmtracking names (mmtracking's ResNet stops at layer3)."""
    return {ours_to_mmtracking(k): v for k, v in state.items() if not k.startswith(UNUSED_OFFICIAL_PREFIXES)}

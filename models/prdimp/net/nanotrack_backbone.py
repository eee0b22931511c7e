"""The NanoTrack backbone: a MobileNetV3-small cut after its stride-16 stage, in our interface.

NanoTrack (H. Chu, Apache-2.0) tracks with a MobileNetV3-small whose last stage keeps stride 16.
Written here from the published architecture facts (block table below), in this project's layer
names; `prdimp.convert.nanotrack` maps NanoTrack's `backbone.*` tensors onto it. The interface is the
one of `backbones.py` (beside this file): forward(x) -> (layer2 at stride 8, layer3 at stride 16), here the output of
the third inverted-residual block (24 channels) and of the last one (48 channels in v2, 96 in v3).

Input: 3 channels scaled to [0, 255] (NanoTrack feeds raw 8-bit pixel values, no mean / std).
NanoTrack's checkpoints expect BGR; the converter reverses the stem's input channels so that this
network takes RGB, like every other variant.
"""
from typing import List, NamedTuple, Tuple

import torch
from torch import nn


class BlockSpec(NamedTuple):
    kernel: int
    hidden: int  # channels of the depthwise convolution (== input channels: no expansion layer)
    out: int
    se: int  # squeeze-and-excite bottleneck width, 0 for none
    hardswish: bool  # else ReLU
    stride: int


# The inverted-residual blocks after the stem (16 channels, stride 2), in order. The first three
# end at stride 8 (layer2), the rest at stride 16 (layer3); v3 adds a 96-channel block, at stride 1.
NANOTRACK_BLOCKS = {
    "v2": [
        BlockSpec(3, 16, 16, 8, False, 2),
        BlockSpec(3, 72, 24, 0, False, 2),
        BlockSpec(3, 88, 24, 0, False, 1),
        BlockSpec(5, 96, 40, 24, True, 2),
        BlockSpec(5, 240, 40, 64, True, 1),
        BlockSpec(5, 240, 40, 64, True, 1),
        BlockSpec(5, 120, 48, 32, True, 1),
        BlockSpec(5, 144, 48, 40, True, 1),
    ],
}
NANOTRACK_BLOCKS["v3"] = NANOTRACK_BLOCKS["v2"] + [BlockSpec(5, 288, 96, 72, True, 1)]
STEM_CHANNELS = 16
LAYER2_BLOCKS = 3  # blocks up to stride 8


class SqueezeExcite(nn.Module):
    """Channel gate: global mean -> linear -> ReLU -> linear -> hard sigmoid, times the input.

    The two linear layers run as 1x1 convolutions with their weights: as matrix products, libtorch's
    result for a batch of 4 or more crops depended on its thread count (1e-5 on the stride-16 features,
    which the tracker amplifies); as convolutions it does not. Same parameters, same names."""

    def __init__(self, channels: int, width: int):
        super().__init__()
        self.reduce = nn.Linear(channels, width)
        self.restore = nn.Linear(width, channels)
        self.relu = nn.ReLU()
        self.gate = nn.Hardsigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        f = torch.nn.functional
        m = f.adaptive_avg_pool2d(x, 1)
        h = self.relu(f.conv2d(m, self.reduce.weight[:, :, None, None], self.reduce.bias))
        return x * self.gate(f.conv2d(h, self.restore.weight[:, :, None, None], self.restore.bias))


def _conv_bn(cin: int, cout: int, kernel: int = 1, stride: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, stride=stride, padding=(kernel - 1) // 2, groups=groups,
                                   bias=False), nn.BatchNorm2d(cout))


class MobileBlock(nn.Module):
    """Inverted residual: [1x1 expansion + BN + activation] -> depthwise kxk + BN -> [SE] ->
    1x1 projection + BN (no activation), plus the input where the shape is kept.

    Where there is an expansion layer, squeeze-and-excite comes before the depthwise stage's
    activation; in the block without one, after it (the order NanoTrack's weights were trained with).
    """

    def __init__(self, cin: int, spec: BlockSpec):
        super().__init__()
        self.expanded = spec.hidden != cin
        self.expand = _conv_bn(cin, spec.hidden) if self.expanded else nn.Identity()
        self.depthwise = _conv_bn(spec.hidden, spec.hidden, spec.kernel, spec.stride, groups=spec.hidden)
        self.se = SqueezeExcite(spec.hidden, spec.se) if spec.se else nn.Identity()
        self.act = nn.Hardswish() if spec.hardswish else nn.ReLU()
        self.project = _conv_bn(spec.hidden, spec.out)
        self.residual = spec.stride == 1 and spec.out == cin

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.act(self.expand(x)) if self.expanded else x
        h = self.depthwise(h)
        h = self.act(self.se(h)) if self.expanded else self.se(self.act(h))
        h = self.project(h)
        return h + x if self.residual else h


class NanoTrackBackbone(nn.Module):
    def __init__(self, version: str = "v2", in_channels: int = 3):
        super().__init__()
        if version not in NANOTRACK_BLOCKS:
            raise ValueError(f"unknown NanoTrack version '{version}' (expected {sorted(NANOTRACK_BLOCKS)})")
        specs = NANOTRACK_BLOCKS[version]
        self.version = version
        self.stem = nn.Sequential(*_conv_bn(in_channels, STEM_CHANNELS, 3, 2), nn.Hardswish())
        blocks: List[nn.Module] = []
        cin = STEM_CHANNELS
        for spec in specs:
            blocks.append(MobileBlock(cin, spec))
            cin = spec.out
        self.layer2 = nn.Sequential(*blocks[:LAYER2_BLOCKS])
        self.layer3 = nn.Sequential(*blocks[LAYER2_BLOCKS:])
        self.out_channels = (specs[LAYER2_BLOCKS - 1].out, specs[-1].out)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        l2 = self.layer2(self.stem(x))
        return l2, self.layer3(l2)

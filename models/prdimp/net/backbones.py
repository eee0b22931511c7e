"""Backbones returning (layer2, layer3) features at strides 8 and 16.

ResNet-18 / ResNet-50 use the torchvision parameter layout (conv1, bn1, layer1..layer3), so that
official checkpoints map onto them key for key. layer4 and fc are never run and not built.
The compact backbone is the project's own small network with the same interface; the NanoTrack
backbones (a truncated MobileNetV3-small, pretrained weights converted by `prdimp.convert.nanotrack`) are
in nanotrack_backbone.py.
"""
from typing import List, Optional, Tuple

import torch
from torch import nn


def conv3x3(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


def shortcut(cin: int, cout: int, stride: int) -> Optional[nn.Sequential]:
    """1x1 projection (torchvision's `downsample`) where the residual changes shape, else None."""
    if stride == 1 and cin == cout:
        return None
    return nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.conv1 = conv3x3(cin, cout, stride)
        self.bn1 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(cout, cout)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = shortcut(cin, cout, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin: int, planes: int, stride: int = 1):
        super().__init__()
        cout = planes * 4
        self.conv1 = nn.Conv2d(cin, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = shortcut(cin, cout, stride)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet(nn.Module):
    """ResNet stem + layer1..layer3 in the torchvision layout."""

    def __init__(self, block: str, depths: List[int], in_channels: int = 3):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        make = BasicBlock if block == "basic" else Bottleneck
        expansion = make.expansion
        cin = 64
        layers = []
        for i, (planes, depth) in enumerate(zip((64, 128, 256), depths)):
            stride = 1 if i == 0 else 2
            blocks = [make(cin, planes, stride)]
            cin = planes * expansion
            blocks += [make(cin, planes) for _ in range(depth - 1)]
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.out_channels = (128 * expansion, 256 * expansion)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        l2 = self.layer2(x)
        l3 = self.layer3(l2)
        return l2, l3


class CompactBackbone(nn.Module):
    """A small residual network (a few MB) with the ResNet interface: layer2 at stride 8,
    layer3 at stride 16. Meant for greyscale microscopy (1 input channel by default)."""

    def __init__(self, in_channels: int = 1, widths: Tuple[int, int, int, int] = (24, 32, 64, 128)):
        super().__init__()
        w0, w1, w2, w3 = widths
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, w0, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(w0),
            nn.ReLU(inplace=True),
            nn.Conv2d(w0, w1, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(w1),
            nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(w1, w1)
        self.layer2 = nn.Sequential(BasicBlock(w1, w2, 2), BasicBlock(w2, w2))
        self.layer3 = nn.Sequential(BasicBlock(w2, w3, 2), BasicBlock(w3, w3))
        self.out_channels = (w2, w3)

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        x = self.layer1(self.stem(x))
        l2 = self.layer2(x)
        l3 = self.layer3(l2)
        return l2, l3


def build_backbone(name: str, in_channels: int) -> nn.Module:
    if name == "resnet18":
        return ResNet("basic", [2, 2, 2], in_channels)
    if name == "resnet50":
        return ResNet("bottleneck", [3, 4, 6], in_channels)
    if name == "compact":
        return CompactBackbone(in_channels)
    if name in ("nanotrack-v2", "nanotrack-v3"):
        from .nanotrack_backbone import NanoTrackBackbone
        return NanoTrackBackbone(name[len("nanotrack-"):], in_channels)
    raise ValueError(f"unknown backbone '{name}' (expected resnet18, resnet50, compact, nanotrack-v2 or nanotrack-v3)")

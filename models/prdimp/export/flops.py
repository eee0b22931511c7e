"""Multiply-accumulates (MACs) of the network's per-frame methods, counted from the convolution and
linear layers actually run (PrRoIPool, norms and element-wise work are not counted).

    python3 -m prdimp.export.flops [--variant compact|resnet18|resnet50]

bench/README.md uses these counts to turn measured times into arithmetic rates.
"""
import argparse
import sys
from typing import Dict

import torch

from .model_folder import TrackerModule
from ..net.network import build_net


def count_macs(variant: str) -> Dict[str, int]:
    """MACs of `extract` (one crop) and `box_features` (one crop's maps) for a variant."""
    net = build_net(variant).eval()
    macs = [0]

    def hook(module, _inputs, output):
        if isinstance(module, torch.nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            macs[0] += output.numel() * (module.in_channels // module.groups) * k
        else:
            macs[0] += output.numel() * module.in_features

    for m in net.modules():
        if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear)):
            m.register_forward_hook(hook)
    tracker = TrackerModule(net)
    size = net.cfg.crop_size
    with torch.no_grad():
        layer2, layer3, _ = tracker.extract(torch.rand(1, 3, size, size))
        extract = macs[0]
        macs[0] = 0
        tracker.box_features(layer2, layer3)
        box = macs[0]
    return {"extract": extract, "box_features": box}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.export.flops", description=__doc__.split("\n\n")[0])
    p.add_argument("--variant", default="compact")
    a = p.parse_args(argv)
    for method, n in count_macs(a.variant).items():
        print(f"{a.variant} {method}: {n / 1e9:.3f} GMAC per crop ({2 * n / 1e9:.3f} GFLOP)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

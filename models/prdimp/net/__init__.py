"""The PrDiMP network in PyTorch (torch only; imports nothing else of the package).

`prroi_pool` (exact PrRoIPool), `backbones` (ResNet-18/50, the compact backbone) and
`nanotrack_backbone` (NanoTrack's MobileNetV3-small), `classifier` (features, filter initialiser,
steepest descent, label density), `box_regressor` with `box_gradient` (the written-out gradient of
the log-density) and `refine_window` (windows of the maps around the boxes), and `network`
(`PrDiMPNet`, the variants, frozen and folded BatchNorm).
"""

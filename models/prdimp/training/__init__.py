"""Training of the project's own PrDiMP models (spec section 2).

- `sampler`: training sequences (`prdimp.procedural.training_sequences`), the sample of 3 train +
  3 test crops with box jitter;
- `losses`: classifier KL / cross-entropy over the optimiser iterates, the shrinkage option,
  the box regressor's Monte Carlo KL;
- `trainer`: one training step, the optimiser, checkpoints (save / resume);
- `feature_bank`: cached features of a frozen pretrained backbone (NanoTrack), and its sampler;
- `validate`: held-out procedural sequences tracked by the Java CLI and scored.
The command line is `python3 -m prdimp.training` (`__main__`: `run` and `export`).
"""

"""Training of the project's own PrDiMP models on procedural time-lapses (spec section 2).

- `data`: training sequences (the procedural generator), the sample of 3 train + 3 test crops
  with box jitter, Gaussian labels and box-regressor proposals;
- `losses`: classifier KL / cross-entropy over the optimiser iterates, the shrinkage option,
  the box regressor's Monte Carlo KL;
- `trainer`: one training step, the optimiser, checkpoints (save / resume);
- `validate`: held-out procedural sequences tracked by the Java CLI and scored.
The command line is `python3 -m prdimp.train`.
"""

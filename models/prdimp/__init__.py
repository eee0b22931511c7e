"""PrDiMP for Fiji: the network, its export for the Java engine, and its training.

Packages, each importing only those listed before it (tests/test_import_graph.py checks that the
import graph has no cycle):

- `net`: the network in PyTorch;
- `export`: TorchScript model folders, the Java contract (imports `net`);
- `convert`: official and NanoTrack checkpoints as model folders (imports `net`, `export`);
- `procedural`: procedural time-lapses with exact ground truth (numpy; imports nothing else);
- `training`: sampler, losses, trainer, feature bank, validation; the command line is
  `python3 -m prdimp.training` (imports all of the above).
"""

"""Other people's checkpoints as model folders.

`safe_unpickle` (reads a checkpoint without executing what it pickled), `official_layout` (the
official key names and random checkpoints in those layouts), `official` (pytracking / mmtracking
PrDiMP checkpoints), `nanotrack` (NanoTrack's pretrained backbone) and `testmodels` (deterministic
converted model folders for the tests). Imports `prdimp.net` and `prdimp.export`.
"""

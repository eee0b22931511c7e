"""Other people's checkpoints as model folders.

`safe_unpickle` (reads a checkpoint without executing what it pickled), `checkpoint` (reading a
checkpoint and checking its keys against a network, for both conversions), `official_layout` (the
official key names and random checkpoints in those layouts), `official` (pytracking / mmtracking
PrDiMP checkpoints), `nanotrack` (NanoTrack's pretrained backbone) and `testmodels` (deterministic
converted model folders for the tests). Imports `prdimp.net` and `prdimp.export`.
"""

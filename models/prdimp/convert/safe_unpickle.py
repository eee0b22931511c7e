"""Loading third-party checkpoints without executing anything they pickled.

Official checkpoints pickle objects of classes we do not have (e.g. pytracking's network
`constructor`). Ordinary unpickling would import and call them. Here only a short allow-list of
tensor-rebuilding and plain-container callables is resolved; every other class becomes an inert
`ForeignObject` subclass that merely records its arguments and state. Use as the pickle module
of torch.load: `torch.load(path, map_location="cpu", pickle_module=safe_unpickle)`.
"""
import collections
import pickle

import torch

_ALLOWED = {
    ("collections", "OrderedDict"): collections.OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): torch._utils._rebuild_tensor_v2,
    ("torch._utils", "_rebuild_tensor"): torch._utils._rebuild_tensor,
    ("torch._utils", "_rebuild_parameter"): torch._utils._rebuild_parameter,
    ("torch", "Size"): torch.Size,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "slice"): slice,
    ("builtins", "complex"): complex,
}


class ForeignObject:
    """Stand-in for an object of a class that is not ours. It never runs foreign code."""
    foreign_module = ""
    foreign_name = ""

    def __new__(cls, *args, **kwargs):
        obj = object.__new__(cls)
        obj.args = args
        obj.kwargs = kwargs
        obj.state = None
        return obj

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        self.state = state

    def __repr__(self):
        return f"<foreign {self.foreign_module}.{self.foreign_name}>"


_stubs = {}


def _stub(module: str, name: str):
    key = (module, name)
    if key not in _stubs:
        _stubs[key] = type(name, (ForeignObject,), {"foreign_module": module, "foreign_name": name})
    return _stubs[key]


class Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return _ALLOWED[(module, name)]
        if module == "torch" and (name.endswith("Storage") or isinstance(getattr(torch, name, None), torch.dtype)):
            return getattr(torch, name)
        return _stub(module, name)


def load(file, **kwargs):
    return Unpickler(file, **kwargs).load()


def loads(data, **kwargs):
    import io
    return Unpickler(io.BytesIO(data), **kwargs).load()


def load_checkpoint(path: str):
    """Read a third-party checkpoint (zip or legacy format) on the CPU with the inert unpickler.

    torch.load's own `pickle_module` argument is ignored by torch 1.13 (it always uses pickle),
    so the two readers behind torch.load are called with this module directly."""
    import sys
    from torch import serialization as ser
    me = sys.modules[__name__]
    with open(path, "rb") as f:
        if ser._is_zipfile(f):
            with ser._open_zipfile_reader(f) as zf:
                if ser._is_torchscript_zip(zf):
                    raise ValueError("this is a TorchScript archive, not a checkpoint")
                return ser._load(zf, "cpu", me, encoding="utf-8")
        return ser._legacy_load(f, "cpu", me, encoding="utf-8")

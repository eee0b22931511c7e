"""What every conversion does with a checkpoint: read it safely, and check its keys against a network.

Shared by `official` and `nanotrack`. Every problem is a `ConversionError` whose message names the
file or the keys at fault (the command lines print it as one line).
"""
import os
from typing import Dict, Iterable

import torch

from . import safe_unpickle


class ConversionError(Exception):
    pass


def list_keys(keys: Iterable, limit: int = 12) -> str:
    """The first `limit` keys, sorted, comma-separated, with how many more there are."""
    keys = sorted(keys)
    more = f" ... and {len(keys) - limit} more" if len(keys) > limit else ""
    return ", ".join(keys[:limit]) + more


def read_checkpoint(checkpoint: str):
    """The unpickled content of the file (nothing in it executed); ConversionError if absent or unreadable."""
    if not os.path.isfile(checkpoint):
        raise ConversionError(f"no such checkpoint file: {checkpoint}")
    try:
        return safe_unpickle.load_checkpoint(checkpoint)
    except Exception as e:  # corrupt or not a torch file
        raise ConversionError(f"cannot read {checkpoint} as a PyTorch checkpoint: {e}") from None


def check_keys(mapped: Dict[str, torch.Tensor], expected: Dict[str, torch.Tensor], target: str) -> None:
    """Every key of either side must be in the other, with the same shape; otherwise a ConversionError
    'checkpoint does not match TARGET: ' naming the missing, unexpected and mis-shaped keys."""
    missing = set(expected) - set(mapped)
    unexpected = set(mapped) - set(expected)
    wrong = [f"{k} {tuple(mapped[k].shape)} (expected {tuple(expected[k].shape)})"
             for k in sorted(set(expected) & set(mapped)) if mapped[k].shape != expected[k].shape]
    problems = []
    if missing:
        problems.append(f"missing keys ({len(missing)}): {list_keys(missing)}")
    if unexpected:
        problems.append(f"unexpected keys ({len(unexpected)}): {list_keys(unexpected)}")
    if wrong:
        problems.append(f"mis-shaped keys ({len(wrong)}): {list_keys(wrong)}")
    if problems:
        raise ConversionError(f"checkpoint does not match {target}: " + "; ".join(problems))


def as_float(state: Dict[str, torch.Tensor], strip: int = 0) -> Dict[str, torch.Tensor]:
    """The tensors with floating-point ones as float32 (integer ones unchanged), each key less its
    first `strip` characters: ready for load_state_dict."""
    return {k[strip:]: v.float() if v.is_floating_point() else v for k, v in state.items()}

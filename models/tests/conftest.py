import os
import sys

import pytest
import torch

MODELS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(MODELS_DIR)
SHARED_DIR = os.path.join(os.path.dirname(REPO_DIR), "shared")
sys.path.insert(0, MODELS_DIR)
torch.set_num_threads(2)


@pytest.fixture(scope="session")
def official_shapes_json():
    """Key names and shapes of the official state dicts, from ../shared/design (not committed here)."""
    path = os.path.join(SHARED_DIR, "design", "prdimp-official-state-dict.json")
    if not os.path.isfile(path):
        pytest.skip(f"../shared/design/prdimp-official-state-dict.json is absent; official-layout tests need it")
    import json
    with open(path) as f:
        return json.load(f)

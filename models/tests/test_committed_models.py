"""Committed model folders and golden tensors stay consistent with the code."""
import os

from prdimp.export import load_model_folder, replay_golden
from prdimp.testmodels import build_prdimp18_random

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_compact_init_folder_loads_and_replays_its_golden_tensors():
    folder = os.path.join(MODELS, "compact-init")
    module, desc = load_model_folder(folder)
    assert desc["config"]["prdimp"]["network"]["variant"] == "compact"
    assert os.path.getsize(os.path.join(folder, "tracker.pt")) < 30e6
    worst = replay_golden(module, os.path.join(folder, "golden"))
    assert worst < 1e-4


def test_regenerated_random_official_model_reproduces_committed_golden(tmp_path):
    folder = build_prdimp18_random(str(tmp_path))
    module, desc = load_model_folder(folder)
    assert desc["config"]["prdimp"]["converted_from"]["tensors"] == 218
    replay_golden(module, os.path.join(MODELS, "testdata", "prdimp18-random", "golden"))

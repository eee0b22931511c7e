"""bench/gpu/check.py end to end on the CPU with minimal iterations: the committed compact-init
model's golden tensors replayed, the default model timed per method, per frame and in training,
and a report that says it is CPU-measured. No timing is asserted."""
import json
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(REPO, "bench", "gpu", "check.py")
METHODS = ["extract", "init_filter", "optimize_filter", "classify", "box_modulation", "box_features",
           "box_log_density", "refine_boxes"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("gpu-check") / "report.md"
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    p = subprocess.run([sys.executable, SCRIPT, "--out", str(out), "--device", "cpu", "--models", "default,compact-init",
                        "--batch", "2", "--warmup", "1", "--repeats", "1", "--frames", "1", "--init-repeats", "1",
                        "--train-batch", "1", "--train-steps", "1", "--train-warmup", "0"],
                       capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    with open(out) as f:
        md = f.read()
    with open(str(out)[:-3] + ".json") as f:
        js = json.load(f)
    return md, js, p.stdout


def test_report_says_cpu_not_gpu(run):
    md, js, stdout = run
    assert md.startswith("# PrDiMP GPU check, ")
    assert "CPU (no GPU used)" in md.splitlines()[0]
    assert "**CPU-measured, not a GPU measurement**" in md
    assert "No figure in this report is GPU-measured" in md
    assert js["device"]["cuda"] is False
    assert js["environment"]["measured on"].startswith("CPU, ")
    assert "device: CPU, " in stdout
    if os.path.exists("/proc/loadavg"):
        assert js["environment"]["load average (1 min) at start, at end"].endswith("CPU timings are slower and noisier)")


def test_golden_tensors_replayed(run):
    md, js, _ = run
    rows = js["outputs"]["rows"]
    committed = [r for r in rows if r["model"] == "compact-init"]
    with open(os.path.join(REPO, "models", "compact-init", "golden", "manifest.json")) as f:
        manifest = json.load(f)
    expected = [o["file"][:-4] for c in manifest["calls"] for o in c["outputs"]]
    assert [r["output"] for r in committed] == expected
    for r in committed:
        assert r["pass"], r
        assert 0 <= r["dev_vs_stored_tol"] <= 1.0
    # the default model has no committed golden tensors: they are written on the CPU by the run
    assert {r["output"] for r in rows if r["model"] == "default"} == set(expected)
    assert f"| outputs on the CPU within tolerance (default precision) | {len(rows)} of {len(rows)} tensors |" in md
    assert js["placement"]["compact-init"]["mapped_off_device"] == []
    assert js["placement"]["compact-init"]["tensors"] > 50


def test_every_method_and_frame_timed(run):
    md, js, _ = run
    methods = js["methods"]
    assert list(methods) == ["default"], "compact-init's outputs are checked, only the bundled default is timed"
    assert list(methods["default"]) == METHODS
    for m in METHODS:
        for t in ("1", "2"):
            assert methods["default"][m][t]["median_ms"] > 0
        assert f"| {m} | " in md
    assert methods["default"]["optimize_filter"]["2"]["shape"] == "50 samples x 2 targets, 2 it."
    assert methods["default"]["init_filter"]["1"]["shape"] == "15 samples x 1 target, 10 it."
    frames = js["frames"]["default"]
    for t in ("1", "2"):
        assert frames[t]["frame_ms"] > frames[t]["every_frame_ms"] > 0
        assert frames[t]["init_ms"] > 0
        assert frames[t]["refine"] is True  # the default model refines its boxes (models/default/README.md)
    speed = frames["2"]["target_frames_per_s"] / frames["1"]["target_frames_per_s"]
    assert f"| default: batching speed-up, 2 targets | {speed:.2f}x |" in md
    assert "## Per frame: the engine's calls for 1 and 2 targets (CPU)" in md


def test_training_step_timed(run):
    md, js, _ = run
    rows = js["training"]["rows"]
    assert len(rows) == 1 and next(iter(rows)).startswith("CPU (")
    v = next(iter(rows.values()))
    assert v["samples_per_s"] == pytest.approx(1 / v["s_per_step"])
    assert "## Training step of the default model" in md


def test_bad_arguments_get_one_line():
    p = subprocess.run([sys.executable, SCRIPT, "--out", "x.md", "--skip", "everything"], capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 2
    assert "--skip: unknown part(s) everything" in p.stderr

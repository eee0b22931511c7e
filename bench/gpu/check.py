#!/usr/bin/env python3
"""GPU check of the exported PrDiMP models: outputs, speed per method and per frame, training.

    python3 bench/gpu/check.py --out bench/results/DATE-gpu-check-cuda.md      # from the repository root

On a machine with CUDA PyTorch it runs everything on the first GPU; without one it runs on the
CPU and says so in every heading. It uses only what is in the repository (the models under
models/, the package models/prdimp) and writes the Markdown report given by --out and a JSON
file beside it with the same figures. Works with PyTorch 1.13 and 2.x.

Parts (each part that fails is reported as failed and the others go on):
  models    models/default, models/compact-init, the random PrDiMP-18 of prdimp.convert.testmodels and a
            random PrDiMP-50 built the same way (seed 50), into a temporary folder (--no-r50 skips it);
  outputs   every call of each model's golden tensors (models/*/golden/manifest.json; written on
            the CPU first where a model has none) replayed on the device: device against the CPU now
            and against the stored outputs, at the manifest's tolerance;
  methods   every contract method, per call, at the Java engine's shapes for 1 and 20 targets;
  frames    a frame's worth of the engine's calls (host-to-device copies and the copies back
            included) for 1 and 20 targets, the batching speed-up, and the initialisation's calls;
  training  the default model's training step (prdimp.training.trainer.train_step, the compact
            network) on the device and on the CPU, samples per second.
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MODELS = os.path.join(REPO, "models")
sys.path.insert(0, MODELS)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import yaml  # noqa: E402

ALL_MODELS = ("default", "compact-init", "prdimp18", "prdimp50")
# compact-init (the untrained compact network): its outputs are checked; the timings are the bundled default's
TIMED_SKIP = ("compact-init",)


# ------------------------------------------------------------------------------------- helpers

class Device:
    """The device the check measures, and how to wait for it."""

    def __init__(self, name: str):
        self.torch = torch.device(name)
        self.cuda = self.torch.type == "cuda"

    def sync(self):
        if self.cuda:
            torch.cuda.synchronize(self.torch)


def now(dev: Device) -> float:
    dev.sync()
    return time.perf_counter()


def timed_ms(dev: Device, fn, warmup: int, repeats: int):
    """Milliseconds per call: `warmup` untimed calls (TorchScript specialises on the first ones),
    then `repeats` calls each timed alone, the device synchronised around each."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(max(1, repeats)):
        t0 = now(dev)
        fn()
        out.append(1000.0 * (now(dev) - t0))
    return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def fmt(v, d=2):
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if v != v:  # NaN
        return "nan"
    return f"{v:.{d}f}"


def sci(v):
    return "-" if v is None else f"{v:.2e}"


def read_tracker_config(folder: str) -> dict:
    with open(os.path.join(folder, "rdf.yaml")) as f:
        desc = yaml.safe_load(f)
    p = desc["config"]["prdimp"]
    t = dict(p["tracker"])
    net = p["network"]
    t.setdefault("box_refinement", True)
    t["variant"] = net["variant"]
    t["input_channels"] = int(net["input_channels"])
    t["crop_size"] = int(t.get("crop_size", net["crop_size"]))
    return t


def load_module(folder: str, device: torch.device):
    """The TorchScript module mapped onto `device` at load (every tensor in the file, the
    attributes that Module.to() does not move included): what DJL does with mapLocation=true."""
    return torch.jit.load(os.path.join(folder, "tracker.pt"), map_location=device).eval()


def module_tensors(module):
    """(name, tensor) of every parameter, buffer and tensor attribute list (refine_heads)."""
    out = [("param " + n, p) for n, p in module.named_parameters()]
    out += [("buffer " + n, b) for n, b in module.named_buffers()]
    heads = getattr(module, "refine_heads", None)
    if heads is not None:
        for i, head in enumerate(heads):
            for j, t in enumerate(head):
                if isinstance(t, torch.Tensor):
                    out.append((f"attribute refine_heads[{i}][{j}]", t))
    return out


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_average():
    """The 1-minute load average (/proc/loadavg), or None: how busy the machine's CPUs were."""
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except (OSError, IndexError):
        return None


def tf32_state() -> str:
    conv = getattr(torch.backends.cudnn, "allow_tf32", None)
    mm = getattr(getattr(torch.backends, "cuda", None), "matmul", None)
    mm = getattr(mm, "allow_tf32", None) if mm is not None else None
    return f"cuDNN convolutions TF32 {conv}, matmul TF32 {mm}"


def set_tf32(on: bool):
    torch.backends.cudnn.allow_tf32 = on
    torch.backends.cuda.matmul.allow_tf32 = on


# ------------------------------------------------------------------------------------- machine

def describe_machine(dev: Device) -> dict:
    env = {}
    if dev.cuda:
        props = torch.cuda.get_device_properties(dev.torch)
        env["measured on"] = (f"GPU: {props.name}, compute capability {props.major}.{props.minor}, "
                              f"{props.total_memory / 2 ** 30:.1f} GiB, {props.multi_processor_count} multiprocessors")
    else:
        why = ("this PyTorch is a CPU build" if torch.version.cuda is None
               else f"PyTorch (CUDA {torch.version.cuda}) sees no CUDA device" if not torch.cuda.is_available()
               else "--device cpu")
        env["measured on"] = f"CPU, {cpu_model()} ({why})"
    env["CPU"] = f"{cpu_model()}, {os.cpu_count()} logical cores, torch threads {torch.get_num_threads()}"
    env["Python"] = platform.python_version()
    env["PyTorch"] = torch.__version__ + (f", CUDA {torch.version.cuda}" if torch.version.cuda else ", no CUDA")
    if dev.cuda:
        env["cuDNN"] = str(torch.backends.cudnn.version())
        env["GPU precision"] = tf32_state() + " (PyTorch's defaults, as in libtorch under DJL)"
        try:
            smi = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader",
                                  "-i", str(dev.torch.index or 0)], capture_output=True, text=True, timeout=20)
            if smi.returncode == 0:
                env["nvidia-smi"] = smi.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    env["numpy"] = np.__version__
    env["OS"] = f"{platform.system()} {platform.release()} {platform.machine()}"
    return env


# ------------------------------------------------------------------------------------- models

class Model:
    def __init__(self, name, folder, golden, origin, build_s=None):
        self.name = name
        self.folder = folder
        self.golden = golden          # committed golden folder, or None (written on the CPU here)
        self.origin = origin
        self.build_s = build_s
        self.cfg = read_tracker_config(folder)


def build_random(variant: str, seed: int, out_root: str, log, notes) -> str:
    """A random official-layout PrDiMP checkpoint (prdimp.convert.testmodels' builder: seed 18 for
    PrDiMP-18, 50 here for PrDiMP-50) converted by prdimp.convert.official. Should the checkpoint route fail
    (it reads the file through torch.serialization's internals), the same weights go straight into
    the network and are exported: the same model without the file round trip."""
    from prdimp.convert.official import convert
    from prdimp.convert.testmodels import build_prdimp18_random, random_official_state, write_official_checkpoint
    out = os.path.join(out_root, f"prdimp{variant[6:]}-random")
    try:
        if variant == "resnet18":
            return build_prdimp18_random(out_root, work_dir=out_root)
        ckpt = os.path.join(out_root, f"prdimp{variant[6:]}-random.pth.tar")
        write_official_checkpoint(ckpt, random_official_state(variant, seed), "pytracking")
        convert(ckpt, out)
        os.remove(ckpt)
        return out
    except Exception as e:  # noqa: BLE001
        from prdimp.convert.official import build_converted
        from prdimp.export.model_folder import export_model
        from prdimp.convert.official_layout import UNUSED_OFFICIAL_PREFIXES
        why = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
        notes.append(f"PrDiMP-{variant[6:]}: the checkpoint route failed ({why}); built from the same random weights "
                     "without the file round trip (prdimp.convert.official.build_converted + prdimp.export.model_folder.export_model)")
        log(f"  checkpoint route failed ({why}); building directly")
        state = {k: v for k, v in random_official_state(variant, seed).items()
                 if not k.startswith(UNUSED_OFFICIAL_PREFIXES)}
        export_model(build_converted(state, variant), out, f"PrDiMP-{variant[6:]} (random)",
                     f"random official-layout PrDiMP-{variant[6:]}, seed {seed}")
        return out


def prepare_models(names, tmp: str, log, notes):
    models = []
    for name in names:
        t0 = time.perf_counter()
        try:
            if name == "default":
                models.append(Model(name, os.path.join(MODELS, "default"), None, "models/default (committed)"))
            elif name == "compact-init":
                f = os.path.join(MODELS, "compact-init")
                models.append(Model(name, f, os.path.join(f, "golden"), "models/compact-init (committed)"))
            elif name == "prdimp18":
                log("building the random PrDiMP-18 (prdimp.convert.testmodels)")
                f = build_random("resnet18", 18, tmp, log, notes)
                models.append(Model(name, f, os.path.join(MODELS, "testdata", "prdimp18-random", "golden"),
                                    "random PrDiMP-18, python3 -m prdimp.convert.testmodels (seed 18)",
                                    time.perf_counter() - t0))
            elif name == "prdimp50":
                log("building a random PrDiMP-50 (official layout, seed 50, prdimp.convert.official)")
                f = build_random("resnet50", 50, tmp, log, notes)
                models.append(Model(name, f, None, "random PrDiMP-50, official pytracking layout (seed 50), "
                                    "converted by prdimp.convert.official", time.perf_counter() - t0))
            else:
                raise ValueError(f"unknown model '{name}' (expected one of {', '.join(ALL_MODELS)})")
            if models[-1].build_s is not None:
                log(f"  {name}: built in {models[-1].build_s:.1f} s")
        except Exception as e:  # noqa: BLE001 - a model that cannot be had is reported, the others go on
            notes.append(f"model {name}: could not be prepared: {type(e).__name__}: {e}")
            log(f"  {name}: FAILED: {e}")
    return models


# ------------------------------------------------------------------------------------- outputs

def golden_for(model: Model, tmp: str, log) -> str:
    """The model's golden folder: the committed one, or one written now on the CPU."""
    if model.golden:
        return model.golden
    from prdimp.export.model_folder import write_golden

    class Cfg:
        crop_size = model.cfg["crop_size"]
        input_channels = model.cfg["input_channels"]
    folder = os.path.join(tmp, f"golden-{model.name}")
    log(f"  {model.name}: writing golden tensors on the CPU (no committed ones)")
    write_golden(load_module(model.folder, torch.device("cpu")), Cfg, folder, targets=2)
    return folder


def compare(a: torch.Tensor, b: torch.Tensor, rtol: float, atol: float):
    """(largest absolute difference, largest share of the tolerance |a-b| / (atol + rtol |b|))."""
    a = a.detach().float().cpu()
    b = b.detach().float().cpu()
    if a.shape != b.shape:
        return float("inf"), float("inf")
    d = (a - b).abs()
    if d.numel() == 0:
        return 0.0, 0.0
    return float(d.max()), float((d / (atol + rtol * b.abs())).max())


def call_method(module, method: str, args):
    # the engine calls refine_boxes with grad mode on (older exports used autograd in it), the rest without
    with torch.set_grad_enabled(method == "refine_boxes"):
        r = getattr(module, method)(*args)
    return r if isinstance(r, tuple) else (r,)


def replay(model: Model, folder: str, dev: Device):
    """Every golden call on the device and on the CPU. Rows per call and output."""
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    rtol, atol = manifest["tolerance"]["relative"], manifest["tolerance"]["absolute"]
    cpu = load_module(model.folder, torch.device("cpu"))
    on_dev = load_module(model.folder, dev.torch) if dev.cuda else cpu
    rows = []
    for call in manifest["calls"]:
        args = []
        for i in call["inputs"]:
            a = torch.from_numpy(np.load(os.path.join(folder, i["file"])))
            args.append(a.long() if i["int"] else a)
        cpu_out = call_method(cpu, call["method"], args)
        dev_out = call_method(on_dev, call["method"], [a.to(dev.torch) for a in args]) if dev.cuda else cpu_out
        for o, c, d in zip(call["outputs"], cpu_out, dev_out):
            stored = torch.from_numpy(np.load(os.path.join(folder, o["file"])))
            if dev.cuda and d.device != dev.torch:
                raise AssertionError(f"{call['method']} returned a tensor on {d.device}, not on {dev.torch}")
            vs_cpu = compare(d, c, rtol, atol)
            vs_stored = compare(d, stored, rtol, atol)
            cpu_vs_stored = compare(c, stored, rtol, atol)
            rows.append({"model": model.name, "output": o["file"][:-4], "shape": list(o["shape"]),
                         "dev_vs_cpu_abs": vs_cpu[0], "dev_vs_cpu_tol": vs_cpu[1],
                         "dev_vs_stored_abs": vs_stored[0], "dev_vs_stored_tol": vs_stored[1],
                         "cpu_vs_stored_tol": cpu_vs_stored[1],
                         "pass": max(vs_cpu[1], vs_stored[1]) <= 1.0})
    return rows, {"relative": rtol, "absolute": atol}


def placement(model: Model, dev: Device):
    """Where the module's tensors end up: loaded with map_location (DJL's mapLocation=true) and,
    on a GPU, loaded on the CPU then moved with Module.to() (DJL's default)."""
    mapped = load_module(model.folder, dev.torch)
    tensors = module_tensors(mapped)
    off = [n for n, t in tensors if t.device.type != dev.torch.type]
    result = {"tensors": len(tensors), "mapped_off_device": off}
    if dev.cuda:
        moved = torch.jit.load(os.path.join(model.folder, "tracker.pt"), map_location="cpu").eval()
        moved.to(dev.torch)
        left = [n for n, t in module_tensors(moved) if t.device.type != dev.torch.type]
        result["moved_left_on_cpu"] = left
        if model.cfg["box_refinement"] or left:
            try:
                s = make_state(moved, model.cfg, dev, 1)
                call_method(moved, "refine_boxes", [s["m3"], s["m4"], s["l2"], s["l3"], s["proposals"],
                                                    s["steps"], s["step_length"]])
                result["moved_refine_boxes"] = "ran"
            except Exception as e:  # noqa: BLE001 - the point of the check
                result["moved_refine_boxes"] = f"failed: {str(e).splitlines()[0][:160]}"
    return result


# ------------------------------------------------------------------------------------- engine shapes

def init_crop_count(cfg) -> int:
    """identity, 4 shifts, flip, blurs, rotations (engine.InitAugmentation.cropCount)."""
    return 1 + 4 + 1 + len(cfg["init_augmentation_blurs"]) + len(cfg["init_augmentation_rotations"])


def crops_host(cfg, t: int, seed: int = 0) -> torch.Tensor:
    """t crops [t, ch, S, S] in [0, 1] on the host: a bright soft blob (the target, a fifth of the
    crop as the search area scale makes it) on a noisy background, slightly offset per target."""
    s, ch = cfg["crop_size"], cfg["input_channels"]
    g = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.arange(s, dtype=torch.float32), torch.arange(s, dtype=torch.float32), indexing="ij")
    side = s / float(cfg["search_area_scale"])
    out = torch.empty(t, ch, s, s)
    for i in range(t):
        cx, cy = s / 2 + (i % 5) - 2.0, s / 2 + (i % 3) - 1.0
        blob = torch.exp(-(((xx - cx) / (side / 2)) ** 2 + ((yy - cy) / (side / 2)) ** 2))
        out[i] = (0.1 + 0.7 * blob + 0.1 * torch.rand((s, s), generator=g)).clamp(0, 1)
    return out


def centred_boxes(cfg, n: int) -> torch.Tensor:
    s = cfg["crop_size"]
    side = s / float(cfg["search_area_scale"])
    return torch.tensor([(s - side) / 2, (s - side) / 2, side, side]).repeat(n, 1)


def proposals_host(cfg, t: int, seed: int = 1) -> torch.Tensor:
    """[t, P, 4]: the current box first, then jittered ones (MultiTargetTracker.refine)."""
    p = int(cfg["box_refinement_proposals"])
    g = torch.Generator().manual_seed(seed)
    base = centred_boxes(cfg, t).unsqueeze(1).repeat(1, p, 1)
    side = base[..., 2:3]
    jit = (2 * torch.rand((t, p, 4), generator=g) - 1)
    jit = torch.cat([jit[..., :2] * cfg["box_refinement_jitter_position"], jit[..., 2:] * cfg["box_refinement_jitter_size"]], -1)
    out = base + jit * side
    out[:, 0] = base[:, 0]
    return out


def make_state(module, cfg, dev: Device, t: int):
    """Device tensors of t targets at the engine's shapes: features of t crops, filters from the
    initialisation, a full sample memory, modulation vectors, proposals."""
    d = dev.torch
    n_init = init_crop_count(cfg) + int(cfg["init_augmentation_dropout"][0])
    mem = int(cfg["sample_memory_size"])
    with torch.no_grad():
        crops = crops_host(cfg, t).to(d)
        l2, l3, cf = module.extract(crops)
        feat = cf.unsqueeze(0).expand(n_init, -1, -1, -1, -1).contiguous()
        boxes = centred_boxes(cfg, n_init * t).reshape(n_init, t, 4).to(d)
        weights = torch.full((n_init, t), 1.0 / n_init, device=d)
        filt = module.init_filter(feat, boxes, weights, torch.tensor(1, device=d))
        m3, m4 = module.box_modulation(l2, l3, centred_boxes(cfg, t).to(d))
    return {
        "crops": crops, "l2": l2, "l3": l3, "cf": cf, "filter": filt, "m3": m3, "m4": m4,
        "init_feat": feat, "init_boxes": boxes, "init_weights": weights,
        "memory": cf.unsqueeze(0).expand(mem, -1, -1, -1, -1).contiguous(),
        "memory_boxes": centred_boxes(cfg, mem * t).reshape(mem, t, 4).to(d),
        "memory_weights": torch.full((mem, t), 1.0 / mem, device=d),
        "proposals": proposals_host(cfg, t).to(d),
        "steps": torch.tensor(int(cfg["box_refinement_steps"]), device=d),
        "step_length": torch.tensor(float(cfg["box_refinement_step_length"]), device=d),
    }


def method_calls(module, cfg, s, dev: Device):
    """(name, shape text, callable) of every contract method at the engine's shapes."""
    d = dev.torch
    init_iter = torch.tensor(int(cfg["init_optimizer_iterations"]), device=d)
    upd_iter = torch.tensor(int(cfg["update_optimizer_iterations"]), device=d)
    t3t4 = {}

    def box_features():
        t3t4["v"] = module.box_features(s["l2"], s["l3"])
        return t3t4["v"]

    box_features()
    t3, t4 = t3t4["v"]
    t = s["crops"].shape[0]
    nb = s["proposals"].shape[1]
    ni = s["init_feat"].shape[0]
    nm = s["memory"].shape[0]
    return [
        ("extract", plural(t, "crop"), lambda: module.extract(s["crops"])),
        ("init_filter", f"{ni} samples x {plural(t, 'target')}, {int(init_iter)} it.",
         lambda: module.init_filter(s["init_feat"], s["init_boxes"], s["init_weights"], init_iter)),
        ("optimize_filter", f"{nm} samples x {plural(t, 'target')}, {int(upd_iter)} it.",
         lambda: module.optimize_filter(s["filter"], s["memory"], s["memory_boxes"], s["memory_weights"], upd_iter)),
        ("classify", plural(t, "map"), lambda: module.classify(s["filter"], s["cf"])),
        ("box_modulation", f"{t} box" + ("es" if t != 1 else ""), lambda: module.box_modulation(s["l2"], s["l3"], s["proposals"][:, 0])),
        ("box_features", plural(t, "crop"), box_features),
        ("box_log_density", f"{plural(t, 'target')} x {nb} boxes", lambda: module.box_log_density(s["m3"], s["m4"], t3, t4, s["proposals"])),
        ("refine_boxes", f"{plural(t, 'target')} x {nb} boxes, {int(s['steps'])} steps",
         lambda: call_method(module, "refine_boxes", [s["m3"], s["m4"], s["l2"], s["l3"], s["proposals"],
                                                      s["steps"], s["step_length"]])),
    ]


def time_methods(model: Model, dev: Device, targets, warmup, repeats):
    module = load_module(model.folder, dev.torch)
    result = {}
    with torch.no_grad():
        for t in targets:
            s = make_state(module, model.cfg, dev, t)
            for name, shape, fn in method_calls(module, model.cfg, s, dev):
                ms = timed_ms(dev, fn, warmup, repeats)
                result.setdefault(name, {})[t] = {"shape": shape, "median_ms": statistics.median(ms),
                                                  "mean_ms": statistics.mean(ms)}
            del s
    return result


class EngineFrames:
    """The Java engine's calls for one frame (MultiTargetTracker.track) and for the initialisation
    (addTargets) of t targets, with its host-device copies: crops and proposals created on the
    host and copied to the device, probability maps and refined boxes copied back, integers
    passed as 0-d tensors on the device."""

    def __init__(self, module, cfg, dev: Device, t: int):
        self.m, self.cfg, self.dev, self.t = module, cfg, dev, t
        d = dev.torch
        self.crops = crops_host(cfg, t)
        self.init_crops = crops_host(cfg, init_crop_count(cfg) * t, seed=2)
        self.proposals = proposals_host(cfg, t)
        self.refine = bool(cfg["box_refinement"])
        self.mem = int(cfg["sample_memory_size"])
        self.n_init = init_crop_count(cfg) + int(cfg["init_augmentation_dropout"][0])
        s = make_state(module, cfg, dev, t)
        self.filters = s["filter"]
        self.m3, self.m4 = s["m3"], s["m4"]
        # one sample memory per target, stacked at each optimiser run as the engine does
        self.memories = [s["memory"][:, i].clone() for i in range(t)]
        self.memory_boxes = centred_boxes(cfg, self.mem * t).reshape(self.mem, t, 4)
        self.memory_weights = torch.full((self.mem, t), 1.0 / self.mem)
        self.slot = 0
        del s
        self.steps = int(cfg["box_refinement_steps"])
        self.step_length = float(cfg["box_refinement_step_length"])
        self.chunk = 20  # TrackerNetwork.EXTRACT_CHUNK

    def _int(self, v):
        return torch.tensor(v, dtype=torch.int64).to(self.dev.torch)

    def frame(self):
        """Every-frame calls: extract, classify, the maps back to the host, box refinement when
        the model has it on (proposals up, boxes and densities back), the features into memory."""
        d = self.dev.torch
        l2, l3, cf = self.m.extract(self.crops.to(d))
        _, prob = self.m.classify(self.filters, cf)
        prob.cpu()
        if self.refine:
            b, dens = call_method(self.m, "refine_boxes", [self.m3, self.m4, l2, l3, self.proposals.to(d),
                                                           self._int(self.steps), torch.tensor(self.step_length).to(d)])
            b.cpu()
            dens.cpu()
        self.slot = (self.slot + 1) % self.mem
        for i in range(self.t):
            self.memories[i][self.slot].copy_(cf[i])

    def update(self):
        """The periodic optimiser run (every update_interval-th frame): memories stacked, boxes and
        weights from the host."""
        d = self.dev.torch
        memory = torch.stack(self.memories, 1)
        self.filters = self.m.optimize_filter(self.filters, memory, self.memory_boxes.to(d), self.memory_weights.to(d),
                                              self._int(int(self.cfg["update_optimizer_iterations"])))

    def initialise(self):
        """addTargets' calls: extract of every augmented crop in chunks of 20, dropout copies,
        init_filter, box_modulation, classify, the maps back to the host."""
        d = self.dev.torch
        n_crops = self.init_crops.shape[0]
        parts = [self.m.extract(self.init_crops[i:i + self.chunk].to(d)) for i in range(0, n_crops, self.chunk)]
        l2, l3, cf = (torch.cat([p[k] for p in parts]) for k in range(3))
        c = cf.shape[1:]
        samples = cf.reshape(n_crops // self.t, self.t, *c)
        drops = [samples[0] * (torch.rand(self.t, c[0], 1, 1) > 0.2).float().to(d) * 1.25
                 for _ in range(self.n_init - samples.shape[0])]
        feat = torch.cat([samples] + [x.unsqueeze(0) for x in drops], 0)
        boxes = centred_boxes(self.cfg, self.n_init * self.t).reshape(self.n_init, self.t, 4).to(d)
        weights = torch.full((self.n_init, self.t), 1.0 / self.n_init).to(d)
        filt = self.m.init_filter(feat, boxes, weights, self._int(int(self.cfg["init_optimizer_iterations"])))
        first = l2.shape[0] // (n_crops // self.t)
        self.m.box_modulation(l2[:first], l3[:first], boxes[0])
        self.m.classify(filt, samples[0])[1].cpu()


def time_frames(model: Model, dev: Device, targets, warmup, frames, init_repeats):
    module = load_module(model.folder, dev.torch)
    out = {}
    interval = int(model.cfg["update_interval"])
    with torch.no_grad():
        for t in targets:
            e = EngineFrames(module, model.cfg, dev, t)
            every = timed_ms(dev, e.frame, warmup, frames)
            update = timed_ms(dev, e.update, max(2, warmup), max(1, frames // interval + 1))
            init = timed_ms(dev, e.initialise, 1 if init_repeats > 0 else 0, max(1, init_repeats))
            frame_ms = statistics.mean(every) + statistics.median(update) / interval
            out[t] = {"every_frame_ms": statistics.mean(every), "update_ms": statistics.median(update),
                      "frame_ms": frame_ms, "target_frames_per_s": 1000.0 * t / frame_ms,
                      "init_ms": statistics.median(init), "refine": e.refine, "interval": interval}
            del e
            if dev.cuda:
                out[t]["peak_gpu_mb"] = torch.cuda.max_memory_allocated(dev.torch) / 2 ** 20
    return out


# ------------------------------------------------------------------------------------- training

def time_training(device: torch.device, batch, steps: int, warmup: int):
    """Seconds per step of the default model's training step (compact network, fresh weights)."""
    from prdimp.training import trainer
    cfg = trainer.TrainConfig(variant="compact", batch_size=batch.images.shape[1])
    net, opt, sched = trainer.new_run(cfg, str(device))
    dev = Device(str(device))
    times = timed_ms(dev, lambda: trainer.train_step(net, opt, sched, batch, cfg, 0), warmup, steps)
    del net, opt, sched
    return [t / 1000.0 for t in times]


def training_batch(size: int):
    from prdimp.training.sampler import Sampler, SamplerConfig
    return Sampler(SamplerConfig(), seed=0, batch_size=size).batch(0)


# ------------------------------------------------------------------------------------- report

def markdown(r: dict) -> str:
    dev_word = "GPU" if r["device"]["cuda"] else "CPU"
    lines = [f"# PrDiMP GPU check, {r['date']}: {r['device']['label']}", ""]
    if r["device"]["cuda"]:
        lines += [f"**GPU-measured** on {r['device']['card']}: every timing below that is not marked CPU ran on this "
                  "card through PyTorch (TorchScript, the exported `tracker.pt`), not through the Java engine.", ""]
    else:
        lines += ["**CPU-measured, not a GPU measurement**: no CUDA device was used (measured on the "
                  + r["environment"]["measured on"] + "). No figure in this report is GPU-measured: the device figures "
                  "below are CPU figures, and device-against-CPU comparisons compare the CPU with itself; run this "
                  "script on a CUDA machine for GPU figures (bench/README.md).", ""]
    lines += ["Command: `" + r["command"] + "`", "", "## Summary", "", "| figure | value |", "|---|---|"]
    for k, v in r["summary"].items():
        lines.append(f"| {k} | {v} |")
    lines += ["", "## Models", "", "| model | variant | crop | box refinement | origin | built in |", "|---|---|---|---|---|---|"]
    for m in r["models"]:
        lines.append(f"| {m['name']} | {m['variant']} | {m['crop']} px, {m['channels']} ch | {'on' if m['refine'] else 'off'}"
                     f" | {m['origin']} | {fmt(m['build_s'], 1) + ' s' if m['build_s'] is not None else '-'} |")
    if r.get("placement"):
        lines += ["", f"## Where the module's tensors are ({dev_word})", "",
                  "| model | tensors | off the device, loaded with map_location (DJL mapLocation=true) |"
                  " left on the CPU by Module.to() (DJL's default) | refine_boxes after Module.to() |",
                  "|---|---|---|---|---|"]
        for name, p in r["placement"].items():
            left = p.get("moved_left_on_cpu")
            lines.append(f"| {name} | {p['tensors']} | {len(p['mapped_off_device'])} | "
                         f"{'-' if left is None else (str(len(left)) + (': ' + ', '.join(left[:3]) + ('...' if len(left) > 3 else '') if left else ''))}"
                         f" | {p.get('moved_refine_boxes', '-')} |")
    if r.get("outputs"):
        o = r["outputs"]
        lines += ["", f"## Outputs on the {dev_word} against the CPU", "",
                  f"Each golden call replayed on the device with the stored inputs. Tolerance as the Java tests: "
                  f"|a - b| <= {o['tolerance']['absolute']} + {o['tolerance']['relative']} |b|; 'share' = the largest "
                  "|a - b| / (atol + rtol |b|) over the tensor (<= 1 passes). 'CPU now' = this PyTorch on the CPU; "
                  "'stored' = the golden file (PyTorch 1.13, CPU, at export or written by this run where a model has none).",
                  "", "| model | output | shape | max abs diff vs CPU now | share | max abs diff vs stored | share |"
                  " CPU now vs stored, share | pass |", "|---|---|---|---|---|---|---|---|---|"]
        for row in o["rows"]:
            lines.append(f"| {row['model']} | {row['output']} | {'x'.join(map(str, row['shape']))} | {sci(row['dev_vs_cpu_abs'])}"
                         f" | {fmt(row['dev_vs_cpu_tol'], 3)} | {sci(row['dev_vs_stored_abs'])} | {fmt(row['dev_vs_stored_tol'], 3)}"
                         f" | {fmt(row['cpu_vs_stored_tol'], 3)} | {'yes' if row['pass'] else 'NO'} |")
        if o.get("strict_rows"):
            lines += ["", "With TF32 off (full float32 on the GPU), the calls that missed the tolerance with the defaults:", "",
                      "| model | output | share vs CPU now | share vs stored | pass |", "|---|---|---|---|---|"]
            for row in o["strict_rows"]:
                lines.append(f"| {row['model']} | {row['output']} | {fmt(row['dev_vs_cpu_tol'], 3)} | {fmt(row['dev_vs_stored_tol'], 3)}"
                             f" | {'yes' if row['pass'] else 'NO'} |")
    for name, methods in r.get("methods", {}).items():
        ts = sorted({t for per in methods.values() for t in per}, key=int)
        lines += ["", f"## Per method, {name} ({dev_word}, ms per call, median of {r['settings']['repeats']} after "
                  f"{r['settings']['warmup']} untimed)", "",
                  "| method | " + " | ".join(f"shape, {t} target{'s' if int(t) > 1 else ''} | ms, {t}" for t in ts)
                  + (f" | per target, {ts[-1]} / {ts[0]}" if len(ts) > 1 else "") + " |",
                  "|---|" + "---|---|" * len(ts) + ("---|" if len(ts) > 1 else "")]
        for m, per in methods.items():
            cells = [f"{per[t]['shape']} | {fmt(per[t]['median_ms'], 3)}" for t in ts]
            ratio = ""
            if len(ts) > 1:
                a, b = per[ts[0]]["median_ms"] / int(ts[0]), per[ts[-1]]["median_ms"] / int(ts[-1])
                ratio = f" | {fmt(b / a, 2)}"
            lines.append(f"| {m} | " + " | ".join(cells) + ratio + " |")
    if r.get("frames"):
        lines += ["", f"## Per frame: the engine's calls for 1 and {r['settings']['batch']} targets ({dev_word})", "",
                  "A frame = crops copied up, `extract`, `classify`, probability maps copied back, `refine_boxes` (where the "
                  "model's box refinement is on; proposals up, boxes back), features into each target's memory; plus the "
                  "optimiser (memories stacked, `optimize_filter`) once per update interval, counted as its time / interval. "
                  f"Mean of {r['settings']['frames']} frames after {r['settings']['warmup']} untimed. Initialisation = "
                  "addTargets' calls (every augmented crop through `extract` in chunks of 20, `init_filter`, `box_modulation`, "
                  "`classify`). Network calls only: no image reading, cropping or peak analysis (Java side).", "",
                  "| model | targets | every-frame calls, ms | optimiser run, ms (every N frames) | frame, ms | target-frames/s |"
                  " batching speed-up | initialisation, ms |", "|---|---|---|---|---|---|---|---|"]
        for name, per in r["frames"].items():
            ts = sorted(per, key=int)
            one = per[ts[0]]
            for t in ts:
                f = per[t]
                speed = f["target_frames_per_s"] / one["target_frames_per_s"] if int(t) != int(ts[0]) else None
                lines.append(f"| {name} | {t} | {fmt(f['every_frame_ms'])} | {fmt(f['update_ms'])} ({f['interval']}) | "
                             f"{fmt(f['frame_ms'])} | {fmt(f['target_frames_per_s'], 1)} | "
                             f"{fmt(speed) + 'x' if speed else '-'} | {fmt(f['init_ms'], 1)} |")
    if r.get("training"):
        tr = r["training"]
        lines += ["", "## Training step of the default model", "",
                  f"`prdimp.training.trainer.train_step` on the compact network (the default model's; fresh weights: speed "
                  f"does not depend on them), one fixed batch of {tr['batch']} samples (3 train + 3 test crops of 288 px "
                  f"each) made once on the CPU by `prdimp.training.sampler.Sampler` (not timed); median of {tr['steps']} steps "
                  f"after {tr['warmup']} untimed.", "", "| where | s per step | samples/s |", "|---|---|---|"]
        for where, v in tr["rows"].items():
            lines.append(f"| {where} | {fmt(v['s_per_step'], 3)} | {fmt(v['samples_per_s'], 1)} |")
    if r["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in r["notes"]]
    lines += ["", "## Machine and software", "", "| | |", "|---|---|"]
    for k, v in r["environment"].items():
        lines.append(f"| {k} | {v} |")
    lines += ["", "## Settings", "", "| | |", "|---|---|"]
    for k, v in r["settings"].items():
        lines.append(f"| {k} | {v} |")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------- main

def parse(argv):
    p = argparse.ArgumentParser(prog="python3 bench/gpu/check.py", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 2)[2])
    p.add_argument("--out", required=True, help="Markdown report to write (a .json with the same figures goes beside it)")
    p.add_argument("--device", default="auto", choices=["auto", "cuda", "cpu"], help="auto: the first GPU when PyTorch sees one")
    p.add_argument("--models", default=",".join(ALL_MODELS), help=f"comma-separated, of {', '.join(ALL_MODELS)}")
    p.add_argument("--no-r50", action="store_true", help="leave out the PrDiMP-50 (built here in a temporary folder)")
    p.add_argument("--batch", type=int, default=20, help="the many-targets batch size (default 20)")
    p.add_argument("--warmup", type=int, default=3, help="untimed calls / frames before timing (default 3)")
    p.add_argument("--repeats", type=int, default=10, help="timed calls per method and batch size (default 10)")
    p.add_argument("--frames", type=int, default=20, help="timed frames per model and target count (default 20)")
    p.add_argument("--init-repeats", type=int, default=3, help="timed initialisations per model and target count (default 3)")
    p.add_argument("--train-batch", type=int, default=4, help="training batch size in samples (default 4, as the default model's)")
    p.add_argument("--train-steps", type=int, default=5, help="timed training steps per device (default 5)")
    p.add_argument("--train-warmup", type=int, default=2, help="untimed training steps per device (default 2)")
    p.add_argument("--skip", default="", help="comma-separated parts to leave out: outputs, methods, frames, training")
    p.add_argument("--keep", metavar="DIR", help="build the test models into DIR and keep them (default: a temporary folder)")
    a = p.parse_args(argv)
    a.models = [m.strip() for m in a.models.split(",") if m.strip()]
    if a.no_r50:
        a.models = [m for m in a.models if m != "prdimp50"]
    unknown = [m for m in a.models if m not in ALL_MODELS]
    if unknown or not a.models:
        p.error(f"--models: {', '.join(unknown) or 'none given'}; expected some of {', '.join(ALL_MODELS)}")
    a.skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    bad = a.skip - {"outputs", "methods", "frames", "training"}
    if bad:
        p.error(f"--skip: unknown part(s) {', '.join(sorted(bad))}")
    if a.batch < 2:
        p.error("--batch must be at least 2")
    return a


def main(argv=None) -> int:
    a = parse(argv)
    started = time.perf_counter()

    def log(msg):
        print(f"gpu-check [{time.perf_counter() - started:6.1f} s] {msg}", flush=True)

    if a.device == "cuda" and not torch.cuda.is_available():
        print("gpu-check: error: --device cuda asked for, but PyTorch sees no CUDA device; use --device auto or cpu",
              file=sys.stderr)
        return 2
    dev = Device("cuda:0" if a.device != "cpu" and torch.cuda.is_available() else "cpu")
    targets = [1, a.batch]
    notes = []
    env = describe_machine(dev)
    load_before = load_average()
    label = ("GPU, " + torch.cuda.get_device_name(dev.torch)) if dev.cuda else "CPU (no GPU used)"
    log(f"device: {env['measured on']}")
    r = {"date": datetime.date.today().isoformat(), "command": "python3 bench/gpu/check.py " + " ".join(argv or sys.argv[1:]),
         "device": {"cuda": dev.cuda, "label": label, "card": env["measured on"][5:] if dev.cuda else None},
         "environment": env, "summary": {}, "models": [], "notes": notes,
         "settings": {"device": str(dev.torch), "batch": a.batch, "warmup": a.warmup, "repeats": a.repeats,
                      "frames": a.frames, "init_repeats": a.init_repeats, "train_batch": a.train_batch,
                      "train_steps": a.train_steps, "train_warmup": a.train_warmup,
                      "parts left out": ", ".join(sorted(a.skip)) or "none"}}
    failed = False
    with tempfile.TemporaryDirectory(prefix="prdimp-gpu-check-") as tmp:
        build_dir = a.keep or tmp
        os.makedirs(build_dir, exist_ok=True)
        models = prepare_models(a.models, build_dir, log, notes)
        failed |= len(models) < len(a.models)
        r["models"] = [{"name": m.name, "variant": m.cfg["variant"], "crop": m.cfg["crop_size"],
                        "channels": m.cfg["input_channels"], "refine": bool(m.cfg["box_refinement"]),
                        "origin": m.origin, "build_s": m.build_s} for m in models]

        if "outputs" not in a.skip:
            r["placement"], rows, strict = {}, [], []
            for m in models:
                try:
                    log(f"outputs: {m.name}")
                    r["placement"][m.name] = placement(m, dev)
                    golden = golden_for(m, tmp, log)
                    got, tol = replay(m, golden, dev)
                    rows += got
                    r["outputs"] = {"tolerance": tol, "rows": rows}
                    if dev.cuda and not all(x["pass"] for x in got):
                        set_tf32(False)
                        try:
                            strict += [x for x in replay(m, golden, dev)[0]
                                       if any(y["output"] == x["output"] and not y["pass"] for y in got)]
                        finally:
                            set_tf32(True)
                        r["outputs"]["strict_rows"] = strict
                except Exception as e:  # noqa: BLE001
                    failed = True
                    notes.append(f"outputs of {m.name} could not be checked: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
                    log(f"  FAILED: {e}")
                    traceback.print_exc()
            if rows:
                ok = sum(x["pass"] for x in rows)
                r["summary"][f"outputs on the {'GPU' if dev.cuda else 'CPU'} within tolerance (default precision)"] = \
                    f"{ok} of {len(rows)} tensors"
                worst = max(rows, key=lambda x: x["dev_vs_cpu_tol"])
                r["summary"]["largest difference to the CPU now"] = (
                    f"{sci(worst['dev_vs_cpu_abs'])} ({worst['model']} {worst['output']}, {fmt(worst['dev_vs_cpu_tol'], 3)}"
                    " of the tolerance)")
                if strict:
                    r["summary"]["with TF32 off"] = f"{sum(x['pass'] for x in strict)} of {len(strict)} of the others within tolerance"
                    failed |= not all(x["pass"] for x in strict)
            for name, p in r.get("placement", {}).items():
                if p["mapped_off_device"]:
                    failed = True
                    notes.append(f"{name}: {len(p['mapped_off_device'])} tensors not on the device after loading with "
                                 f"map_location: {', '.join(p['mapped_off_device'][:5])}")

        timed = [m for m in models if m.name not in TIMED_SKIP]
        if "methods" not in a.skip:
            r["methods"] = {}
            for m in timed:
                try:
                    log(f"methods: {m.name}, {targets} targets")
                    r["methods"][m.name] = time_methods(m, dev, targets, a.warmup, a.repeats)
                    ex = r["methods"][m.name]["extract"]
                    r["summary"][f"{m.name}: extract, ms per crop at 1 / {a.batch} crops"] = \
                        f"{fmt(ex[1]['median_ms'])} / {fmt(ex[a.batch]['median_ms'] / a.batch)}"
                except Exception as e:  # noqa: BLE001
                    failed = True
                    notes.append(f"methods of {m.name} could not be timed: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
                    log(f"  FAILED: {e}")
                    traceback.print_exc()
        if "frames" not in a.skip:
            r["frames"] = {}
            for m in timed:
                try:
                    log(f"frames: {m.name}, {targets} targets")
                    f = time_frames(m, dev, targets, a.warmup, a.frames, a.init_repeats)
                    r["frames"][m.name] = f
                    r["summary"][f"{m.name}: frames/s, 1 target"] = fmt(1000.0 / f[1]["frame_ms"], 1)
                    r["summary"][f"{m.name}: batching speed-up, {a.batch} targets"] = \
                        fmt(f[a.batch]["target_frames_per_s"] / f[1]["target_frames_per_s"]) + "x"
                except Exception as e:  # noqa: BLE001
                    failed = True
                    notes.append(f"frames of {m.name} could not be timed: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
                    log(f"  FAILED: {e}")
                    traceback.print_exc()
        if "training" not in a.skip:
            try:
                log(f"training: batch of {a.train_batch} samples")
                batch = training_batch(a.train_batch)
                rows = {}
                where = [("GPU (" + torch.cuda.get_device_name(dev.torch) + ")", dev.torch)] if dev.cuda else []
                where.append((f"CPU ({torch.get_num_threads()} threads)", torch.device("cpu")))
                for label_, d in where:
                    log(f"  training step on {label_}")
                    s = statistics.median(time_training(d, batch, a.train_steps, a.train_warmup))
                    rows[label_] = {"s_per_step": s, "samples_per_s": a.train_batch / s}
                r["training"] = {"batch": a.train_batch, "steps": a.train_steps, "warmup": a.train_warmup, "rows": rows}
                vals = list(rows.values())
                r["summary"]["training step, samples/s"] = " / ".join(
                    f"{k.split(' ')[0]} {fmt(v['samples_per_s'], 1)}" for k, v in rows.items())
                if len(vals) == 2:
                    r["summary"]["training step, GPU / CPU"] = fmt(vals[0]["samples_per_s"] / vals[1]["samples_per_s"], 1) + "x"
            except Exception as e:  # noqa: BLE001
                failed = True
                notes.append(f"training step could not be timed: {type(e).__name__}: {str(e).splitlines()[0][:300]}")
                log(f"  FAILED: {e}")
                traceback.print_exc()
    if dev.cuda:
        r["summary"]["peak GPU memory allocated"] = f"{torch.cuda.max_memory_allocated(dev.torch) / 2 ** 20:.0f} MiB"
    r["summary"]["run time of this check"] = f"{time.perf_counter() - started:.0f} s"
    load_after = load_average()
    if load_before and load_after:
        env["load average (1 min) at start, at end"] = (
            f"{load_before}, {load_after} on {os.cpu_count()} cores (above the core count: other work shared the "
            "CPUs, and CPU timings are slower and noisier)")
    r["settings"]["result"] = "every part ran" + ("" if not failed else "; SOME PARTS FAILED OR MISSED (see notes)")
    text = markdown(r)
    out_dir = os.path.dirname(os.path.abspath(a.out))
    os.makedirs(out_dir, exist_ok=True)
    with open(a.out, "w") as f:
        f.write(text)
    base = a.out[:-3] if a.out.endswith(".md") else a.out
    with open(base + ".json", "w") as f:
        json.dump(r, f, indent=1, default=str)
        f.write("\n")
    print(text)
    log(f"wrote {a.out} and {os.path.basename(base)}.json" + (" (some parts failed: see Notes)" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

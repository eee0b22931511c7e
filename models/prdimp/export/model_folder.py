"""TorchScript export: the contract between the Python network and the Java tracking engine.

A model folder holds `tracker.pt` (TorchScript), `rdf.yaml` (bioimage.io-style descriptor with a
`config` section of tracker parameters) and optionally `golden/` (input/output tensors the Java
engine's tests replay). Every exported method takes and returns tensors only; integer arguments
are 0-d tensors. See models/README.md for the full contract.

This is the one place that knows the export format, so that it can change later.
"""
import contextlib
import copy
import hashlib
import json
import os
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
import yaml
from torch import nn

from ..net.network import NetConfig, PrDiMPNet, fold_batchnorm, freeze_batchnorm

MODEL_FILE = "tracker.pt"
DESCRIPTOR = "rdf.yaml"
FORMAT_VERSION = "0.5.3"
CONTRACT_VERSION = 2

# Tracker parameters (spec section 4); the Java engine reads them from rdf.yaml.
TRACKER_DEFAULTS = {
    "sample_memory_size": 50,
    "learning_rate": 0.01,
    "hard_negative_learning_rate": 0.02,
    "init_samples_minimum_weight": 0.25,
    "init_optimizer_iterations": 10,
    "update_optimizer_iterations": 2,
    "update_interval": 20,
    "hard_negative_optimizer_iterations": 1,
    "target_not_found_threshold": 0.04,
    "distractor_threshold": 0.8,
    "hard_negative_threshold": 0.5,
    "target_neighborhood_scale": 2.2,
    "displacement_scale": 0.8,
    "minimum_target_size_in_crop": 10,
    "init_augmentation_expansion": 2.0,
    "init_augmentation_shift": 0.6,
    "init_augmentation_blurs": [[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]],
    "init_augmentation_rotations": [10, -10, 45, -45],
    "init_augmentation_dropout": [2, 0.2],
    "box_refinement_proposals": 10,
    "box_refinement_jitter_position": 0.05,
    "box_refinement_jitter_size": 0.25,
    "box_refinement_steps": 10,
    "box_refinement_step_length": 2.5e-3,
    "box_refinement_max_aspect_ratio": 6.0,
    "box_refinement_top_k": 3,
    "label_sigma_cells": 0.9,
    # false for models whose box regressor is untrained: the engine then keeps the box size and
    # takes the position from the classifier's probability map alone
    "box_refinement": True,
}

# Optional tracker parameters (not PrDiMP's), written only where an export sets them; the engine's
# defaults are these values: a Gaussian prior on the displacement between frames in target sizes (0:
# off; MotionPrior.java), and the share of the refined box's move from the box at the peak that is
# applied, for the centre and (geometrically) for width and height (1 = as PrDiMP; RefinementRates.java).
OPTIONAL_TRACKER = {
    "motion_prior_sigma": 0.0,
    "box_refinement_position_rate": 1.0,
    "box_refinement_size_rate": 1.0,
    # the size rate for targets in colour images (natural video); by default the one above
    "box_refinement_size_rate_colour": 1.0,
}

# tracker parameters taken from the network's configuration that an export may still set (the search
# area of tracking may differ from the training crops')
NETWORK_DERIVED_SETTABLE = {"search_area_scale": 5.0}


class TrackerModule(nn.Module):
    """The exported module. BatchNorm frozen and folded into the layer before it: train mode cannot
    change any output, and no BatchNorm costs a pass of its own."""

    def __init__(self, net: PrDiMPNet):
        super().__init__()
        net = fold_batchnorm(freeze_batchnorm(copy.deepcopy(net))).eval()
        net.feature_extractor.to(memory_format=torch.channels_last)
        self.net = net
        self.stride = net.cfg.feature_stride
        self.filter_size = net.cfg.filter_size
        with torch.no_grad():  # what box refinement derives from the regressor's weights, once
            self.refine_heads = [[t.detach().clone() for t in head]
                                 for head in net.bb_regressor.level_heads(net.bb_regressor.iou_predictor.weight)]

    def forward(self, images: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.extract(images)

    @torch.jit.export
    def extract(self, images: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """images [B, 1|3, S, S] float32 in [0, 1] -> (layer2 [B, C2, S/8, S/8],
        layer3 [B, C3, S/16, S/16], classifier features [B, C, S/16, S/16])."""
        with torch.no_grad():
            # the backbone runs channels-last (oneDNN's native layout on CPU: about a fifth faster
            # on 2 cores); its outputs are returned in the standard layout
            l2, l3 = self.net.feature_extractor(self.net.normalise(images).contiguous(memory_format=torch.channels_last))
            l3 = l3.contiguous()
            return l2.contiguous(), l3, self.net.classifier.extract(l3)

    @torch.jit.export
    def init_filter(self, feat: torch.Tensor, boxes: torch.Tensor, weights: torch.Tensor,
                    num_iter: torch.Tensor) -> torch.Tensor:
        """feat [N, T, C, H, W], boxes [N, T, 4] (x, y, w, h crop px), weights [N, T] summing to 1
        per target, num_iter 0-d int -> filter [T, C, fs, fs] after initialiser + optimiser."""
        with torch.no_grad():
            init = self.net.classifier.filter_initializer(feat, boxes)
            return self.net.classifier.filter_optimizer(init, feat, boxes, weights, int(num_iter.item()))[-1]

    @torch.jit.export
    def optimize_filter(self, filt: torch.Tensor, feat: torch.Tensor, boxes: torch.Tensor, weights: torch.Tensor,
                        num_iter: torch.Tensor) -> torch.Tensor:
        """Runs num_iter optimiser iterations from filt [T, C, fs, fs] on the given samples."""
        with torch.no_grad():
            return self.net.classifier.filter_optimizer(filt, feat, boxes, weights, int(num_iter.item()))[-1]

    @torch.jit.export
    def classify(self, filt: torch.Tensor, feat: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """filt [T, C, fs, fs], feat [T, C, H, W] (one test crop per target) ->
        (scores [T, H+1, W+1], probabilities [T, H+1, W+1] = softmax over each map)."""
        with torch.no_grad():
            scores = self.net.classifier.classify(filt, feat.unsqueeze(0))[0]
            t = scores.shape[0]
            prob = torch.softmax(scores.reshape(t, -1), dim=-1).reshape(scores.shape)
            return scores, prob

    @torch.jit.export
    def box_modulation(self, feat2: torch.Tensor, feat3: torch.Tensor, boxes: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Reference branch: feat2/feat3 of T reference crops, boxes [T, 4] -> ([T, D2], [T, D3])."""
        with torch.no_grad():
            return self.net.bb_regressor.modulation(feat2, feat3, boxes)

    @torch.jit.export
    def box_features(self, feat2: torch.Tensor, feat3: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Test branch features of T test crops."""
        with torch.no_grad():
            return self.net.bb_regressor.test_features(feat2, feat3)

    @torch.jit.export
    def box_log_density(self, m3: torch.Tensor, m4: torch.Tensor, t3: torch.Tensor, t4: torch.Tensor,
                        boxes: torch.Tensor) -> torch.Tensor:
        """Unnormalised log-density of boxes [T, P, 4] -> [T, P]."""
        with torch.no_grad():
            return self.net.bb_regressor.log_density(m3, m4, t3, t4, boxes)

    @torch.jit.export
    def refine_boxes(self, m3: torch.Tensor, m4: torch.Tensor, feat2: torch.Tensor, feat3: torch.Tensor,
                     boxes: torch.Tensor, steps: torch.Tensor, step_length: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Gradient ascent on the log-density from the test crops' layer2 / layer3 features (the
        test branch runs inside, only in windows around the boxes): boxes [T, P, 4] (proposal 0
        sets the scale of the relative space), steps 0-d int, step_length 0-d or [4] ->
        (boxes [T, P, 4], log-density [T, P]). The gradient is written out (`box_gradient`): no
        autograd."""
        return self.net.bb_regressor.refine(m3, m4, feat2, feat3, boxes, int(steps.item()), step_length,
                                            self.refine_heads)


@contextlib.contextmanager
def _relative_source_paths():
    """TorchScript stores the source file of every scripted function in its debug records; keep
    those paths relative to models/ so that no machine path ends up in a model file."""
    import torch._sources as sources
    import torch.jit.frontend as frontend
    original = sources.get_source_lines_and_file
    base = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

    def relative(obj, error_msg=None):
        lines, lineno, filename = original(obj, error_msg)
        if filename and os.path.isabs(filename):
            filename = os.path.relpath(filename, base) if filename.startswith(base) else os.path.basename(filename)
        return lines, lineno, filename

    sources.get_source_lines_and_file = relative
    frontend.get_source_lines_and_file = relative
    try:
        yield
    finally:
        sources.get_source_lines_and_file = original
        frontend.get_source_lines_and_file = original


def script_module(net: PrDiMPNet) -> torch.jit.ScriptModule:
    with _relative_source_paths():
        return torch.jit.script(TrackerModule(net.eval()))


# bioimage.io 0.5: what the model descriptor cites, the methods of the TorchScript contract, the folder
# of the test tensors declared for `forward` (= `extract`).
CITE = [{"text": "Danelljan M., Van Gool L., Timofte R. Probabilistic Regression for Visual Tracking. CVPR 2020.",
         "url": "https://arxiv.org/abs/2003.12565"}]
TEST_TENSORS = "test_tensors"
METHODS = {
    "forward": "extract(images) -> layer2, layer3, classifier_features (the bioimage.io inputs/outputs)",
    "init_filter": "init_filter(feat, boxes, weights, num_iter) -> filter: the online classifier from the first frame",
    "optimize_filter": "optimize_filter(filter, feat, boxes, weights, num_iter) -> filter: steepest-descent update",
    "classify": "classify(filter, feat) -> scores, probabilities: the target's probability map",
    "box_modulation": "box_modulation(feat2, feat3, boxes) -> m3, m4: box regressor's target modulation",
    "box_features": "box_features(feat2, feat3) -> t3, t4: box regressor's test features",
    "box_log_density": "box_log_density(m3, m4, t3, t4, boxes) -> log_density of boxes",
    "refine_boxes": "refine_boxes(m3, m4, feat2, feat3, boxes, steps, step_length) -> boxes, log_density",
}


def _channel_names(n: int, prefix: str = "feature") -> List[str]:
    return [f"{prefix}{i}" for i in range(n)]


class _Dumper(yaml.SafeDumper):
    """Lists of more than four plain values (channel names) on one line."""


_Dumper.add_representer(list, lambda d, data: d.represent_sequence(
    "tag:yaml.org,2002:seq", data,
    flow_style=len(data) > 4 and all(isinstance(x, (str, int, float)) for x in data)))


def dump_descriptor(desc: Dict, path: str) -> None:
    with open(path, "w") as f:
        yaml.dump(desc, f, Dumper=_Dumper, sort_keys=False, width=120)


def write_test_tensors(module, cfg: NetConfig, folder: str, seed: int = 0) -> Dict[str, Tuple[str, str]]:
    """The bioimage.io test tensors of `forward`: a seeded search-region crop in [0, 1] and the three
    feature maps it gives. Returns tensor id -> (relative source, sha256)."""
    out = os.path.join(folder, TEST_TENSORS)
    os.makedirs(out, exist_ok=True)
    g = torch.Generator().manual_seed(seed)
    image = torch.rand(1, cfg.input_channels, cfg.crop_size, cfg.crop_size, generator=g)
    with torch.no_grad():
        outputs = module.forward(image)
    files = {}
    for tid, t in [("image", image)] + list(zip(["layer2", "layer3", "classifier_features"], outputs)):
        name = save_npy(out, tid, t)
        files[tid] = (f"{TEST_TENSORS}/{name}", sha256_of(os.path.join(out, name)))
    return files


def add_bioimageio_fields(desc: Dict, test_tensors: Dict[str, Tuple[str, str]]) -> Dict:
    """The bioimage.io 0.5 fields a descriptor needs besides ours: cite, channel names on every channel
    axis, test tensors, the methods of the contract under config.prdimp."""
    desc["format_version"] = FORMAT_VERSION
    desc["cite"] = CITE
    for tensor in desc["inputs"] + desc["outputs"]:
        for axis in tensor["axes"]:
            if axis["type"] == "channel" and "channel_names" not in axis:
                axis["channel_names"] = _channel_names(axis.pop("size"))
        source, sha = test_tensors[tensor["id"]]
        tensor["test_tensor"] = {"source": source, "sha256": sha}
    desc["config"]["prdimp"]["methods"] = dict(METHODS)
    order = ["format_version", "type", "name", "description", "authors", "cite", "license", "documentation", "tags",
             "inputs", "outputs", "weights", "config"]
    return {k: desc[k] for k in order if k in desc} | {k: v for k, v in desc.items() if k not in order}


def refresh_descriptor(folder: str) -> Dict:
    """Adds the bioimage.io 0.5 fields (and fresh test tensors) to an existing model folder's rdf.yaml;
    tracker.pt is not touched (its sha256 stays). `python3 -m prdimp.export.model_folder --refresh FOLDER...`."""
    module, desc = load_model_folder(folder)
    cfg = NetConfig.from_dict(desc["config"]["prdimp"]["network"])
    desc = add_bioimageio_fields(desc, write_test_tensors(module, cfg, folder))
    dump_descriptor(desc, os.path.join(folder, DESCRIPTOR))
    return desc


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def descriptor(cfg: NetConfig, name: str, description: str, sha256: str, license_id: str,
               authors: List[str], extra: Optional[Dict] = None, tracker: Optional[Dict] = None) -> Dict:
    s = cfg.crop_size
    fm = s // cfg.feature_stride
    channel_names = ["grey"] if cfg.input_channels == 1 else ["red", "green", "blue"]
    config = {
        "contract_version": CONTRACT_VERSION,
        "network": cfg.to_dict(),
        "tracker": dict(TRACKER_DEFAULTS, crop_size=s, search_area_scale=cfg.search_area_scale,
                        feature_stride=cfg.feature_stride, filter_size=cfg.filter_size,
                        feature_size=fm, score_size=fm + 1 - cfg.filter_size % 2),
    }
    unknown = set(tracker or {}) - set(TRACKER_DEFAULTS) - set(NETWORK_DERIVED_SETTABLE) - set(OPTIONAL_TRACKER)
    if unknown:
        raise ValueError(f"unknown tracker parameters {sorted(unknown)}")
    config["tracker"].update(tracker or {})
    if extra:
        config.update(extra)
    return {
        "format_version": FORMAT_VERSION,
        "type": "model",
        "name": name,
        "description": description,
        "authors": [{"name": a} for a in authors],
        "license": license_id,
        "documentation": "README.md",
        "tags": ["tracking", "prdimp", "single-object-tracking", cfg.variant],
        "inputs": [{
            "id": "image",
            "description": "search-region crop, intensities scaled to [0, 1]; greyscale or RGB",
            "axes": [{"type": "batch"}, {"type": "channel", "channel_names": channel_names},
                     {"type": "space", "id": "y", "size": s}, {"type": "space", "id": "x", "size": s}],
            "data": {"type": "float32", "range": [0.0, 1.0]},
        }],
        "outputs": [
            {"id": "layer2", "axes": [{"type": "batch"}, {"type": "channel", "size": cfg.bbreg_in_dims[0]},
                                      {"type": "space", "id": "y", "size": s // 8},
                                      {"type": "space", "id": "x", "size": s // 8}], "data": {"type": "float32"}},
            {"id": "layer3", "axes": [{"type": "batch"}, {"type": "channel", "size": cfg.bbreg_in_dims[1]},
                                      {"type": "space", "id": "y", "size": fm},
                                      {"type": "space", "id": "x", "size": fm}], "data": {"type": "float32"}},
            {"id": "classifier_features", "axes": [{"type": "batch"}, {"type": "channel", "size": cfg.classifier_dim},
                                                   {"type": "space", "id": "y", "size": fm},
                                                   {"type": "space", "id": "x", "size": fm}], "data": {"type": "float32"}},
        ],
        "weights": {"torchscript": {"source": MODEL_FILE, "sha256": sha256,
                                    "pytorch_version": torch.__version__.split("+")[0].replace("a0", "")}},
        "config": {"prdimp": config},
    }


def export_model(net: PrDiMPNet, out_dir: str, name: str, description: str, license_id: str = "MIT",
                 authors: Optional[List[str]] = None, extra: Optional[Dict] = None, readme: Optional[str] = None,
                 tracker: Optional[Dict] = None) -> str:
    """Script `net` and write a model folder. Returns the path of the TorchScript file."""
    os.makedirs(out_dir, exist_ok=True)
    scripted = script_module(net)
    path = os.path.join(out_dir, MODEL_FILE)
    scripted.save(path)
    desc = descriptor(net.cfg, name, description, sha256_of(path), license_id,
                      authors or ["PrDiMP for Fiji developers"], extra, tracker)
    desc = add_bioimageio_fields(desc, write_test_tensors(scripted, net.cfg, out_dir))
    dump_descriptor(desc, os.path.join(out_dir, DESCRIPTOR))
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write(readme or f"# {name}\n\n{description}\n\nExported by `prdimp.export.model_folder` (contract version "
                          f"{CONTRACT_VERSION}); see models/README.md for the methods and their shapes.\n")
    return path


class ModelFolderError(Exception):
    pass


def read_descriptor(folder: str) -> Dict:
    path = os.path.join(folder, DESCRIPTOR)
    if not os.path.isfile(path):
        raise ModelFolderError(f"{folder} is not a model folder: {DESCRIPTOR} is missing")
    with open(path) as f:
        desc = yaml.safe_load(f)
    try:
        desc["config"]["prdimp"]["network"]
        desc["weights"]["torchscript"]["source"]
    except (KeyError, TypeError) as e:
        raise ModelFolderError(f"{path} lacks the entry {e}; re-export the model") from None
    return desc


def load_model_folder(folder: str, verify: bool = True) -> Tuple[torch.jit.ScriptModule, Dict]:
    """Load a model folder in Python (checks the weights' sha256 against the descriptor)."""
    desc = read_descriptor(folder)
    ts = desc["weights"]["torchscript"]
    path = os.path.join(folder, ts["source"])
    if not os.path.isfile(path):
        raise ModelFolderError(f"{folder}: weights file {ts['source']} named in {DESCRIPTOR} is missing")
    if verify and sha256_of(path) != ts["sha256"]:
        raise ModelFolderError(f"{folder}: {ts['source']} does not match the sha256 in {DESCRIPTOR}")
    return torch.jit.load(path, map_location="cpu"), desc


# ---------------------------------------------------------------- golden tensors

def save_npy(folder: str, name: str, t: torch.Tensor) -> str:
    fname = f"{name}.npy"
    np.save(os.path.join(folder, fname), t.detach().cpu().contiguous().numpy().astype(np.float32))
    return fname


def write_golden(module: torch.jit.ScriptModule, cfg: NetConfig, folder: str, seed: int = 0,
                 targets: int = 2) -> Dict:
    """Run every exported method on deterministic inputs and save inputs and outputs as .npy,
    with golden/manifest.json listing the calls in order. Integer arguments are stored as
    float32 0-d arrays and must be passed to the method as int64 0-d tensors (`"int": true`)."""
    os.makedirs(folder, exist_ok=True)
    g = torch.Generator().manual_seed(seed)
    s = cfg.crop_size
    calls = []
    saved: Dict[int, str] = {}  # a tensor passed on from an earlier call is stored once
    alive: List[torch.Tensor] = []  # keeps ids unique while `saved` is in use

    def call(method: str, args: List[Tuple[str, torch.Tensor]], outputs: List[str], ints=(), label: str = ""):
        result = getattr(module, method)(*[a for _, a in args])
        result = result if isinstance(result, tuple) else (result,)
        entry = {"method": method, "inputs": [], "outputs": []}
        label = label or method
        for name, a in args:
            file = saved.get(id(a)) or save_npy(folder, f"{label}.in.{name}", a.float())
            saved[id(a)] = file
            alive.append(a)
            entry["inputs"].append({"file": file, "shape": list(a.shape), "int": name in ints})
        for name, r in zip(outputs, result):
            saved[id(r)] = save_npy(folder, f"{label}.out.{name}", r)
            alive.append(r)
            entry["outputs"].append({"file": saved[id(r)], "shape": list(r.shape)})
        calls.append(entry)
        return result

    # a smooth image with a bright blob per target, so that features are not noise
    yy, xx = torch.meshgrid(torch.arange(s, dtype=torch.float32), torch.arange(s, dtype=torch.float32), indexing="ij")
    imgs = []
    boxes = []
    for t in range(targets):
        cx, cy = s / 2 + 9.0 * t - 4.0, s / 2 - 6.0 * t + 3.0
        w, h = s / 5 + 4.0 * t, s / 5 - 3.0 * t
        blob = torch.exp(-(((xx - cx) / (w / 2)) ** 2 + ((yy - cy) / (h / 2)) ** 2))
        noise = torch.rand((s, s), generator=g) * 0.1
        imgs.append((0.1 + 0.8 * blob + noise).clamp(0, 1).unsqueeze(0).expand(cfg.input_channels, -1, -1))
        boxes.append(torch.tensor([cx - w / 2, cy - h / 2, w, h]))
    images = torch.stack(imgs)
    box = torch.stack(boxes)  # [T, 4]
    l2, l3, clf = call("extract", [("images", images)], ["layer2", "layer3", "classifier_features"])
    # two training samples per target: the features and a shifted copy
    feat = torch.stack((clf, torch.roll(clf, shifts=(1, -1), dims=(-2, -1))))  # [2, T, C, H, W]
    tb = torch.stack((box, box + torch.tensor([-16.0, 16.0, 0.0, 0.0])))  # [2, T, 4]
    weights = torch.tensor([[0.6] * targets, [0.4] * targets])
    filt = call("init_filter", [("feat", feat), ("boxes", tb), ("weights", weights),
                                ("num_iter", torch.tensor(5))], ["filter"], ints=("num_iter",))[0]
    filt2 = call("optimize_filter", [("filter", filt), ("feat", feat), ("boxes", tb), ("weights", weights),
                                     ("num_iter", torch.tensor(2))], ["filter"], ints=("num_iter",))[0]
    call("classify", [("filter", filt2), ("feat", clf)], ["scores", "probabilities"])
    m3, m4 = call("box_modulation", [("feat2", l2), ("feat3", l3), ("boxes", box)], ["m3", "m4"])
    t3, t4 = call("box_features", [("feat2", l2), ("feat3", l3)], ["t3", "t4"])
    jitter = (torch.rand((targets, 5, 4), generator=g) - 0.5) * torch.tensor([8.0, 8.0, 10.0, 10.0])
    proposals = box.unsqueeze(1) + jitter
    proposals[:, 0] = box
    call("box_log_density", [("m3", m3), ("m4", m4), ("t3", t3), ("t4", t4), ("boxes", proposals)], ["log_density"])
    call("refine_boxes", [("m3", m3), ("m4", m4), ("feat2", l2), ("feat3", l3), ("boxes", proposals),
                          ("steps", torch.tensor(3)), ("step_length", torch.tensor(2.5e-3))],
         ["boxes", "log_density"], ints=("steps",))
    # the tracker's own setting, 10 boxes and 10 steps: pooling and the fully connected layers are
    # then mapped once per window (`box_gradient.maps_pay`), with 5 boxes and 3 steps they are not
    jitter = (torch.rand((targets, 10, 4), generator=g) - 0.5) * torch.tensor([8.0, 8.0, 10.0, 10.0])
    proposals = box.unsqueeze(1) + jitter
    proposals[:, 0] = box
    call("refine_boxes", [("m3", m3), ("m4", m4), ("feat2", l2), ("feat3", l3), ("boxes", proposals),
                          ("steps", torch.tensor(10)), ("step_length", torch.tensor(2.5e-3))],
         ["boxes", "log_density"], ints=("steps",), label="refine_boxes_10x10")
    manifest = {"contract_version": CONTRACT_VERSION, "seed": seed, "calls": calls,
                "tolerance": {"relative": 1e-3, "absolute": 1e-4}}
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def replay_golden(module, folder: str) -> float:
    """Call every method listed in golden/manifest.json with its stored inputs and compare the
    outputs; raises AssertionError beyond the manifest's tolerance. Returns the largest
    absolute difference seen."""
    with open(os.path.join(folder, "manifest.json")) as f:
        manifest = json.load(f)
    rtol, atol = manifest["tolerance"]["relative"], manifest["tolerance"]["absolute"]
    worst = 0.0
    for call in manifest["calls"]:
        args = [torch.from_numpy(np.load(os.path.join(folder, i["file"]))) for i in call["inputs"]]
        args = [a.long() if i["int"] else a for a, i in zip(args, call["inputs"])]
        result = getattr(module, call["method"])(*args)
        result = result if isinstance(result, tuple) else (result,)
        for r, o in zip(result, call["outputs"]):
            expected = torch.from_numpy(np.load(os.path.join(folder, o["file"])))
            torch.testing.assert_close(r, expected, rtol=rtol, atol=atol,
                                       msg=lambda m: f"{call['method']} -> {o['file']}: {m}")
            worst = max(worst, float((r - expected).abs().max()))
    return worst


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="model folders: add the bioimage.io 0.5 fields and test tensors")
    ap.add_argument("--refresh", nargs="+", required=True, metavar="FOLDER", help="model folders to refresh in place")
    for f in ap.parse_args().refresh:
        refresh_descriptor(f)
        print(f"{f}: {DESCRIPTOR} refreshed (bioimage.io {FORMAT_VERSION}, test tensors in {TEST_TENSORS}/)")

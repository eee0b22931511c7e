"""Train a PrDiMP model on procedural time-lapses, and export a checkpoint as a model folder.

    python3 -m prdimp.training run RUN_DIR [--variant compact] [--minutes M] [--steps N] [--resume]
                                [--fork CKPT] [--classifier-loss kl|shrinkage] [--batch-size B]
                                [--threads T] [--device auto|cpu|cuda] [--seed S]
                                [--nanotrack PTH] [--bank DIR]
    python3 -m prdimp.training export CKPT OUT_DIR [--box-refinement true|false] [--set NAME=VALUE ...]
                                   [--readme FILE] [--license FILE]

`run` writes RUN_DIR/log.jsonl (every loss of every step, plus the held-out batch's losses every
--eval-every steps), RUN_DIR/log.csv (the same, flat), RUN_DIR/last.pt (every
--checkpoint-minutes and at the end), RUN_DIR/best.pt (lowest held-out loss) and
RUN_DIR/step-N.pt snapshots. `--resume` continues from RUN_DIR/last.pt and gives the same
weights as an uninterrupted run; `--fork CKPT` starts from another run's checkpoint (weights,
optimiser, step) with this command's loss settings (used for the shrinkage ablation).
`--variant nanotrack-v2 --nanotrack nanotrackv2.pth --bank DIR` starts from NanoTrack's pretrained
backbone, kept frozen, and trains the classifier and box regressor on the bank's cached features
(`prdimp.training.feature_bank`); its held-out batch comes from the bank's validation tracks.
"""
import argparse
import csv
import json
import os
import shutil
import sys
import time
from typing import Dict, List

import torch

from ..net.network import build_net
from ..procedural.training_sequences import validation_seeds
from . import trainer
from .sampler import Sampler, SamplerConfig, fixed_batch

HELD_OUT_SEQUENCES = 8


def _device(name: str) -> str:
    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise SystemExit("prdimp.training: --device cuda asked for, but PyTorch sees no CUDA device; use --device cpu")
    return name


def _write_csv(run_dir: str) -> None:
    rows = []
    with open(os.path.join(run_dir, "log.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    keys = sorted({k for r in rows for k in r})
    with open(os.path.join(run_dir, "log.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        w.writerows(rows)


def selection_score(ev: dict, cfg: trainer.TrainConfig) -> float:
    """Held-out figure that picks best.pt: final-filter cross-entropy + weighted box KL (the same
    whatever classifier loss trains)."""
    return ev["cls_final_ce"] + cfg.box_loss_weight * ev["box_kl"]


def _warm_start(a: argparse.Namespace, device: str):
    """Weights of another run's checkpoint with a fresh optimiser and learning-rate schedule (this
    invocation's --lr / --lr-decay-steps / --classifier-loss, and its box-regressor sampling --proposals /
    --box-test-frames); the step count goes on from the checkpoint's, so the sampler keeps drawing
    batches the network has not seen."""
    net, _, _, old, step, _ = trainer.load_checkpoint(a.warm_start, device)
    cfg = trainer.TrainConfig(**dict(trainer.asdict(old), lr=a.lr, lr_decay_steps=a.lr_decay_steps,
                                     classifier_loss=a.classifier_loss, proposals=a.proposals,
                                     box_test_frames=a.box_test_frames))
    cfg.extra = dict(cfg.extra, warm_start_from=os.path.basename(a.warm_start), warm_start_at=step)
    return net, cfg, step


def _nanotrack_backbone(net, checkpoint: str) -> dict:
    """Loads NanoTrack's pretrained backbone into a new nanotrack-* network; returns its source
    record (file, sha256, version, tensor counts) for the checkpoint and the model's SOURCE.txt."""
    from ..convert.nanotrack import ConversionError, build_from_nanotrack
    if not checkpoint:
        raise SystemExit(f"prdimp.training: variant {net.cfg.variant} starts from NanoTrack's backbone: give --nanotrack PTH")
    try:
        pretrained, info = build_from_nanotrack(checkpoint)
    except ConversionError as e:
        raise SystemExit(f"prdimp.training: {e}") from None
    if pretrained.cfg.variant != net.cfg.variant:
        raise SystemExit(f"prdimp.training: {checkpoint} is NanoTrack {info['version']}, not the backbone of {net.cfg.variant}")
    net.feature_extractor.load_state_dict(pretrained.feature_extractor.state_dict())
    return info


def _bank_samplers(bank: str, cfg: trainer.TrainConfig):
    """Training batches from the bank's train tracks, the fixed held-out batch from its val tracks."""
    from .feature_bank import BankSampler
    sampler = BankSampler(bank, "train", cfg.seed, cfg.batch_size)
    source = cfg.extra.get("nanotrack", {})
    if sampler.manifest["variant"] != cfg.variant or sampler.manifest["backbone"]["sha256"] != source.get("sha256"):
        raise SystemExit(f"prdimp.training: {bank} holds features of {sampler.manifest['variant']} "
                         f"({sampler.manifest['backbone']['file']}), not of this run's backbone")
    return sampler, BankSampler(bank, "val", 0, 8).batch(0)


def run(a: argparse.Namespace) -> int:
    torch.set_num_threads(a.threads)
    device = _device(a.device)
    os.makedirs(a.run_dir, exist_ok=True)
    last = os.path.join(a.run_dir, "last.pt")
    info = {}
    if a.resume and os.path.isfile(last):
        net, opt, sched, cfg, step, info = trainer.load_checkpoint(last, device)
        print(f"resumed {last} at step {step}")
    elif a.fork:
        net, opt, sched, cfg, step, info = trainer.load_checkpoint(a.fork, device)
        cfg.classifier_loss = a.classifier_loss
        cfg.extra = dict(cfg.extra, forked_from=os.path.basename(a.fork), forked_at=step)
        info = {"best": None}
        print(f"forked {a.fork} at step {step} with classifier loss {cfg.classifier_loss}")
    elif a.warm_start:
        net, cfg, step = _warm_start(a, device)
        opt = trainer.make_optimizer(net, cfg)
        sched = trainer.make_scheduler(opt, cfg)
        info = {"best": None}
        print(f"warm start from {a.warm_start} (step {step}): new optimiser, lr {cfg.lr}, "
              f"x {cfg.lr_decay_gamma} every {cfg.lr_decay_steps} steps")
    else:
        if a.resume:
            print(f"no {last} yet: starting a new run")
        cfg = trainer.TrainConfig(variant=a.variant, seed=a.seed, batch_size=a.batch_size, lr=a.lr,
                                  classifier_loss=a.classifier_loss, lr_decay_steps=a.lr_decay_steps,
                                  frozen_backbone=bool(a.bank), proposals=a.proposals,
                                  box_test_frames=a.box_test_frames)
        net, opt, sched = trainer.new_run(cfg, device)
        if a.variant.startswith("nanotrack"):
            cfg.extra = dict(cfg.extra, nanotrack=_nanotrack_backbone(net, a.nanotrack))
        step = 0
    if cfg.frozen_backbone and not a.bank:
        raise SystemExit(f"prdimp.training: this run trains on cached backbone features: give its --bank DIR")
    with open(os.path.join(a.run_dir, "config.json"), "w") as f:
        json.dump({"train": trainer.asdict(cfg), "argv": sys.argv[1:]}, f, indent=1)
    if a.bank:
        sampler, held_out = _bank_samplers(a.bank, cfg)
    else:
        scfg = SamplerConfig(crop_size=net.cfg.crop_size, search_area_scale=net.cfg.search_area_scale)
        sampler = Sampler(scfg, cfg.seed, cfg.batch_size)
        held_out = fixed_batch(scfg, validation_seeds(HELD_OUT_SEQUENCES), 8)
    log = trainer.JsonlLog(os.path.join(a.run_dir, "log.jsonl"))
    start = time.time()
    last_ckpt = start
    best = info.get("best")
    end_step = step + a.steps if a.steps else None
    wall = info.get("wall_s", 0.0)
    while True:
        if end_step is not None and step >= end_step:
            break
        if a.minutes and time.time() - start > a.minutes * 60:
            break
        t0 = time.time()
        batch = sampler.batch(step)
        t1 = time.time()
        rec = trainer.train_step(net, opt, sched, batch, cfg, step)
        step += 1
        rec.update(step=step, data_s=round(t1 - t0, 3), step_s=round(time.time() - t1, 3), time=round(time.time(), 1))
        if step % a.eval_every == 0:
            ev = trainer.evaluate(net, held_out, cfg)
            rec.update({f"val_{k}": v for k, v in ev.items()})
            score = selection_score(ev, cfg)
            rec["val_score"] = score
            if best is None or score < best:
                best = score
                info = {"best": best, "best_step": step}
                trainer.save_checkpoint(os.path.join(a.run_dir, "best.pt"), net, opt, sched, cfg, step, info)
        log.write(rec)
        if step % a.print_every == 0:
            print(f"step {step}: loss {rec['loss']:.4f} cls {rec['cls']:.4f} box_kl {rec['box_kl']:.3f} "
                  f"hit {rec['peak_hit']:.2f} val {rec.get('val_score', float('nan')):.4f} "
                  f"({rec['data_s']:.2f}+{rec['step_s']:.2f} s)", flush=True)
        if time.time() - last_ckpt > a.checkpoint_minutes * 60:
            trainer.save_checkpoint(last, net, opt, sched, cfg, step,
                                    dict(info, best=best, wall_s=wall + time.time() - start))
            shutil.copyfile(last, os.path.join(a.run_dir, f"step-{step}.pt"))
            last_ckpt = time.time()
    trainer.save_checkpoint(last, net, opt, sched, cfg, step, dict(info, best=best, wall_s=wall + time.time() - start))
    _write_csv(a.run_dir)
    print(f"stopped at step {step} after {time.time() - start:.0f} s; best held-out score {best}")
    return 0


def tracker_settings(items: List[str]) -> Dict[str, object]:
    """NAME=VALUE pairs for the model's tracker parameters (prdimp.export.model_folder.TRACKER_DEFAULTS), each
    value read as the type of the parameter's default."""
    from ..export.model_folder import NETWORK_DERIVED_SETTABLE, OPTIONAL_TRACKER, TRACKER_DEFAULTS
    known = dict(TRACKER_DEFAULTS, **NETWORK_DERIVED_SETTABLE, **OPTIONAL_TRACKER)
    settings: Dict[str, object] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or name not in known or isinstance(known[name], (list, bool)):
            settable = sorted(k for k, v in known.items() if not isinstance(v, (list, bool)))
            raise ValueError(f"--set {item}: expected NAME=VALUE with NAME one of {', '.join(settable)}")
        try:
            settings[name] = type(known[name])(value)
        except ValueError:
            kind = "a whole number" if isinstance(known[name], int) else "a number"
            raise ValueError(f"--set {item}: {value!r} is not {kind}") from None
    return settings


def export(a: argparse.Namespace) -> int:
    from ..export.model_folder import export_model
    try:
        settings = tracker_settings(a.set or [])
    except ValueError as e:
        print(f"prdimp.training export: {e}", file=sys.stderr)
        return 2
    torch.set_num_threads(a.threads)
    net = trainer.load_net(a.checkpoint)
    ck = torch.load(a.checkpoint, map_location="cpu")
    recalibrated = 0
    if a.recalibrate_bn and ck["config"].get("frozen_backbone"):
        print("prdimp.training export: --recalibrate-bn re-estimates the backbone's statistics too; not for a run "
              "whose backbone is frozen (pretrained)", file=sys.stderr)
        return 2
    if a.recalibrate_bn:
        scfg = SamplerConfig(crop_size=net.cfg.crop_size, search_area_scale=net.cfg.search_area_scale)
        sampler = Sampler(scfg, ck["config"]["seed"] + 1, ck["config"]["batch_size"], window=4)
        recalibrated = trainer.recalibrate_batchnorm(net, (sampler.batch(i) for i in range(a.recalibrate_bn)))
        fresh = build_net(net.cfg.variant)  # a module that never ran a training pass scripts cleanly
        fresh.load_state_dict(net.state_dict())
        net = fresh.eval()
    source = ck["config"].get("extra", {}).get("nanotrack")
    if source and not (a.license and os.path.isfile(a.license)):
        print(f"prdimp.training export: a {net.cfg.variant} model carries NanoTrack's Apache-2.0 licence: give its "
              "LICENSE file with --license FILE", file=sys.stderr)
        return 2
    readme = open(a.readme).read() if a.readme else None
    tracker = dict(settings, box_refinement=a.box_refinement == "true")
    licence = {}
    if source:  # the backbone's weights are NanoTrack's (Apache-2.0)
        from ..convert.nanotrack import NANOTRACK_AUTHOR
        licence = {"license_id": "Apache-2.0",
                   "authors": [NANOTRACK_AUTHOR + " (NanoTrack backbone)", "PrDiMP for Fiji developers"]}
    export_model(net, a.out_dir, a.name, a.description, readme=readme, tracker=tracker,
                 extra={"training": {"step": ck["step"], "classifier_loss": ck["config"]["classifier_loss"],
                                     "seed": ck["config"]["seed"], "batchnorm_recalibration_batches": recalibrated}},
                 **licence)
    if source:
        from ..convert.nanotrack import write_source_note
        write_source_note(a.out_dir, source, a.license, heads=a.checkpoint)
    print(f"exported step {ck['step']} of {a.checkpoint} to {a.out_dir}")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m prdimp.training", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="train (or continue training) into RUN_DIR")
    r.add_argument("run_dir")
    r.add_argument("--variant", default="compact")
    r.add_argument("--minutes", type=float, default=0, help="wall-clock budget of this invocation (0: none)")
    r.add_argument("--steps", type=int, default=0, help="steps of this invocation (0: until --minutes)")
    r.add_argument("--resume", action="store_true", help="continue from RUN_DIR/last.pt when present")
    r.add_argument("--fork", metavar="CKPT", help="start from another run's checkpoint with this run's loss")
    r.add_argument("--warm-start", metavar="CKPT",
                   help="start from another checkpoint's weights with a new optimiser and lr schedule")
    r.add_argument("--classifier-loss", choices=["kl", "shrinkage"], default="kl")
    r.add_argument("--batch-size", type=int, default=4)
    r.add_argument("--lr", type=float, default=1e-3)
    r.add_argument("--lr-decay-steps", type=int, default=1500)
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--box-test-frames", type=int, default=0,
                   help="test frames per sequence the box regressor learns from (a new run or --warm-start; 0: all 3)")
    r.add_argument("--proposals", type=int, default=128,
                   help="box-regressor proposals per test frame (a new run or --warm-start; 32 trains the box regressor at about "
                        "a third of the step time on 2 CPU cores)")
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    r.add_argument("--eval-every", type=int, default=25)
    r.add_argument("--print-every", type=int, default=5)
    r.add_argument("--checkpoint-minutes", type=float, default=5.0)
    r.add_argument("--nanotrack", metavar="PTH", default="",
                   help="NanoTrack's nanotrackv2.pth / v3.pth: the pretrained backbone of a new nanotrack-* run")
    r.add_argument("--bank", metavar="DIR", default="",
                   help="train the heads on this feature bank's cached backbone features (backbone frozen; "
                        "python3 -m prdimp.training.feature_bank build)")
    e = sub.add_parser("export", help="export a checkpoint as a model folder (prdimp.export.model_folder)")
    e.add_argument("checkpoint")
    e.add_argument("out_dir")
    e.add_argument("--box-refinement", choices=["true", "false"], default="true")
    e.add_argument("--set", action="append", metavar="NAME=VALUE",
                   help="a tracker parameter of the model (repeatable), e.g. distractor_threshold=0.5")
    e.add_argument("--name", default="PrDiMP compact (trained on procedural time-lapses)")
    e.add_argument("--description", default="The project's compact PrDiMP network trained on procedural "
                                             "microscopy-like time-lapses; see README.md.")
    e.add_argument("--readme", help="model card to write as README.md")
    e.add_argument("--recalibrate-bn", type=int, default=0, metavar="N",
                   help="re-estimate BatchNorm statistics over N training batches (seed + 1) before export")
    e.add_argument("--threads", type=int, default=2)
    e.add_argument("--license", default="", help="NanoTrack's LICENSE, for models with its backbone (nanotrack-*)")
    a = p.parse_args(argv)
    return run(a) if a.command == "run" else export(a)


if __name__ == "__main__":
    sys.exit(main())

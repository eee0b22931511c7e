"""Training code: losses on hand-computed cases, the sampler, a training step, checkpoints, export."""
import dataclasses
import math

import numpy as np
import pytest
import torch

from prdimp.procedural import nuclei
from prdimp.export.model_folder import load_model_folder
from prdimp.training.__main__ import main as train_main
from prdimp.training import losses, sampler as samples, trainer

SMALL = dataclasses.replace(nuclei.PRESETS["nuclei"], width=96, height=96, frames=12, objects=3,
                            size_range=(14.0, 20.0), distractors=2)


def small_sequence(seed: int) -> samples.Sequence:
    """A real (small) procedural sequence: fast enough for unit tests."""
    frames, tracks = nuclei.render_sequence(SMALL, seed)
    boxes = np.stack([tracks[k] for k in sorted(tracks)], axis=1).astype(np.float32)
    return samples.Sequence(samples.engine_normalise(frames), boxes, "small", seed)


SMALL_CROP = samples.SamplerConfig(crop_size=96)


def small_sampler(seed=0, batch=2):
    return samples.Sampler(SMALL_CROP, seed, batch, window=4, pool=samples.SequencePool(small_sequence, 8))


# ------------------------------------------------------------------------------------ losses

def test_kl_of_label_with_itself_is_zero_and_cross_entropy_is_its_entropy():
    label = losses.label_density(torch.tensor([[40.0, 50.0, 30.0, 20.0]]), 19)
    scores = torch.log(label.clamp_min(1e-30)) + 3.0  # any constant shift: same softmax
    assert float(losses.kl_divergence(scores, label)) == pytest.approx(0.0, abs=1e-5)
    assert float(losses.cross_entropy(scores, label)) == pytest.approx(float(losses.entropy(label)), abs=1e-5)
    assert float(losses.kl_divergence(torch.zeros_like(scores), label)) > 0.5


def test_cross_entropy_hand_computed():
    scores = torch.tensor([[[0.0, math.log(3.0)]]])  # softmax (1/4, 3/4)
    label = torch.tensor([[[0.5, 0.5]]])
    expected = -0.5 * math.log(0.25) - 0.5 * math.log(0.75)
    assert float(losses.cross_entropy(scores, label)) == pytest.approx(expected, rel=1e-6)


def test_label_density_sums_to_one_and_peaks_at_the_centre():
    # centre 136 px = score index 9 (map centre) for stride 16, filter 4
    label = losses.label_density(torch.tensor([126.0, 116.0, 20.0, 40.0]), 19)
    assert float(label.sum()) == pytest.approx(1.0, abs=1e-6)
    assert divmod(int(label.argmax()), 19) == (9, 9)


def test_shrinkage_formula_hand_computed():
    scores = torch.tensor([[[0.0, math.log(3.0)]]])  # p = (0.25, 0.75)
    label = torch.tensor([[[0.5, 0.5]]])  # peak 0.5: l = |p - y| / 0.5 = (0.5, 0.5)
    a, c = 10.0, 0.2
    expected = 2 * 0.25 / (1 + math.exp(a * (c - 0.5)))
    assert float(losses.shrinkage_loss(scores, label, a, c)) == pytest.approx(expected, rel=1e-6)
    # an easy cell (small error) is damped far more than the plain squared loss
    easy = torch.tensor([[[math.log(0.49), math.log(0.51)]]])
    ratio = float(losses.shrinkage_loss(easy, label, a, c)) / (2 * 0.02 ** 2)
    assert ratio == pytest.approx(1 / (1 + math.exp(a * (c - 0.02))), rel=1e-4)


def test_classifier_loss_weights_initial_final_and_mean_of_intermediates():
    label = torch.tensor([[[0.5, 0.5]]])
    scores = [torch.tensor([[[0.0, float(v)]]]) for v in (0.0, 1.0, 2.0, 3.0)]
    ce = [float(losses.cross_entropy(s, label)) for s in scores]
    total, per = losses.classifier_loss(scores, label)
    assert per == pytest.approx(ce)
    assert float(total) == pytest.approx(0.25 * ce[0] + 0.25 * ce[3] + (ce[1] + ce[2]) / 2, rel=1e-6)
    with pytest.raises(ValueError, match="unknown classifier loss"):
        losses.classifier_loss(scores, label, "hinge")


def test_box_kl_hand_computed():
    s = torch.tensor([[1.0, 2.0]])
    log_q = torch.log(torch.tensor([[0.5, 0.25]]))
    log_p = torch.log(torch.tensor([[0.25, 0.5]]))
    expected = math.log(math.exp(1) / 0.5 + math.exp(2) / 0.25) - math.log(2) - (1 * 0.5 + 2 * 2.0) / 2
    assert float(losses.box_kl_loss(s, log_q, log_p)) == pytest.approx(expected, rel=1e-6)


def test_proposals_follow_the_mixture():
    gt = torch.tensor([[50.0, 60.0, 20.0, 40.0]])
    boxes, log_q, log_p = losses.sample_proposals(gt.repeat(200, 1), 128, torch.Generator().manual_seed(0))
    assert boxes.shape == (200, 128, 4) and log_q.shape == (200, 128) and bool((boxes[..., 2:] > 0).all())
    rel_w = torch.log(boxes[..., 2] / 20.0).flatten()
    # half the proposals from sigma 0.05, half from 0.5: the mixture's std is sqrt((0.05^2 + 0.5^2) / 2)
    assert float(rel_w.std()) == pytest.approx(math.sqrt((0.05 ** 2 + 0.5 ** 2) / 2), rel=0.05)
    assert float((rel_w.abs() < 0.15).float().mean()) > 0.5
    # densities at the ground truth itself: p = N(0; 0.05)^4, q = mixture
    one = losses._log_gauss(torch.zeros(1, 4), torch.zeros(1, 4), (0.05, 0.05))
    assert float(one) == pytest.approx(-4 * (math.log(0.05) + 0.5 * math.log(2 * math.pi)), rel=1e-6)


# ------------------------------------------------------------------------------------ sampler

def test_jitter_bounds():
    rng = np.random.default_rng(0)
    box = np.array([10.0, 20.0, 30.0, 40.0])
    for jit in (samples.TRAIN_JITTER, samples.TEST_JITTER):
        js = np.array([samples.jitter_box(box, jit, rng) for _ in range(2000)])
        size = np.sqrt(js[:, 2] * js[:, 3])
        shift = (js[:, :2] + js[:, 2:] / 2) - (box[:2] + box[2:] / 2)
        assert np.all(np.abs(shift) <= jit.centre * size[:, None] / 2 + 1e-9)
        assert np.abs(shift).max() > 0.8 * jit.centre * size.min() / 2  # the bound is reached
        assert np.std(np.log(js[:, 2] / 30.0)) == pytest.approx(jit.scale, rel=0.1)


def test_crop_maps_boxes_exactly():
    frame = np.zeros((100, 120), np.float32)
    frame[40:60, 50:70] = 1.0  # a 20 x 20 square at (50, 40)
    img, scale, (x0, y0) = samples.crop(frame, (60.0, 50.0), 50.0, 100)
    assert img.shape == (100, 100) and scale == pytest.approx(2.0)
    x, y = (50 - x0) * scale, (40 - y0) * scale
    inside = img[int(y) + 2:int(y + 40) - 2, int(x) + 2:int(x + 40) - 2]
    assert float(inside.min()) > 0.99 and float(img[:int(y) - 2].max()) < 0.01


def test_batch_shapes_ranges_and_test_after_train():
    s = small_sampler(batch=3)
    b = s.batch(0)
    assert b.images.shape == (6, 3, 1, 96, 96) and b.boxes.shape == (6, 3, 4) and b.train_frames == 3
    assert float(b.images.min()) >= 0.0 and float(b.images.max()) <= 1.0
    centre = b.boxes[..., :2] + b.boxes[..., 2:] / 2
    # crop side = 5 sqrt(wh) of the jittered box: centre within +- centre_factor / 10 of the crop side
    for rows, jit in ((slice(0, 3), samples.TRAIN_JITTER), (slice(3, 6), samples.TEST_JITTER)):
        off = (centre[rows] - 48.0).abs()
        assert float(off.max()) <= 96 * jit.centre / 10 + 2.0
    rng = np.random.default_rng(3)
    visible = np.ones(12, bool)
    for _ in range(50):
        idx = samples._choose_frames(visible, SMALL_CROP, rng)
        assert idx[2] < idx[3] and list(idx[:3]) == sorted(idx[:3]) and list(idx[3:]) == sorted(idx[3:])
    # the batch of a step does not depend on what came before
    assert torch.equal(small_sampler(batch=3).batch(0).images, b.images)


# ------------------------------------------------------------------------------------ training

def _tiny_run(seed=0):
    cfg = trainer.TrainConfig(seed=seed, batch_size=2, proposals=16)
    net, opt, sched = trainer.new_run(cfg)
    return cfg, net, opt, sched


def test_training_steps_decrease_the_loss_on_a_fixed_batch():
    torch.set_num_threads(2)
    cfg, net, opt, sched = _tiny_run()
    batch = small_sampler().batch(0)
    before = trainer.compute_losses(net.train(), batch, cfg, trainer.step_generator(0, 0))["loss"]
    for i in range(4):
        trainer.train_step(net, opt, sched, batch, cfg, 0)
    after = trainer.compute_losses(net.train(), batch, cfg, trainer.step_generator(0, 0))["loss"]
    assert after < before - 0.05, (before, after)


def test_checkpoint_resume_gives_identical_state(tmp_path):
    sampler = small_sampler()
    cfg, net, opt, sched = _tiny_run()
    for step in range(2):
        trainer.train_step(net, opt, sched, sampler.batch(step), cfg, step)
    path = str(tmp_path / "ck.pt")
    trainer.save_checkpoint(path, net, opt, sched, cfg, 2)
    trainer.train_step(net, opt, sched, sampler.batch(2), cfg, 2)
    net2, opt2, sched2, cfg2, step, _ = trainer.load_checkpoint(path)
    assert step == 2 and cfg2 == cfg
    trainer.train_step(net2, opt2, sched2, small_sampler().batch(2), cfg2, 2)
    a, b = net.state_dict(), net2.state_dict()
    assert a.keys() == b.keys()
    for k in a:
        assert torch.equal(a[k], b[k]), k
    assert opt.state_dict()["state"][0]["exp_avg"].equal(opt2.state_dict()["state"][0]["exp_avg"])


def test_exported_checkpoint_is_a_model_folder(tmp_path):
    cfg, net, opt, sched = _tiny_run()
    ck = str(tmp_path / "ck.pt")
    trainer.save_checkpoint(ck, net, opt, sched, cfg, 7)
    out = str(tmp_path / "model")
    assert train_main(["export", ck, out, "--box-refinement", "false", "--set", "distractor_threshold=0.5",
                       "--set", "init_optimizer_iterations=30", "--set", "search_area_scale=4",
                       "--set", "motion_prior_sigma=0.5"]) == 0
    module, desc = load_model_folder(out)
    tracker = desc["config"]["prdimp"]["tracker"]
    assert tracker["box_refinement"] is False and tracker["distractor_threshold"] == 0.5
    assert tracker["init_optimizer_iterations"] == 30 and isinstance(tracker["init_optimizer_iterations"], int)
    assert tracker["hard_negative_threshold"] == 0.5 and tracker["update_interval"] == 20  # the others as they were
    assert tracker["search_area_scale"] == 4.0 and desc["config"]["prdimp"]["network"]["search_area_scale"] == 5.0
    # optional (non-PrDiMP) parameters are written only where set; the engine's defaults stand for the rest
    assert tracker["motion_prior_sigma"] == 0.5 and "box_refinement_size_rate" not in tracker
    assert desc["config"]["prdimp"]["training"]["step"] == 7
    images = torch.rand(1, 1, 288, 288)
    expected = trainer.load_net(ck).extract(images)[2]
    assert torch.allclose(module.extract(images)[2], expected, atol=1e-5)


def test_export_refuses_unknown_or_mistyped_tracker_settings(tmp_path, capsys):
    for bad, says in (("distractor=0.5", "expected NAME=VALUE"), ("distractor_threshold", "expected NAME=VALUE"),
                      ("init_optimizer_iterations=2.5", "not a whole number"),
                      ("distractor_threshold=high", "not a number"), ("box_refinement=true", "expected NAME=VALUE")):
        assert train_main(["export", str(tmp_path / "missing.pt"), str(tmp_path / "m"), "--set", bad]) == 2
        assert says in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_warm_start_takes_the_weights_with_a_new_optimiser_and_schedule(tmp_path):
    import argparse

    from prdimp.training.__main__ import _warm_start

    cfg, net, opt, sched = _tiny_run()
    trainer.train_step(net, opt, sched, small_sampler().batch(0), cfg, 0)
    ck = str(tmp_path / "ck.pt")
    trainer.save_checkpoint(ck, net, opt, sched, cfg, 9)
    args = argparse.Namespace(warm_start=ck, lr=5e-4, lr_decay_steps=77, classifier_loss="shrinkage",
                              proposals=24, box_test_frames=2)
    net2, cfg2, step = _warm_start(args, "cpu")
    assert step == 9 and cfg2.lr == 5e-4 and cfg2.lr_decay_steps == 77 and cfg2.classifier_loss == "shrinkage"
    assert (cfg2.proposals, cfg2.box_test_frames) == (24, 2) != (cfg.proposals, cfg.box_test_frames)
    assert cfg2.extra["warm_start_from"] == "ck.pt" and cfg2.extra["warm_start_at"] == 9
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), net2.state_dict().values()))
    opt2 = trainer.make_optimizer(net2, cfg2)
    assert max(g["lr"] for g in opt2.param_groups) == 5e-4 and not opt2.state_dict()["state"]

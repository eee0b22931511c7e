"""Network parts: shapes, the torchvision layout, the optimiser's equations, box refinement."""
import math

import pytest
import torch
import torch.nn.functional as F

from prdimp.net.box_regressor import boxes_to_relative, relative_to_boxes
from prdimp.net.classifier import (FilterOptimizer, InstanceL2Norm, apply_filter, apply_filter_transpose,
                               gaussian_label)
from prdimp.net.network import build_net, count_parameters, fold_batchnorm, freeze_batchnorm
from prdimp.convert.official_layout import random_state
from prdimp.net.refine_window import covering_region


@pytest.mark.parametrize("variant,crop,fmap,smap", [("resnet18", 288, 18, 19), ("resnet50", 352, 22, 23),
                                                    ("compact", 288, 18, 19)])
def test_feature_and_score_map_shapes(variant, crop, fmap, smap):
    torch.manual_seed(0)
    net = build_net(variant).eval()
    assert net.cfg.crop_size == crop
    with torch.no_grad():
        l2, l3, clf = net.extract(torch.rand(2, 3, crop, crop))
        assert l2.shape[-2:] == (2 * fmap, 2 * fmap) and l3.shape[-2:] == (fmap, fmap)
        assert l2.shape[1] == net.cfg.bbreg_in_dims[0] and l3.shape[1] == net.cfg.bbreg_in_dims[1]
        box = torch.tensor([[[100.0, 110.0, 60.0, 50.0]], [[90.0, 100.0, 60.0, 50.0]]])  # [N=2, T=1, 4]
        filt = net.classifier.learn_filter(clf.unsqueeze(1), box, None, 2)[-1]
        assert filt.shape == (1, net.cfg.classifier_dim, 4, 4)
        scores = net.classifier.classify(filt, clf[:1].unsqueeze(1))
        assert scores.shape == (1, 1, smap, smap)


def test_compact_backbone_is_a_few_megabytes():
    net = build_net("compact")
    assert count_parameters(net.feature_extractor) * 4 < 4e6
    assert count_parameters(net) * 4 < 30e6


@pytest.mark.parametrize("variant", ["resnet18", "resnet50"])
def test_backbone_matches_torchvision_layout(variant):
    torchvision = pytest.importorskip("torchvision")
    tv = getattr(torchvision.models, variant)().eval()
    torch.manual_seed(1)
    for m in tv.modules():  # non-trivial BN statistics
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.1, 0.1)
            m.running_var.uniform_(0.5, 1.5)
    ours = build_net(variant).feature_extractor.eval()
    state = {k: v for k, v in tv.state_dict().items() if not k.startswith(("layer4", "fc"))}
    ours.load_state_dict(state, strict=True)
    x = torch.randn(1, 3, 128, 128)
    with torch.no_grad():
        ref = tv.layer1(tv.maxpool(tv.relu(tv.bn1(tv.conv1(x)))))
        ref2 = tv.layer2(ref)
        ref3 = tv.layer3(ref2)
        l2, l3 = ours(x)
    torch.testing.assert_close(l2, ref2)
    torch.testing.assert_close(l3, ref3)


def test_instance_l2_norm_sets_rms():
    x = torch.randn(3, 16, 5, 7) * torch.tensor([1.0, 10.0, 0.1]).reshape(3, 1, 1, 1)
    y = InstanceL2Norm(scale=math.sqrt(1 / (16 * 16)))(x)
    rms = y.pow(2).mean(dim=(1, 2, 3)).sqrt()
    torch.testing.assert_close(rms, torch.full((3,), 1 / 16.0), rtol=1e-4, atol=0)


def test_label_is_normalised_gaussian_at_box_centre():
    box = torch.tensor([[136.0, 120.0, 32.0, 48.0]])  # centre (152, 144): cells (9.5 + 0.5, 9.0 + 0.5)
    lab = gaussian_label(box, 19, 19, 16.0, 4, 0.9)[0]
    assert abs(float(lab.sum()) - 1) < 1e-6
    ky, kx = torch.meshgrid(torch.arange(19.0), torch.arange(19.0), indexing="ij")
    assert abs(float((lab * kx).sum()) - 10.0) < 1e-4 and abs(float((lab * ky).sum()) - 9.5) < 1e-4


def _loss(w, feat, label, weights, reg):
    """Weighted cross-entropy over the grid + (reg / 2)|w|^2: the objective the optimiser descends."""
    s = apply_filter(feat, w)
    n, t = s.shape[:2]
    ce = torch.logsumexp(s.reshape(n, t, -1), dim=-1) - (label * s).sum(dim=(-2, -1))
    return (weights * ce).sum() + 0.5 * reg * (w * w).sum()


def _problem(seed=0, n=3, t=2, c=8, h=9):
    g = torch.Generator().manual_seed(seed)
    feat = torch.randn((n, t, c, h, h), generator=g, dtype=torch.float64) * 0.3
    boxes = torch.tensor([[[40.0 + 5 * i, 50.0 - 3 * i, 30.0, 40.0]] * t for i in range(n)], dtype=torch.float64)
    w = torch.randn((t, c, 4, 4), generator=g, dtype=torch.float64) * 0.1
    weights = torch.softmax(torch.randn((n, t), generator=g, dtype=torch.float64), dim=0)
    return feat, boxes, w, weights


def test_transpose_is_the_adjoint_of_the_filter():
    feat, _, w, _ = _problem()
    r = torch.randn(apply_filter(feat, w).shape, dtype=torch.float64)
    lhs = (apply_filter(feat, w) * r).sum()
    rhs = (apply_filter_transpose(feat, r, 4) * w).sum()
    torch.testing.assert_close(lhs, rhs)


def test_optimizer_step_is_gradient_with_newton_step_length():
    feat, boxes, w, weights = _problem()
    opt = FilterOptimizer(4, 16).double()
    with torch.no_grad():
        opt.log_step_length.fill_(math.log(0.7))
    reg = max(0.05 ** 2, float(opt.filter_reg) ** 2)
    label = gaussian_label(boxes, 10, 10, 16.0, 4, 0.9)
    w_req = w.clone().requires_grad_(True)
    loss = _loss(w_req, feat, label, weights.reshape(3, 2, 1, 1).squeeze(-1).squeeze(-1), reg)
    (grad,) = torch.autograd.grad(loss, w_req, create_graph=True)
    # G^T H G of the data term, per target, through double backprop
    hvp = torch.autograd.grad((grad * grad.detach()).sum(), w_req)[0] - reg * grad.detach()
    grad = grad.detach()
    ghg = (hvp * grad).sum(dim=(1, 2, 3))
    gg = (grad * grad).sum(dim=(1, 2, 3))
    alpha = gg / (ghg + (reg + 0.05) * gg)
    expected = w - 0.7 * alpha.reshape(-1, 1, 1, 1) * grad
    with torch.no_grad():
        got = opt(w, feat, boxes, weights, 1)
    torch.testing.assert_close(got[1], expected, rtol=1e-9, atol=1e-12)


def test_optimizer_decreases_the_loss():
    feat, boxes, w, weights = _problem(seed=5)
    opt = FilterOptimizer(4, 16).double()
    label = gaussian_label(boxes, 10, 10, 16.0, 4, 0.9)
    with torch.no_grad():
        iterates = opt(w, feat, boxes, weights, 10)
        losses = [float(_loss(x, feat, label, weights, 0.05 ** 2)) for x in iterates]
    assert len(iterates) == 11
    assert all(b <= a + 1e-12 for a, b in zip(losses, losses[1:])), losses
    assert losses[-1] < losses[0] - 1e-3


def test_relative_box_space_round_trip():
    boxes = torch.tensor([[[10.0, 20.0, 30.0, 40.0], [12.0, 18.0, 25.0, 44.0]]])
    norm = boxes[:, :1, 2:]
    torch.testing.assert_close(relative_to_boxes(boxes_to_relative(boxes, norm), norm), boxes)


def test_box_refinement_increases_log_density():
    net = build_net("compact").eval()
    net.load_state_dict(random_state({k: v.shape for k, v in net.state_dict().items()}, seed=3))
    img = torch.rand(1, 1, 288, 288, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        l2, l3, _ = net.extract(img)
        m3, m4 = net.bb_regressor.modulation(l2, l3, torch.tensor([[120.0, 110.0, 50.0, 60.0]]))
        t3, t4 = net.bb_regressor.test_features(l2, l3)
        start = torch.tensor([[[118.0, 115.0, 55.0, 52.0], [125.0, 105.0, 45.0, 66.0]]])
        before = net.bb_regressor.log_density(m3, m4, t3, t4, start)
    boxes, after = net.bb_regressor.refine(m3, m4, l2, l3, start, 5, torch.tensor(1e-3))
    assert boxes.shape == start.shape and not torch.equal(boxes, start)
    assert bool((after > before).all()), (before, after)


def random_resnet18_regressor(seed, reference_boxes, folded=False):
    """A random PrDiMP-18 in float64 on random crops (one per reference box): (box regressor,
    layer2, layer3, m3, m4)."""
    net = build_net("resnet18").double().eval()
    net.load_state_dict(random_state({k: v.shape for k, v in net.state_dict().items()}, seed=seed))
    if folded:
        net = fold_batchnorm(freeze_batchnorm(net))
    bb = net.bb_regressor
    img = torch.rand(len(reference_boxes), 3, 288, 288, generator=torch.Generator().manual_seed(seed),
                     dtype=torch.float64)
    with torch.no_grad():
        l2, l3, _ = net.extract(img)
        m3, m4 = bb.modulation(l2, l3, torch.tensor(reference_boxes, dtype=torch.float64))
    return bb, l2, l3, m3, m4


@pytest.mark.parametrize("folded,work", [(False, 10 ** 9), (True, 10 ** 9), (False, 0), (True, 0)])
def test_written_out_gradient_and_density_equal_autograd_on_the_whole_maps(folded, work):
    """`box_gradient` against autograd through PrRoIPool and the fully connected blocks, float64:
    boxes inside, across the border, past the corner, thin, and the whole crop; BatchNorm as eval
    BatchNorm2d, or frozen and folded as exported; pooling and the layer mapped once per window
    (much work to come) or applied at every step (none)."""
    bb, l2, l3, m3, m4 = random_resnet18_regressor(7, [[120.0, 110.0, 50.0, 60.0], [60.0, 70.0, 80.0, 30.0]], folded)
    with torch.no_grad():
        t3, t4 = bb.test_features(l2, l3)
        p3, p4 = bb.modulated_planes(m3, m4, t3, t4)
    boxes = torch.tensor([[[118.0, 115.0, 55.0, 52.0], [-30.0, 140.0, 50.0, 50.0], [100.3, 100.0, 3.0, 40.0]],
                          [[270.0, 270.0, 20.0, 20.0], [0.5, 0.5, 287.0, 287.0], [60.0, 71.0, 81.0, 29.5]]],
                         dtype=torch.float64, requires_grad=True)
    expected_density = bb.planes_log_density(p3, t3.shape[1], p4, t4.shape[1], boxes)
    expected = torch.autograd.grad(expected_density.sum(), [boxes])[0]
    boxes = boxes.detach()
    heads = bb.level_heads(boxes)
    whole = torch.full((4,), math.inf, dtype=torch.float64)
    window = bb.test_window(l2, l3, m3, m4, whole, heads, work)
    assert all((len(level[6]) == 0) == (work > 0) for level in window)
    assert expected.abs().min() > 0
    torch.testing.assert_close(bb.window_gradient(window, boxes, heads), expected, rtol=1e-9, atol=1e-12)
    torch.testing.assert_close(bb.window_log_density(window, boxes, heads), expected_density.detach(),
                               rtol=1e-9, atol=1e-12)


def full_map_refine(bb, m3, m4, l2, l3, boxes, steps, step_length):
    """Box refinement on the whole test maps: what the windowed `refine` must reproduce."""
    t3, t4 = bb.test_features(l2, l3)
    size_norm = boxes[:, :1, 2:]
    rel = boxes_to_relative(boxes, size_norm)
    p3, p4 = bb.modulated_planes(m3, m4, t3, t4)
    for _ in range(steps):
        rel = rel.detach().requires_grad_(True)
        density = bb.planes_log_density(p3, t3.shape[1], p4, t4.shape[1], relative_to_boxes(rel, size_norm))
        rel = rel + step_length * torch.autograd.grad(density.sum(), [rel])[0]
    refined = relative_to_boxes(rel.detach(), size_norm)
    with torch.no_grad():
        return refined, bb.planes_log_density(p3, t3.shape[1], p4, t4.shape[1], refined)


@pytest.mark.parametrize("window_cuts", [3, 1])
def test_refinement_that_leaves_its_window_equals_whole_map_refinement(window_cuts, monkeypatch):
    """Two targets, boxes inside, across the border and outside the crop; the random network moves
    some far, out of their windows: new windows are cut around them, or, once `window_cuts`
    windows were cut, the whole maps are used."""
    step_length = 0.05
    bb, l2, l3, m3, m4 = random_resnet18_regressor(5, [[120.0, 110.0, 50.0, 60.0], [250.0, 5.0, 40.0, 30.0]])
    bb.window_cuts = window_cuts
    start = torch.tensor([[[118.0, 115.0, 55.0, 52.0], [125.0, 105.0, 45.0, 66.0], [-30.0, 140.0, 50.0, 50.0]],
                          [[255.0, -8.0, 44.0, 31.0], [270.0, 270.0, 20.0, 20.0], [0.5, 0.5, 287.0, 287.0]]],
                         dtype=torch.float64)
    cut = []
    window = bb.test_window
    monkeypatch.setattr(bb, "test_window", lambda *args: cut.append(args[4]) or window(*args))
    expected, expected_density = full_map_refine(bb, m3, m4, l2, l3, start, 6, torch.tensor(step_length))
    refined, density = bb.refine(m3, m4, l2, l3, start, 6, torch.tensor(step_length))
    assert bool(torch.isfinite(cut[0]).all()) and len(cut) >= 2
    if window_cuts == 1:
        assert len(cut) == 2 and bool(torch.isinf(cut[1]).all())
    torch.testing.assert_close(refined, expected, rtol=1e-9, atol=1e-9)
    torch.testing.assert_close(density, expected_density, rtol=1e-9, atol=1e-9)


def test_refinement_with_the_trackers_ten_boxes_and_steps_maps_its_windows_and_equals_whole_map_refinement():
    """10 boxes x 10 steps (the tracker's setting): both levels' windows are mapped once
    (`box_gradient.level_map`), and the result is still autograd's on the whole maps."""
    bb, l2, l3, m3, m4 = random_resnet18_regressor(8, [[115.0, 115.0, 58.0, 58.0], [120.0, 110.0, 50.0, 66.0]])
    jitter = (torch.rand(2, 10, 4, generator=torch.Generator().manual_seed(9), dtype=torch.float64) - 0.5) * 6
    start = torch.tensor([[115.0, 115.0, 58.0, 58.0], [120.0, 110.0, 50.0, 66.0]], dtype=torch.float64)[:, None] + jitter
    heads = bb.level_heads(start)
    window = bb.test_window(l2, l3, m3, m4, covering_region(start, bb.window_margin, bb.window_pad), heads, 100)
    assert [len(level[6]) for level in window] == [0, 0]  # both mapped
    expected, expected_density = full_map_refine(bb, m3, m4, l2, l3, start, 10, torch.tensor(2.5e-3))
    refined, density = bb.refine(m3, m4, l2, l3, start, 10, torch.tensor(2.5e-3))
    assert (refined - start).abs().max() > 1e-3
    torch.testing.assert_close(refined, expected, rtol=1e-9, atol=1e-9)
    torch.testing.assert_close(density, expected_density, rtol=1e-9, atol=1e-9)


def test_windowed_refinement_of_one_target_uses_a_small_window(monkeypatch):
    bb, l2, l3, m3, m4 = random_resnet18_regressor(6, [[115.0, 115.0, 58.0, 58.0]])
    start = torch.tensor([[[115.0, 115.0, 58.0, 58.0], [113.0, 117.0, 50.0, 66.0]]], dtype=torch.float64)
    region = covering_region(start, bb.window_margin, bb.window_pad)
    level3, level4 = bb.test_window(l2, l3, m3, m4, region, bb.level_heads(start), 20)
    rows3, columns3, rows4, columns4 = level3[4], level3[5], level4[4], level4[5]
    assert (rows3, columns3, rows4, columns4) == (14, 12, 8, 7)  # of 36 and 18
    cut = []
    window = bb.test_window
    monkeypatch.setattr(bb, "test_window", lambda *args: cut.append(args[4]) or window(*args))
    expected, expected_density = full_map_refine(bb, m3, m4, l2, l3, start, 10, torch.tensor(2.5e-3))
    refined, density = bb.refine(m3, m4, l2, l3, start, 10, torch.tensor(2.5e-3))
    assert len(cut) == 1 and (refined - start).abs().max() > 1e-3
    torch.testing.assert_close(refined, expected, rtol=1e-9, atol=1e-9)
    torch.testing.assert_close(density, expected_density, rtol=1e-9, atol=1e-9)

"""The held-out validation's scorer (`prdimp.training.validate`): its one IoU and its centre
error follow the Java evaluation's convention (inclusive corners, `eval/Metrics`), checked on the
cases of `evaluation/.../MetricsTest.java`, and the figures of a hand-made track."""
import numpy as np
import pytest

from prdimp.training.validate import THRESHOLDS, centre_error, iou_inclusive, score_target


def box(*v):
    return np.array(v, dtype=np.float64)


def test_iou_uses_inclusive_corners_as_the_java_metrics():
    a = box(0, 0, 10, 10)
    assert iou_inclusive(box(5, 5, 10, 10), a) == pytest.approx(25.0 / 175, abs=1e-12)
    assert iou_inclusive(box(10, 0, 10, 10), a) == 0.0          # touching: no shared pixel
    assert iou_inclusive(box(9, 0, 10, 10), a) == pytest.approx(10.0 / 190, abs=1e-12)  # one shared column
    assert iou_inclusive(box(0.5, 0.5, 4, 4), box(0, 0, 4, 4)) == pytest.approx(12.25 / (16 + 16 - 12.25), abs=1e-12)
    assert iou_inclusive(a, a) == 1.0
    assert iou_inclusive(box(0, 0, 10, 10), box(0, 0, 10, 20)) == pytest.approx(0.5, abs=1e-12)
    assert iou_inclusive(box(0, 0, 0, 0), box(5, 5, 0, 0)) == 0.0   # empty union


def test_centre_error_uses_inclusive_centres():
    assert centre_error(box(3, 4, 5, 5), box(0, 0, 5, 5)) == pytest.approx(5.0, abs=1e-12)
    # centres xy + (wh - 1) / 2: y 104.5 and 109.5
    assert centre_error(box(100, 100, 10, 10), box(100, 100, 10, 20)) == pytest.approx(5.0, abs=1e-12)


def test_score_target_figures():
    truth = {0: box(0, 0, 10, 10), 1: box(0, 0, 10, 10), 2: box(0, 0, 10, 10), 3: box(100, 100, 10, 20)}
    pred = {0: box(50, 50, 10, 10), 1: box(0, 0, 10, 10), 2: box(5, 5, 10, 10), 3: box(100, 100, 10, 10)}
    s = score_target(pred, truth)   # frame 0 excluded; IoU 1, 25/175, 0.5
    ious = np.array([1.0, 25.0 / 175, 0.5])
    assert s["frames"] == 3
    assert s["mean_iou"] == pytest.approx(ious.mean(), abs=1e-12)
    assert s["auc"] == pytest.approx(np.mean([(ious > t).mean() for t in THRESHOLDS]), abs=1e-12)
    assert s["p20"] == 1.0                       # errors 0, sqrt(50), 5
    assert s["centre_in_half_size"] == pytest.approx(2 / 3)   # sqrt(50) >= 5, 5 < 0.5 sqrt(200)
    lost = score_target({}, truth)
    assert lost["mean_iou"] == 0.0 and lost["p20"] == 0.0 and lost["auc"] == pytest.approx(0.0)

import numpy as np
import pandas as pd
import pytest

from lhkpn_check.features import PEER_FEATURES
from lhkpn_check.scoring import score
from lhkpn_check.settings import Settings


def _officials(n, seed=0, outlier=True):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({f: rng.normal(1.0, 0.1, n) for f in PEER_FEATURES})
    if outlier:
        frame.loc[0, ["f_kas", "f_networth"]] = 6.0
    frame["eselon_used"] = "IV"
    frame["tingkat"] = "provinsi"
    frame["peer_group"] = "IV / provinsi"
    return frame


def test_outlier_scores_top_of_its_group_with_features():
    out = score(_officials(60), Settings())
    assert out["ml_score"].between(0, 1).all()
    assert out["ml_score"].iloc[0] == out["ml_score"].max() >= 0.98
    assert set(out["top_features"].iloc[0].split(";")[:2]) == {"f_kas", "f_networth"}


def test_top_features_are_each_officials_three_largest_ecod_tail_scores_in_order():
    """Against the plain statement: ECOD's per-feature tail scores (its `O`) of the group, largest first
    (ties in feature order), names joined by ';' and labels by ', '."""
    from pyod.models.ecod import ECOD

    from lhkpn_check.scoring import _matrix

    officials = _officials(120, seed=4)
    out = score(officials, Settings())
    o = np.asarray(ECOD().fit(_matrix(officials)).O)[-len(officials):]
    names = list(PEER_FEATURES)
    for i in range(len(officials)):
        top = sorted(range(len(names)), key=lambda j: (-o[i, j], j))[:3]
        assert out["top_features"].iloc[i] == ";".join(names[j] for j in top)
        assert out["top_features_text"].iloc[i] == ", ".join(PEER_FEATURES[names[j]][0] for j in top)


def test_tiny_groups_do_not_crash():
    for n in (1, 2, 5):
        out = score(_officials(n, outlier=False), Settings())
        assert len(out) == n and (out["ml_score"] == 0).all() and not out["peer_fitted"].any()


def test_deterministic_for_the_same_seed():
    a = score(_officials(80, 3), Settings())
    b = score(_officials(80, 3), Settings())
    pd.testing.assert_frame_equal(a, b)


def test_groups_shared_with_a_pool_score_as_in_one_process(monkeypatch):
    """The groups are fitted partly in a spawned worker: every official's score, fitted flag and features
    must be what one process gives, including a group too small to fit and one fitted on a coarser level."""
    from lhkpn_check import pool, scoring

    frames = []
    for i, (eselon, size) in enumerate((("IV", 70), ("III", 50), ("II", 40), ("I", 2))):
        part = _officials(size, seed=i)
        part["eselon_used"], part["peer_group"] = eselon, f"{eselon} / provinsi"
        frames.append(part)
    officials = pd.concat(frames, ignore_index=True)
    officials.loc[officials.index[-2:], "peer_group"] = "kelompok pimpinan"  # trained on its whole family
    one = score(officials, Settings())
    monkeypatch.setattr(scoring, "GROUPS_PER_JOB", 3)  # more tasks than groups: each group a task
    two = score(officials, Settings(), pool=pool.get(2))
    pd.testing.assert_frame_equal(one, two)
    assert two["peer_fitted"].sum() >= 160 and two.loc[officials["eselon_used"] == "III", "peer_fitted"].all()


@pytest.mark.parametrize("n, max_samples, seed", [(300, 256, 1), (2000, 256, 7), (40, 40, 3)])
def test_once_scored_iforest_gives_pyod_iforest_numbers(n, max_samples, seed):
    """Scoring the training rows once gives PyOD's IForest's scores, threshold and labels exactly."""
    from pyod.models.iforest import IForest

    from lhkpn_check.scoring import _iforest_class

    x = np.random.default_rng(seed).lognormal(size=(n, 10))
    x[: n // 10, 3] = x[0, 3]  # ties
    ours = _iforest_class()(n_estimators=50, max_samples=max_samples, random_state=seed).fit(x)
    theirs = IForest(n_estimators=50, max_samples=max_samples, random_state=seed).fit(x)
    np.testing.assert_array_equal(ours.decision_scores_, theirs.decision_scores_)
    assert ours.threshold_ == theirs.threshold_
    np.testing.assert_array_equal(ours.labels_, theirs.labels_)
    np.testing.assert_array_equal(ours.decision_function(x[:20] * 3), theirs.decision_function(x[:20] * 3))


def test_numpy_hbos_matches_pyod_hbos():
    """The numpy HBOS kernel must give PyOD's numbers, on training data and on values outside the bins."""
    from pyod.models.hbos import HBOS

    from lhkpn_check.scoring import _hbos_class

    rng = np.random.default_rng(5)
    train = rng.lognormal(size=(400, 6))
    train[:20, 2] = train[0, 2]  # ties on a bin edge
    outside = np.vstack([train[:50] * 4 - 2, train[:5] - 100])
    for n_bins in (5, 10):
        ours, theirs = _hbos_class()(n_bins=n_bins).fit(train), HBOS(n_bins=n_bins).fit(train)
        np.testing.assert_allclose(ours.decision_scores_, theirs.decision_scores_, rtol=0, atol=1e-12)
        np.testing.assert_allclose(ours.decision_function(outside), theirs.decision_function(outside),
                                   rtol=0, atol=1e-12)


@pytest.mark.parametrize("n, seed", [(3, 0), (500, 1), (4000, 2)])
def test_numpy_ecod_and_copod_match_pyod(n, seed):
    """Training scores, tail matrices, thresholds and scores of new rows are PyOD's exactly, ties and
    zeros (with their negatives, -0.0) included; a matrix with gaps (NaN) is left to PyOD's own ECDF."""
    from pyod.models.copod import COPOD
    from pyod.models.ecod import ECOD

    from lhkpn_check.scoring import _column_ecdf, _ecdf_classes

    rng = np.random.default_rng(seed)
    x = rng.lognormal(size=(n, 8))
    x[: n // 3 + 1, 1] = 0.0
    x[: n // 2 + 1, 4] = x[0, 4]
    x[:, 6] = np.round(x[:, 6])
    fast_ecod, fast_copod = _ecdf_classes()
    for ours, theirs in ((fast_ecod(), ECOD()), (fast_copod(), COPOD())):
        ours.fit(x), theirs.fit(x)
        np.testing.assert_array_equal(ours.decision_scores_, theirs.decision_scores_)
        np.testing.assert_array_equal(ours.O, theirs.O)
        assert ours.threshold_ == theirs.threshold_
        np.testing.assert_array_equal(ours.decision_function(x[:5] * 2), theirs.decision_function(x[:5] * 2))
    from pyod.utils.stat_models import column_ecdf

    x[:3, 0], x[1, 2] = np.nan, np.inf
    np.testing.assert_array_equal(_column_ecdf(x), column_ecdf(x))


def test_fitting_the_detectors_does_not_import_matplotlib():
    """PyOD's ECOD and COPOD modules import matplotlib (a third of PyOD's import, paid by every run and
    worker); fitting scores only the training rows, so a run never needs them."""
    import subprocess
    import sys

    code = ("import sys, numpy as np; from lhkpn_check import scoring; from lhkpn_check.settings import Settings;"
            "scoring.fit_groups([np.random.default_rng(0).normal(size=(50, len(scoring.PEER_FEATURES)))],"
            " Settings()); print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

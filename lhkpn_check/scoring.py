"""Peer scoring with PyOD: how unusual an official's wealth profile is within the peer group.

Four fast, deterministic detectors (ECOD, COPOD, HBOS, IForest with a fixed random_state and capped
max_samples) are fitted per peer group; their training scores (`decision_scores_`) are turned into
ranks within the group and averaged, so no detector's scale dominates. ECOD's per-feature tail scores
(its fitted `O` matrix) name the features behind each score. PyOD is imported here, lazily: its import is
heavy and a run without enough officials never needs it.
"""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pandas as pd

from lhkpn_check.features import PEER_FEATURES, peer_levels

DETECTORS = ("ECOD", "COPOD", "HBOS", "IForest")


def _matrix(frame: pd.DataFrame) -> np.ndarray:
    x = frame[list(PEER_FEATURES)].astype(float).replace([np.inf, -np.inf], np.nan)
    med = x.median()
    x = x.fillna(med).fillna(0.0)
    return x.to_numpy()


def _hbos_outlier_scores(x: np.ndarray, edges: np.ndarray, hist: np.ndarray, n_bins: int, alpha: float,
                         tol: float) -> np.ndarray:
    """PyOD's HBOS kernel (`pyod.models.hbos._calculate_outlier_scores`) as whole-column numpy: the same
    numbers, without the numba compilation that kernel costs in every new process."""
    out = np.empty(x.shape, dtype=float)
    for i in range(x.shape[1]):
        col, e = x[:, i], edges[:, i]
        log_density = np.log2(hist[:, i] + alpha)
        inds = np.digitize(col, e, right=True)
        value = log_density[np.clip(inds - 1, 0, n_bins - 1)]
        far_below = (inds == 0) & ~((e[0] - col) <= (e[1] - e[0]) * tol)
        far_above = (inds == n_bins + 1) & ~((col - e[-1]) <= (e[-1] - e[-2]) * tol)
        out[:, i] = np.where(far_below | far_above, log_density.min(), value)
    return out


def _hbos_class():
    from pyod.models.hbos import HBOS
    from pyod.utils.utility import invert_order
    from sklearn.utils import check_array

    class FastHBOS(HBOS):
        """HBOS with static bins whose scoring kernel runs in numpy (see `_hbos_outlier_scores`)."""

        def fit(self, X, y=None):
            X = check_array(X)
            self._set_n_classes(y)
            n_features = X.shape[1]
            self.hist_ = np.zeros([self.n_bins, n_features])
            self.bin_edges_ = np.zeros([self.n_bins + 1, n_features])
            for i in range(n_features):
                self.hist_[:, i], self.bin_edges_[:, i] = np.histogram(X[:, i], bins=self.n_bins, density=True)
            scores = _hbos_outlier_scores(X, self.bin_edges_, self.hist_, self.n_bins, self.alpha, self.tol)
            self.decision_scores_ = invert_order(np.sum(scores, axis=1))
            self._process_decision_scores()
            return self

        def decision_function(self, X):
            X = check_array(X)
            scores = _hbos_outlier_scores(X, self.bin_edges_, self.hist_, self.n_bins, self.alpha, self.tol)
            return invert_order(np.sum(scores, axis=1))

    return FastHBOS


def _iforest_class():
    from pyod.models.iforest import IForest
    from pyod.utils.utility import invert_order
    from sklearn.ensemble import IsolationForest
    from sklearn.utils import check_array

    class OnceScoredIForest(IForest):
        """PyOD's IForest, with its training rows scored once instead of twice: sklearn's fit scores them
        for `offset_` (a percentile by `contamination`), then PyOD's `decision_function` scores them again
        (a quarter of the peer scoring at national scale). The same numbers: the trees do not
        depend on `contamination`, and `offset_` is the same percentile of the same scores."""

        def fit(self, X, y=None):
            X = check_array(X)
            self._set_n_classes(y)
            self.detector_ = IsolationForest(n_estimators=self.n_estimators, max_samples=self.max_samples,
                                             contamination="auto", max_features=self.max_features,
                                             bootstrap=self.bootstrap, n_jobs=self.n_jobs,
                                             random_state=self.random_state, verbose=self.verbose)
            self.detector_.fit(X=X, y=None, sample_weight=None)
            scores = self.detector_.score_samples(X)
            self.detector_.contamination = self.contamination
            self.detector_.offset_ = np.percentile(scores, 100.0 * self.contamination)
            self.decision_scores_ = invert_order(scores - self.detector_.offset_)
            self._process_decision_scores()
            return self

    return OnceScoredIForest


def _column_ecdf(matrix: np.ndarray) -> np.ndarray:
    """PyOD's `column_ecdf` (each value's share of its column at or below it, from the same `linspace`
    probabilities) with its tie-breaking loop in whole-column numpy: the same numbers, without the numba
    compilation that loop costs in every new process. Only finite matrices; others go to
    PyOD's."""
    from pyod.utils.stat_models import column_ecdf

    if not np.isfinite(matrix).all():
        return column_ecdf(matrix)
    n, m = matrix.shape
    probabilities = np.linspace(np.ones(m) / n, np.ones(m), n)
    order = np.argsort(matrix, axis=0)
    ordered = np.take_along_axis(matrix, order, axis=0)
    # In sorted order, each value takes the probability of the last of its run of equal values.
    last = np.ones(ordered.shape, dtype=bool)
    last[:-1] = ordered[:-1] != ordered[1:]
    run_end = np.where(last, np.arange(n)[:, None], n)
    run_end = np.minimum.accumulate(run_end[::-1], axis=0)[::-1]
    out = np.empty_like(probabilities)
    np.put_along_axis(out, order, np.take_along_axis(probabilities, run_end, axis=0), axis=0)
    return out


def _tails(X: np.ndarray):
    """ECOD's and COPOD's left, right and skew-chosen tail scores of the training matrix."""
    from scipy.stats import skew

    u_l = -1 * np.log(_column_ecdf(X))
    u_r = -1 * np.log(_column_ecdf(-X))
    skewness = np.sign(np.nan_to_num(skew(X, axis=0)))  # PyOD's `copod.skew`
    return u_l, u_r, u_l * -1 * np.sign(skewness - 1) + u_r * np.sign(skewness + 1)


def _ecdf_classes():
    from pyod.models.base import BaseDetector
    from sklearn.utils import check_array

    class TrainedInNumpy(BaseDetector):
        """PyOD's ECOD or COPOD (`_pyod` names it) with its training scores from `_tails`: the same numbers.
        New rows are scored by PyOD's detector itself, imported only then: its module imports matplotlib,
        which a run, scoring only the rows it trains on, never needs. `_combine` is the detector's own way
        of joining the tail scores, as PyOD's `decision_function` joins them."""

        def __init__(self, contamination=0.1, n_jobs=1):
            super().__init__(contamination=contamination)
            self.n_jobs = n_jobs

        def fit(self, X, y=None):
            X = check_array(X)
            self._set_n_classes(y)
            self.U_l, self.U_r, self.U_skew = _tails(X)
            self.O = self._combine(self.U_l, self.U_r, self.U_skew)
            self.decision_scores_ = self.O.sum(axis=1).ravel()
            self.X_train = X
            self._process_decision_scores()
            return self

        def decision_function(self, X):
            return self._pyod()(contamination=self.contamination, n_jobs=self.n_jobs).fit(
                self.X_train).decision_function(X)

    class FastECOD(TrainedInNumpy):
        @staticmethod
        def _pyod():
            from pyod.models.ecod import ECOD

            return ECOD

        @staticmethod
        def _combine(u_l, u_r, u_skew):
            return np.maximum(u_skew, np.maximum(u_l, u_r))

    class FastCOPOD(TrainedInNumpy):
        @staticmethod
        def _pyod():
            from pyod.models.copod import COPOD

            return COPOD

        @staticmethod
        def _combine(u_l, u_r, u_skew):
            return np.maximum(u_skew, np.add(u_l, u_r) / 2)

    return FastECOD, FastCOPOD


def _detectors(n: int, settings):
    ecod, copod = _ecdf_classes()
    seed = int(settings.seed) % (2**32 - 1)
    return [ecod(), copod(), _hbos_class()(n_bins=max(5, min(10, n // 3))),
            _iforest_class()(n_estimators=int(settings.iforest_estimators),
                             max_samples=max(2, min(int(settings.iforest_max_samples), n)), random_state=seed)]


SCORE_INPUT = (*PEER_FEATURES, "eselon_used", "tingkat", "peer_group")
"""The columns of the officials table that `score` reads."""


def warm_up(settings=None) -> None:
    """Import PyOD and fit every detector on a tiny matrix: what a process pays once, before its first group."""
    from lhkpn_check.settings import Settings

    x = np.random.default_rng(0).normal(size=(64, len(PEER_FEATURES)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for det in _detectors(len(x), settings or Settings()):
            det.fit(x)


def _rank01(values: np.ndarray) -> np.ndarray:
    s = pd.Series(values).replace([np.inf, -np.inf], np.nan).fillna(-np.inf)
    return ((s.rank(method="average") - 1) / max(len(s) - 1, 1)).to_numpy()


GROUPS_PER_JOB = 4
"""Tasks per process the peer groups are shared out into (see `start`): enough that this process and the
workers end about together, whichever is slowed."""


def fit_groups(matrices: list[np.ndarray], settings) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """For each group's training matrix: the combined rank score of each row in [0, 1], and the positions
    of ECOD's three largest tail scores per row (None when ECOD gave none). The same numbers in any
    process: the detectors are made anew for each group, IForest with the run's seed."""
    out = []
    n_features = len(PEER_FEATURES)
    for x in matrices:
        ranks, ecod_o = [], None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for det in _detectors(len(x), settings):
                det.fit(x)
                ranks.append(_rank01(det.decision_scores_))
                if ecod_o is None and hasattr(det, "O"):
                    ecod_o = np.asarray(det.O)[-len(x):]
        top = None
        if ecod_o is not None and ecod_o.shape[1] == n_features:
            top = np.argsort(-np.nan_to_num(ecod_o, nan=0.0), axis=1, kind="stable")[:, :3].astype(np.int8)
        out.append((_rank01(np.mean(ranks, axis=0)), top))
    return out


class PeerScores:
    """The peer scoring of a run, begun by `start`: `result()` gives `score`'s table."""

    def __init__(self, officials: pd.DataFrame, settings, lang: str, pool=None):
        from lhkpn_check.pool import Shared

        self.officials, self.lang = officials, lang
        levels = peer_levels(officials["eselon_used"], officials["tingkat"]) if len(officials) else []
        groups = officials["peer_group"].to_numpy()
        min_fit = max(int(settings.peer_min_fit), 3)
        self.groups = []  # (members, training rows, each member's position among them)
        for group in sorted(pd.unique(groups)) if len(officials) else []:
            members = np.flatnonzero(groups == group)
            train = _training_rows(levels, group)
            if len(train) < min_fit:
                continue
            pos = pd.Series(np.arange(len(train)), index=train).reindex(members).to_numpy()
            self.groups.append((members, train, pos))
        matrices = [_matrix(officials.iloc[train]) for _, train, _ in self.groups]
        jobs = 1 if pool is None else getattr(pool, "_max_workers", 1) + 1
        self.parts = _share_out([len(m) for m in matrices], GROUPS_PER_JOB * jobs if pool is not None else 1)
        self.shared = Shared(pool, fit_groups, [([matrices[i] for i in part], settings) for part in self.parts],
                             help_here="pyod" in sys.modules)  # importing it here costs more than waiting

    def result(self) -> pd.DataFrame:
        officials = self.officials
        n_all = len(officials)
        out = pd.DataFrame(index=officials.index)
        scores = np.zeros(n_all)
        fitted = np.zeros(n_all, dtype=bool)
        top = np.full(n_all, "", dtype=object)
        top_text = np.full(n_all, "-", dtype=object)
        names = list(PEER_FEATURES)
        labels = [PEER_FEATURES[n][0 if self.lang == "id" else 1] for n in names]
        for part, fits in zip(self.parts, self.shared.results()):
            for i, (combined, order) in zip(part, fits):
                members, _, pos = self.groups[i]
                scores[members] = combined[pos]
                fitted[members] = True
                if order is not None:
                    # Each distinct top three (of at most 720) joined once, not once per official.
                    which, at = np.unique(order[pos], axis=0, return_inverse=True)
                    at = at.reshape(-1)
                    top[members] = np.array([";".join(names[j] for j in r) for r in which], dtype=object)[at]
                    top_text[members] = np.array([", ".join(labels[j] for j in r) for r in which],
                                                 dtype=object)[at]
        out["ml_score"] = np.round(scores, 6) if n_all else 0.0
        out["peer_fitted"] = fitted if n_all else False
        out["top_features"] = top if n_all else ""
        out["top_features_text"] = top_text if n_all else "-"
        return out


def start(officials: pd.DataFrame, settings, lang: str = "id", pool=None) -> PeerScores:
    """Begin the peer scoring: with a `pool`, the groups' training matrices (small beside the batch) go to
    its workers now, shared out by size, and `result()` fits here the groups no worker has taken yet."""
    return PeerScores(officials, settings, lang, pool)


def score(officials: pd.DataFrame, settings, lang: str = "id", pool=None) -> pd.DataFrame:
    """ml_score in [0, 1] (rank within peer group), peer_fitted, top_features, top_features_text per official."""
    return start(officials, settings, lang, pool).result()


def _training_rows(levels: list[pd.Series], group) -> np.ndarray:
    """The officials a group's detectors are fitted on: everyone with its label at the level it comes from."""
    for labels in levels:
        hit = labels.to_numpy() == group
        if hit.any():
            return np.flatnonzero(hit)
    return np.zeros(0, dtype=np.int64)


def _share_out(sizes: list[int], k: int) -> list[list[int]]:
    """The positions of `sizes` in at most `k` lists of about equal work (training rows): the biggest first,
    each to the lightest list; each list in position order."""
    k = max(1, min(k, len(sizes)))
    parts, load = [[] for _ in range(k)], [0] * k
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = load.index(min(load))
        parts[lightest].append(i)
        load[lightest] += sizes[i]
    return [sorted(p) for p in parts if p]

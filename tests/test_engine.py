import numpy as np
import pandas as pd
import pytest

from lhkpn_check.engine import analyze
from lhkpn_check.model import RANKING_COLUMNS
from lhkpn_check.settings import Settings
from test_rules import declaration, make_batch


@pytest.fixture(scope="module")
def sample():
    from lhkpn_check.sample import generate

    return generate(n_officials=160, years=4, seed=99)


def test_deterministic_and_ranking_columns(sample):
    a = analyze(sample.batch, Settings())
    b = analyze(sample.batch, Settings())
    pd.testing.assert_frame_equal(a.ranking, b.ranking)
    pd.testing.assert_frame_equal(a.findings, b.findings)
    assert list(a.ranking.columns[:len(RANKING_COLUMNS)]) == list(RANKING_COLUMNS)
    assert a.ranking["score"].between(0, 100).all()
    assert a.ranking["rank"].tolist() == list(range(1, len(a.ranking) + 1))
    assert set(a.ranking["tier"]) <= {"tinggi", "sedang", "rendah"}
    assert set(a.ranking["income_source"]) == {"declared"}


def test_analysis_with_a_pool_is_the_analysis_of_one_process(sample, monkeypatch):
    """With a pool, the temuan are matched and the peer groups fitted in spawned workers while the other
    rules run here: the same tables, and the peer-outlier rule still sees the scores."""
    from lhkpn_check import pool, scoring

    assert len(sample.batch.temuan) and sample.batch.temuan["id_pn"].nunique() < sample.batch.n_officials
    monkeypatch.setattr(scoring, "GROUPS_PER_JOB", 8)
    one = analyze(sample.batch, Settings())
    timings: dict[str, float] = {}
    two = analyze(sample.batch, Settings(), timings=timings, pool=pool.get(2))
    assert bool(two.officials["peer_fitted"].any())
    assert "pencilan_sejawat" in set(two.findings["rule"])
    assert bool(two.temuan["matched"].any()) and not bool(two.temuan["matched"].all())
    for name in ("temuan", "officials", "findings", "ranking", "declarations", "luxury"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    assert {"peer", "rules"} <= timings.keys()


def test_temuan_inputs_keep_every_row_match_temuan_reads(sample):
    from lhkpn_check import engine, features, luxury

    settings = Settings()
    decl = features.declarations(sample.batch.laporan, settings)
    harta = engine._with_ids(sample.batch.harta)
    observed = engine._with_ids(sample.batch.temuan)
    cut = luxury.temuan_inputs(observed, harta, decl)
    assert len(cut[1]) < len(harta) and len(cut[2]) < len(decl)
    pd.testing.assert_frame_equal(luxury.match_temuan(*cut, settings),
                                  luxury.match_temuan(observed, harta, decl, settings))
    nothing = observed.iloc[:0]
    pd.testing.assert_frame_equal(luxury.match_temuan(*luxury.temuan_inputs(nothing, harta, decl), settings),
                                  luxury.match_temuan(nothing, harta, decl, settings))


def test_planted_cases_lead_the_ranking(sample):
    a = analyze(sample.batch, Settings())
    key = sample.answer_key.set_index("id_pn")
    planted = a.ranking["id_pn"].map(key["planted"]).fillna(0).to_numpy()
    k = int(planted.sum())
    hits = np.cumsum(planted)
    ap = float(np.sum(planted * hits / np.arange(1, len(planted) + 1)) / k)
    assert ap >= 0.9
    lookalikes = a.ranking["id_pn"].head(k).map(key["kind"]).fillna("").str.startswith("lookalike_").sum()
    assert lookalikes <= 2


def test_rules_of_ranking_are_explained_by_findings(sample):
    a = analyze(sample.batch, Settings())
    top = a.ranking.iloc[0]
    mine = a.findings[a.findings["id_pn"] == top["id_pn"]]
    assert set(top["rules"].split(";")) == set(mine["rule"]) and top["n_findings"] == len(mine)
    for rules, official in zip(a.ranking["rules"], a.ranking["id_pn"]):  # each official's rule ids, once, sorted
        fired = sorted(set(a.findings.loc[a.findings["id_pn"] == official, "rule"]))
        assert rules == ";".join(fired)


def test_one_official_and_estimated_income_still_ranked():
    a = analyze(make_batch([declaration("S", 2023, declared=False, jabatan="BUPATI", eselon=None)]))
    r = a.ranking.iloc[0]
    assert r["rank"] == 1 and r["income_source"] == "estimated" and r["ml_score"] == 0
    assert a.peer_detectors == ()

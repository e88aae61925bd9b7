"""The quality bench's province scenarios: deterministic, read by the tool whole, and their key matches the batch."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

import scenarios  # noqa: E402

from lhkpn_check.settings import load_settings  # noqa: E402
from lhkpn_check.validate import load_batch  # noqa: E402


@pytest.fixture(scope="module")
def pop():
    return scenarios.generate(n_officials=150, years=4, seed=3)


@pytest.fixture(scope="module")
def batches(pop, tmp_path_factory):
    folder = tmp_path_factory.mktemp("scenarios")
    settings = load_settings(None)
    return {form: load_batch(scenarios.write_workbook(pop, form, folder / f"{form}.xlsx"), settings)
            for form in ("declared", "public")}


def test_same_seed_same_batch_and_another_seed_another(pop):
    again = scenarios.generate(n_officials=150, years=4, seed=3)
    for name in ("laporan", "harta", "temuan", "answer_key"):
        pd.testing.assert_frame_equal(getattr(pop, name), getattr(again, name))
    other = scenarios.generate(n_officials=150, years=4, seed=4)
    assert not other.laporan["kas"].equals(pop.laporan["kas"])


@pytest.mark.parametrize("form", ["declared", "public"])
def test_the_tool_reads_every_row_of_both_forms(pop, batches, form):
    counts = batches[form].counts
    assert counts["laporan"].read == len(pop.laporan)
    assert counts["harta"].read == len(pop.harta)
    assert counts["temuan"].read == len(pop.temuan)
    for sheet, c in counts.items():
        assert c.rejected == 0, sheet
        assert c.read == c.accepted, sheet


@pytest.mark.parametrize("form", ["declared", "public"])
def test_typed_money_reads_back_as_written(pop, batches, form):
    """Every money cell, typed as a number or as `Rp 1.250.000.000,00`, `1,25 M`, `750 jt`, reads back as the
    figure written (a `-` typed for nothing reads as not given)."""
    got = batches[form].laporan.set_index(["id_pn", "tahun_lapor"])
    written = scenarios.form_sheets(pop, form)["laporan"].set_index(["id_pn", "tahun_lapor"]).loc[got.index]
    money = [c for c in scenarios.LAPORAN_HEADERS if c in scenarios.MONEY and c in written.columns]
    assert len(money) == (14 if form == "declared" else 8)
    for col in money:
        g, w = got[col].astype(float).to_numpy(), written[col].astype(float).to_numpy()
        assert (np.isnan(w) | (w == 0))[np.isnan(g)].all(), col
        both = ~np.isnan(g) & ~np.isnan(w)  # a total left empty is filled from the items: not compared here
        np.testing.assert_allclose(g[both], w[both], rtol=0, atol=0.5, err_msg=col)
        assert np.isnan(g).mean() < 0.2, col


def test_public_form_has_no_income_or_spending(batches):
    lap = batches["public"].laporan
    for col in scenarios.FLOW_COLUMNS:
        assert col not in lap.columns or lap[col].isna().all(), col
    assert batches["declared"].laporan["penerimaan_pekerjaan"].notna().all()


def test_answer_key_ids_are_the_batch_officials(pop, batches):
    key = pop.answer_key
    assert key["id_pn"].is_unique
    assert set(key["id_pn"]) == set(batches["declared"].laporan["id_pn"].astype(str))
    assert set(key["id_pn"]) == set(pop.laporan["id_pn"])


def test_every_family_is_planted_with_several_members(pop):
    n = pop.answer_key.groupby("family").size()
    for family in scenarios.HIDDEN + scenarios.LOOKALIKE:
        assert n.get(family, 0) >= 2, family
    declared_only = pop.answer_key.loc[pop.answer_key["forms"] == "declared", "family"].unique()
    assert set(declared_only) == scenarios.DECLARED_ONLY


def test_declarations_run_three_years_or_more_to_the_same_last_year(pop):
    years = pop.laporan.groupby("id_pn")["tahun_lapor"].agg(["min", "max", "count"])
    assert (years["count"] >= 3).all() and (years["count"] <= 4).all()
    assert (years["max"] == scenarios.END_YEAR).all()
    assert (years["max"] - years["min"] + 1 == years["count"]).all()


def test_category_totals_are_the_items_sums(pop):
    sums = pop.harta.pivot_table(index=["id_pn", "tahun_lapor"], columns="kategori", values="nilai_pelaporan",
                                 aggfunc="sum", fill_value=0.0)
    lap = pop.laporan.set_index(["id_pn", "tahun_lapor"]).loc[sums.index]
    for col in sums.columns:
        np.testing.assert_allclose(lap[col], sums[col], atol=len(scenarios.HARTA_KATEGORI), err_msg=col)

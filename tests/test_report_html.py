"""The offline HTML report: escaping, safe file names, dossier coverage, languages, no network references."""

import json
import re
from pathlib import Path

import pytest

from lhkpn_check.report import filters
from lhkpn_check.report.html import dossier_stems, write_html
from lhkpn_check.settings import Settings

import report_fixtures as rf

HOSTILE = (rf.XSS_NAME, rf.XSS_UNIT, "<b>x</b>", "<img")


def _render(tmp_path: Path, **kw):
    batch, analysis = rf.build(**{k: kw.pop(k) for k in ("drop_extras", "estimated", "extra_column") if k in kw})
    out = tmp_path / "out"
    paths = write_html(out, batch, analysis, Settings(), manifest=rf.manifest(batch), **kw)
    return out, paths, batch, analysis


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return _render(tmp_path_factory.mktemp("rep"))


def _page(out: Path, analysis, pid, show_ids=False) -> Path:
    return out / "pejabat" / f"{dossier_stems(analysis, show_ids=show_ids)[pid]}.html"


def _pages(out: Path):
    return [out / "index.html", *sorted((out / "pejabat").glob("*.html"))]


def _rows(index_html: str) -> list[dict]:
    """The ranking rows embedded in index.html (columnar JSON) as dicts."""
    blob = json.loads(re.search(r'id="ranking-data">(.*?)</script>', index_html, re.S).group(1))
    return [dict(zip(blob["columns"], values)) for values in blob["rows"]]


def test_markup_never_becomes_a_tag(report):
    out, _, _, analysis = report
    for page in _pages(out):
        text = page.read_text(encoding="utf-8")
        for bad in HOSTILE:
            assert bad not in text, (page.name, bad)
    dossier = _page(out, analysis, rf.officials()['id_pn'][0]).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dossier  # shown, as text
    bukti = _page(out, analysis, '../../x').read_text(encoding="utf-8")
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in bukti


def test_index_embeds_rows_as_inert_json(report):
    out, _, _, analysis = report
    text = (out / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="ranking-data">(.*?)</script>', text, re.S).group(1)
    assert "<" not in block and ">" not in block
    rows = _rows(text)
    assert [r["rank"] for r in rows] == sorted(analysis.ranking["rank"].tolist())
    assert rows[0]["nama"] == rf.XSS_NAME  # intact data, escaped only in transport


def test_no_network_references(report):
    out, _, _, _ = report
    link = re.compile(r'(?:src|href|action|srcset|poster|data)\s*=\s*["\']?\s*(?:https?:)?//', re.I)
    for page in _pages(out):
        text = page.read_text(encoding="utf-8")
        assert not link.search(text), page.name
        assert "@import" not in text and "url(http" not in text
    css = (out / "assets" / "report.css").read_text(encoding="utf-8")
    assert "http" not in css and "@font-face" not in css
    js = (out / "assets" / "report.js").read_text(encoding="utf-8")
    assert not re.search(r"fetch\(|XMLHttpRequest|https?://", js)


def test_bukti_link_is_inert_text(report):
    out, _, _, analysis = report
    first = _page(out, analysis, rf.officials()['id_pn'][0]).read_text(encoding="utf-8")
    assert "https://contoh.example/foto?&lt;b&gt;x&lt;/b&gt;" in first
    assert 'href="https://contoh.example' not in first


def test_every_official_has_a_dossier_inside_the_folder(report):
    out, paths, _, analysis = report
    folder = (out / "pejabat").resolve()
    for pid in analysis.ranking["id_pn"]:
        page = _page(out, analysis, pid)
        assert page.is_file(), pid
        assert page.resolve().parent == folder
    assert not (out.parent / "x.html").exists() and not (out / "x.html").exists()
    assert len(list(folder.iterdir())) == len(analysis.ranking)
    assert all(p.resolve().is_relative_to(out.resolve()) for p in paths)


def test_only_top_n_dossiers_when_limited(tmp_path):
    out, _, _, analysis = _render(tmp_path, dossiers=3)
    expected = {_page(out, analysis, pid).name for pid in analysis.ranking.sort_values("rank")["id_pn"].head(3)}
    assert {p.name for p in (out / "pejabat").iterdir()} == expected
    index = (out / "index.html").read_text(encoding="utf-8")
    rows = _rows(index)
    assert sum(r["href"] is not None for r in rows) == 3
    assert all(r["href"] is None for r in rows if r["rank"] > 3)


def test_links_point_at_written_pages(report):
    out, _, _, _ = report
    index = (out / "index.html").read_text(encoding="utf-8")
    rows = _rows(index)
    for r in rows:
        assert (out / r["href"]).is_file()
    dossier = next((out / "pejabat").glob("*.html")).read_text(encoding="utf-8")
    assert 'href="../index.html#peringkat"' in dossier
    assert 'src="../assets/plotly.min.js"' in dossier


def test_ids_masked_unless_asked(tmp_path):
    out, _, _, analysis = _render(tmp_path / "a")
    full = analysis.ranking["id_pn"].iloc[0]
    index = (out / "index.html").read_text(encoding="utf-8")
    page = _page(out, analysis, full).read_text(encoding="utf-8")
    body = index + page  # links too: masked mode names dossiers by rank, never by id
    assert full not in body
    assert "*" * 14 + full[-4:] in page
    out2, _, _, _ = _render(tmp_path / "b", show_ids=True)
    assert full in re.sub(r'href="[^"]*"', "", (out2 / "index.html").read_text(encoding="utf-8"))


def test_english_report(tmp_path):
    out, _, _, _ = _render(tmp_path, lang="en")
    for page in _pages(out)[:3]:
        text = page.read_text(encoding="utf-8")
        assert '<html lang="en">' in text
        assert "never an accusation" in text
        assert "bukan tuduhan" not in text
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Risk ranking" in index and "Peringkat risiko" not in index


def test_indonesian_is_default(report):
    out, _, _, _ = report
    text = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="id">' in text and "Peringkat risiko" in text and "Risk ranking" not in text


def test_estimated_income_said_prominently(tmp_path):
    out, _, _, _ = _render(tmp_path, estimated=True)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="warning" role="alert"' in index and "DIPERKIRAKAN" in index
    page = next((out / "pejabat").glob("*.html")).read_text(encoding="utf-8")
    assert "DIPERKIRAKAN" in page


def test_missing_extras_degrade_and_extra_columns_ignored(tmp_path):
    drop = ("unit_kerja", "eselon", "peer_group", "top_features", "net_worth", "income_yearly")
    out, _, _, _ = _render(tmp_path, drop_extras=drop, extra_column=True)
    index = (out / "index.html").read_text(encoding="utf-8")
    rows = _rows(index)
    assert rows[0]["unit_kerja"] is None and rows[0]["eselon"] is None
    # net worth falls back to the engine's declarations
    assert rows[0]["net_worth"] is not None


def test_findings_show_figures_and_lines(report):
    out, _, _, analysis = report
    pid = analysis.ranking["id_pn"].iloc[0]
    page = _page(out, analysis, pid).read_text(encoding="utf-8")
    mine = analysis.findings[analysis.findings["id_pn"] == pid]
    assert page.count('<article class="finding') == len(mine)
    assert filters.rupiah(mine["amount"].iloc[0]) in page
    assert page.count('<table class="evidence">') == len(mine)
    assert "Rp 150.000.000" in page  # an evidence line value


NEW_RULE = "aturan_uji_baru"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_registered_rule_renders_without_a_template_of_its_own(tmp_path, monkeypatch, lang):
    """A rule added to the registry needs no new template: a dossier holding a finding of every registered
    rule (a new one registered here included) shows each with its title, figure labels and evidence line,
    and the method page lists the new rule with the thresholds the registry gives it."""
    import html as html_mod

    import pandas as pd

    from lhkpn_check import i18n, rules

    new = rules.Rule(NEW_RULE, "sedang", lambda ctx: rules._empty(), ("luxury_income_ratio",))
    monkeypatch.setattr(rules, "RULES", (*rules.RULES, new))
    for part, words in (("title", ("Aturan <b>uji</b> baru", "New <b>test</b> rule")),
                        ("description", ("Membandingkan uji", "Compares a test"))):
        monkeypatch.setitem(i18n.catalogue(), f"rules.{NEW_RULE}.{part}", dict(zip(("id", "en"), words)))
    batch, analysis = rf.build()
    pid = analysis.ranking["id_pn"].iloc[0]
    base = analysis.findings.iloc[0].to_dict()
    mine = pd.DataFrame([{**base, "id_pn": pid, "rule": r.id, "evidence": json.dumps(
        [{"sheet": "harta", "row": 900 + i, "label": f"BUKTI {r.id}", "value": 1e6}])}
        for i, r in enumerate(rules.RULES)])
    analysis.findings = pd.concat([analysis.findings[analysis.findings["id_pn"] != pid], mine], ignore_index=True)
    out = tmp_path / "out"
    write_html(out, batch, analysis, Settings(), manifest=rf.manifest(batch), lang=lang)

    page = _page(out, analysis, pid).read_text(encoding="utf-8")
    shown = {re.search(r"<code>(\w+)</code>", a).group(1): a
             for a in re.findall(r'<article class="finding.*?</article>', page, re.S)}
    assert set(shown) == {r.id for r in rules.RULES}
    for i, rule in enumerate(rules.RULES):
        article, key = shown[rule.id], f"report.rule.{rule.id}.amount"
        amount_label = i18n.t(key if i18n.has(key) else "report.rule_generic.amount", lang)
        assert f"<h3>{html_mod.escape(i18n.t(f'rules.{rule.id}.title', lang))}</h3>" in article
        assert f"<dt>{html_mod.escape(amount_label)}</dt>" in article
        assert f"<td>{900 + i}</td><td>BUKTI {rule.id}</td>" in article
    assert "<b>" not in page
    index = (out / "index.html").read_text(encoding="utf-8")
    methods = dict(re.findall(r'<article class="rule" id="aturan-(\w+)">(.*?)</article>', index, re.S))
    assert list(methods) == [r.id for r in rules.RULES]
    assert html_mod.escape(i18n.t(f"rules.{NEW_RULE}.title", lang)) in methods[NEW_RULE]
    assert "<code>luxury_income_ratio</code>" in methods[NEW_RULE]


def test_charts_embedded_as_data(report):
    out, _, _, _ = report
    index = (out / "index.html").read_text(encoding="utf-8")
    for chart in ("scores", "units", "wealth"):
        spec = json.loads(re.search(rf'id="chart-{chart}-data">(.*?)</script>', index, re.S).group(1))
        assert spec["data"], chart
    assert (out / "assets" / "plotly.min.js").stat().st_size > 1_000_000


@pytest.mark.parametrize("value,lang,expected", [
    (1_250_000_000, "id", "Rp 1.250.000.000"), (1_250_000_000, "en", "Rp 1,250,000,000"),
    (-5000, "id", "-Rp 5.000"), (float("nan"), "id", "–"), (None, "en", "–")])
def test_rupiah(value, lang, expected):
    assert filters.rupiah(value, lang) == expected


@pytest.mark.parametrize("lang", ["id", "en"])
def test_number_and_compact_columns_are_their_filters_of_each_cell(lang):
    """The index's and dossiers' scores and amounts are formatted a column at a time; each cell must read as
    `number` and `rupiah_compact` write it alone (units, trailing zeros, signs of values that round to 0)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    amount = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.floats(-2.0, 2.0),
                       st.integers(-10**15, 10**15).map(float), st.sampled_from([999_999.5, 9.995e6, -99.95e9, 1e12]),
                       st.floats(-1e13, 1e13))

    @settings(max_examples=120, deadline=None)
    @given(st.lists(amount, max_size=12), st.integers(0, 3))
    def check(values, decimals):
        assert filters.number_column(values, lang, decimals).tolist() == [filters.number(v, lang, decimals)
                                                                           for v in values]
        assert filters.rupiah_compact_column(values, lang).tolist() == [filters.rupiah_compact(v, lang)
                                                                         for v in values]

    check()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rupiah_column_is_rupiah_of_each_cell(lang):
    """Dossier tables format whole columns at once; each cell must read as `rupiah` writes it alone."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    amount = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                       st.floats(-2.0, 2.0), st.integers(-10**15, 10**15).map(float))

    @settings(max_examples=80, deadline=None)
    @given(st.lists(amount, max_size=12))
    def check(values):
        assert filters.rupiah_column(values, lang).tolist() == [filters.rupiah(v, lang) for v in values]

    check()


@pytest.mark.parametrize("value,lang,expected", [
    (1_250_000_000, "id", "Rp 1,25 M"), (750_000_000, "id", "Rp 750 jt"), (1_250_000_000, "en", "Rp 1.25 bn"),
    (2e12, "id", "Rp 2 T")])
def test_compact(value, lang, expected):
    assert filters.rupiah_compact(value, lang) == expected


def test_dates_and_percent():
    import datetime as dt
    assert filters.date(dt.date(2022, 12, 31), "id") == "31 Desember 2022"
    assert filters.date(dt.date(2022, 12, 31), "en") == "31 December 2022"
    assert filters.percent(0.125, "id") == "12,5%" and filters.percent(0.125, "en") == "12.5%"


# -- the whole run: ranking.csv against the dossiers written -------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    from lhkpn_check.sample import generate, write_sample

    folder = tmp_path_factory.mktemp("gen")
    write_sample(generate(n_officials=40, years=3, seed=5), folder / "in", fmt="csv")
    return folder


def _run(folder: Path, name: str, **overrides):
    import pandas as pd

    from lhkpn_check.pipeline import run_batch
    from lhkpn_check.settings import load_settings

    out = folder / name
    run_batch(folder / "in", out, settings=load_settings(None, overrides))
    return out, pd.read_csv(out / "ranking.csv", dtype={"id_pn": str}).sort_values("rank", kind="stable")


def _h1_and_rank(page: Path) -> tuple[str, str]:
    import html as html_mod

    text = page.read_text(encoding="utf-8")
    name = re.search(r"<h1>(.*?)</h1>", text, re.S).group(1)
    rank = re.search(r'<span class="big">#(\d+)</span>', text).group(1)
    return html_mod.unescape(name), rank


def test_every_ranked_official_has_their_dossier(generated):
    out, ranking = _run(generated, "all")
    pages = sorted((out / "pejabat").glob("*.html"))
    assert len(pages) == len(ranking) == ranking["id_pn"].nunique()
    # masked ids: the i-th file is the i-th official of ranking.csv, and says so on the page
    for i, row in enumerate(ranking.itertuples(), start=1):
        name, rank = _h1_and_rank(out / "pejabat" / f"pejabat-{i:06d}.html")
        assert (name, rank) == (row.nama, str(row.rank))


def test_dossier_limit_keeps_the_top_of_the_ranking(generated):
    out, ranking = _run(generated, "top", dossiers=7)
    pages = sorted((out / "pejabat").glob("*.html"))
    assert len(pages) == 7
    shown = {_h1_and_rank(p) for p in pages}
    assert shown == {(r.nama, str(r.rank)) for r in ranking.head(7).itertuples()}
    index = (out / "index.html").read_text(encoding="utf-8")
    rows = _rows(index)
    assert len(rows) == len(ranking)  # the table still lists everyone
    assert [r["rank"] for r in rows if r["href"]] == ranking["rank"].head(7).tolist()
    assert "Dosir ditulis untuk 7 pejabat teratas" in index


def test_no_dossiers_when_limit_is_zero(tmp_path):
    out, _, _, _ = _render(tmp_path, dossiers=0)
    assert not list((out / "pejabat").glob("*.html"))
    assert all(r["href"] is None for r in _rows((out / "index.html").read_text(encoding="utf-8")))


# -- languages: every label from the one catalogue ------------------------------------------------------

def _catalogue_texts(lang: str, other: str) -> set[str]:
    """Catalogue texts of `lang` that differ from `other` and are long enough to be unmistakable."""
    import html as html_mod

    from lhkpn_check import i18n

    out = set()
    for key in i18n.catalogue():
        if not key.startswith(("report.", "rules.")):
            continue
        mine, theirs = i18n.t(key, lang), i18n.t(key, other)
        fixed = re.split(r"\{[a-z_]+\}", mine)  # the parts of a message around its placeholders
        for part in fixed:
            part = part.strip(" .:;,()")
            if len(part) >= 12 and part not in theirs:
                out.add(html_mod.escape(part, quote=True))
    return out


@pytest.mark.parametrize("lang,other", [("en", "id"), ("id", "en")])
def test_pages_speak_one_language(tmp_path, lang, other):
    out, _, _, analysis = _render(tmp_path, lang=lang)
    foreign = _catalogue_texts(other, lang)
    assert len(foreign) > 100  # the check is real: many texts of the other language exist
    pid = analysis.ranking["id_pn"].iloc[0]
    for page in (out / "index.html", _page(out, analysis, pid)):
        text = page.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in text
        left = sorted(s for s in foreign if s in text)
        assert not left, (page.name, left[:5])


def test_visible_text_comes_from_the_catalogue(report):
    """Strip the data and every catalogue text from a page: no word of prose may be left."""
    import html as html_mod

    from lhkpn_check import i18n

    out, _, batch, analysis = report
    from lhkpn_check.settings import SETTINGS

    texts = [i18n.t(k, "id") for k in i18n.catalogue()] + [s.bantuan for s in SETTINGS] + list(filters.BULAN)
    known = sorted({part for text in texts for part in re.split(r"\{[a-z_]+\}", text) if len(part.strip()) > 2},
                   key=len, reverse=True)
    pid = analysis.ranking["id_pn"].iloc[0]
    for page in (out / "index.html", _page(out, analysis, pid)):
        text = page.read_text(encoding="utf-8")
        text = re.sub(r"<script.*?</script>", " ", text, flags=re.S)
        text = re.sub(r"<code>.*?</code>", " ", text, flags=re.S)  # rule ids, setting names, hashes
        text = html_mod.unescape(re.sub(r"<[^>]+>", "\n", text))
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        for phrase in known:
            lines = [ln.replace(phrase, " ") for ln in lines]
        leftover = set()
        for ln in lines:
            for word in re.findall(r"[A-Za-z]{4,}", ln):
                leftover.add(word)
        data_words = set(re.findall(r"[A-Za-z]{4,}", json.dumps(rf.manifest(batch))))
        for frame in (batch.laporan, batch.harta, batch.temuan, batch.quality, analysis.ranking, analysis.findings,
                      analysis.luxury):
            for col in frame.select_dtypes(exclude="number").columns:
                for v in frame[col].dropna().astype(str).unique():
                    data_words.update(re.findall(r"[A-Za-z]{4,}", v))
        assert not sorted(leftover - data_words), page.name


def test_row_keys_in_templates_read_as_plain_jinja_reads_them():
    """The report's Environment looks `row.key` up as a dict key first (faster); what a template sees must
    not change: dict methods still win over keys of the same name, and a missing key is still an error."""
    from jinja2 import Environment, StrictUndefined, UndefinedError

    from lhkpn_check.report.html import environment

    ours = environment()
    plain = Environment(autoescape=True, undefined=StrictUndefined)
    source = ("{{ r.nama }}|{{ r['nama'] }}|{{ r.items is callable }}|{{ r.get('nama') }}|{{ r.kosong is defined }}"
              "|{{ n.real }}|{{ s.upper() }}|{% for k, v in r.items() %}{{ k }}={{ v }};{% endfor %}")
    values = {"r": {"nama": "<Budi>", "items": "kunci bernama items", "get": 1}, "n": 3, "s": "a&b"}
    expected = plain.from_string(source).render(values)
    assert ours.from_string(source).render(values) == expected
    assert "True" in expected and "&lt;Budi&gt;" in expected
    for env in (ours, plain):
        with pytest.raises(UndefinedError):
            env.from_string("{{ r.kosong }}").render(values)


def test_warm_up_compiles_every_template_before_any_page_is_written():
    """The pipeline compiles the templates while harta is parsed, so the report stage and the processes
    it forks find every template (the dossier partials included) already compiled."""
    from lhkpn_check.report import html

    html.environment.cache_clear()
    try:
        env = html.environment("en")
        html.warm_up("en")
        names = set(env.list_templates(filter_func=lambda n: n.endswith(".html")))
        assert {"index.html", "pejabat.html", "partials/finding.html", "partials/chart.html"} <= names
        compiled = {key[1] for key in env.cache}
        assert names <= compiled, names - compiled
    finally:
        html.environment.cache_clear()


def _records_by_to_dict(frame):
    """The plain pandas statement of `records`: object frame, missing and non-finite as None, to_dict."""
    import numpy as np

    obj = frame.astype("object").where(frame.notna(), None)
    for col in frame.columns[frame.dtypes.map(lambda d: d.kind in "fiub")]:
        values = frame[col]
        if values.dtype.kind == "f":
            values = values.where(np.isfinite(values))
        obj[col] = values.astype("object").where(values.notna(), None)
    return obj.to_dict("records")


def test_records_and_index_rows_match_pandas_to_dict():
    """The index table and the page records are built column by column; each value must be what pandas'
    to_dict gives (Python numbers, None for missing and infinite), so the JSON in the page is unchanged."""
    import numpy as np
    import pandas as pd
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from lhkpn_check.report import context as cx

    cell = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12),
                     st.text(max_size=5), st.lists(st.text(max_size=3), max_size=2),
                     st.integers(-100, 100).map(np.int64), st.floats(-1e6, 1e6).map(np.float64))

    @settings(max_examples=60, deadline=None)
    @given(st.integers(0, 6).flatmap(lambda n: st.tuples(
        st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=n, max_size=n),
        st.lists(st.integers(-10**9, 10**9), min_size=n, max_size=n),
        st.lists(st.booleans(), min_size=n, max_size=n),
        st.lists(cell, min_size=n, max_size=n),
        st.lists(st.one_of(st.none(), st.integers(0, 2000)), min_size=n, max_size=n))))
    def check(cols):
        floats, ints, flags, mixed, nullable = cols
        frame = pd.DataFrame({"f": pd.Series(floats, dtype="float64"), "i": pd.Series(ints, dtype="int64"),
                              "b": pd.Series(flags, dtype="bool"), "o": pd.Series(mixed, dtype="object"),
                              "n": pd.Series(nullable, dtype="Int64")})
        expected = _records_by_to_dict(frame) if len(frame) else []
        got = cx.records(frame)
        assert [[(type(v), v) for v in r.values()] for r in got] == \
            [[(type(v), v) for v in r.values()] for r in expected]
        assert [list(r) for r in got] == [list(r) for r in expected]

    check()


def test_dossier_items_show_every_field_of_the_latest_declarations_items():
    """Each dossier lists the items of the official's latest declaration with every shown field taken from
    the sheet (the table reads only the columns it shows, so a column left out would show as blank)."""
    import pandas as pd

    from lhkpn_check.engine import analyze
    from lhkpn_check.report import context as cx
    from lhkpn_check.report.html import labels
    from lhkpn_check.validate import load_batch

    batch = load_batch("samples/sampel.xlsx")
    analysis = analyze(batch)
    ids = pd.Index(analysis.ranking["id_pn"].head(25))
    lap = batch.laporan[batch.laporan["id_pn"].isin(ids)]
    shown = cx._items_display(batch.harta, lap, ids, "id", labels("id"))
    fields = {"uraian": filters.text_column, "atas_nama": filters.text_column,
              "tahun_perolehan": filters.text_column, "row": None,
              "nilai_perolehan": lambda c: filters.rupiah_column(c, "id"),
              "nilai_pelaporan": lambda c: filters.rupiah_column(c, "id"),
              "asal_usul": lambda c: cx._label_column(c, labels("id"), "report.asal_usul."),
              "kategori": lambda c: cx._label_column(c, labels("id"), "report.kategori.")}
    for pid in ids:
        latest = lap.loc[lap["id_pn"] == pid, "tahun_lapor"].max()
        mine = batch.harta[(batch.harta["id_pn"] == pid) & (batch.harta["tahun_lapor"] == latest)]
        got = shown.get(pid, [])
        assert len(got) == len(mine) > 0
        for col, fmt in fields.items():
            expected = filters.text_column(mine["_row"]) if col == "row" else fmt(mine[col])
            assert sorted(str(r[col]) for r in got) == sorted(str(v) for v in expected), col


@pytest.mark.parametrize("lang", ["id", "en"])
def test_labels_put_into_the_templates_render_the_same_pages(tmp_path, lang):
    """A language's Environment has its labels put into the template sources (html.with_labels); every page,
    index and dossiers, must be byte for byte what the templates as written render with `L`."""
    from lhkpn_check.report import html

    batch, analysis = rf.build()
    report = html.HtmlReport(tmp_path, batch, analysis, Settings(), lang=lang, manifest=rf.manifest(batch))
    report.write_index()
    report.prepare_dossiers()
    plain = html.environment(None)
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == plain.get_template("index.html").render(
        html._index_context(batch, report.analysis, report.settings, report.frame, report.rules, lang=lang,
                            manifest=report.manifest, limit=report.limit))
    pages = 0
    for dossier in report._tables.contexts():
        dossier.context["L"] = html.labels(lang)
        ours = html.environment(lang).get_template("pejabat.html").render(dossier.context)
        assert ours == plain.get_template("pejabat.html").render(dossier.context), dossier.path
        pages += 1
    assert pages == report.n_dossiers > 0
    put = html.with_labels(html._templates_dir().joinpath("pejabat.html").read_text(encoding="utf-8"), lang)
    assert 'L["report.col.rank"]' not in put and str(html.labels(lang)["report.col.rank"]) in put


def test_labels_that_are_not_plain_text_stay_lookups(monkeypatch):
    """A label Jinja would read as syntax, or whose edges a neighbouring tag's whitespace control could trim,
    is left as a lookup; a plain one is put in escaped, as `{{ }}` would print it; an unknown key stays a
    lookup (and still fails on rendering)."""
    from markupsafe import Markup, escape

    from lhkpn_check.report import html

    table = {"a": Markup(escape("Harta & <Hutang>")), "b": Markup("{{ x }}"), "c": Markup(" spasi"),
             "d": Markup(""), "e": Markup("baris\nbaru"), "f": Markup("{% if %}")}
    monkeypatch.setattr(html, "labels", lambda lang: table)
    source = '{{ L["a"] }}|{{ L["b"] }}|{{ L["c"] }}|{{ L["d"] }}|{{ L["e"] }}|{{ L["f"] }}|{{ L["zz"] }}|{{L["a"]}}'
    assert html.with_labels(source, "id") == ('Harta &amp; &lt;Hutang&gt;|{{ L["b"] }}|{{ L["c"] }}|{{ L["d"] }}|'
                                             '{{ L["e"] }}|{{ L["f"] }}|{{ L["zz"] }}|Harta &amp; &lt;Hutang&gt;')


@pytest.mark.parametrize("first", [0, 1, 3, 10_000])
def test_dossiers_made_in_runs_are_the_pages_made_at_once(tmp_path, first, monkeypatch):
    """With a pool, the dossier tables are made in runs of officials (the first `first`, then twice as many
    each time: start_dossiers): the pages and their order must be those of the tables made for all at once,
    however the officials split."""
    from lhkpn_check.report import html

    monkeypatch.setattr(html, "DOSSIERS_PER_TASK", 2)
    batch, analysis = rf.build()
    pages = {}
    for name, split in (("whole", None), ("split", first)):
        out = tmp_path / name
        report = html.HtmlReport(out, batch, analysis, Settings(), lang="id", manifest=rf.manifest(batch))
        tasks = list(report._dossier_tasks(split or 0))
        assert all(0 < len(t[1].rows) <= 2 for t in tasks)
        for _, part in tasks:
            html.write_dossier_pages(out, part)
        order = [row["href"] for _, part in tasks for row in part.rows]
        pages[name] = order, {p.name: p.read_bytes() for p in (out / "pejabat").glob("*.html")}
    assert len(pages["whole"][1]) > 3
    assert pages["split"] == pages["whole"]


def test_dossier_runs_cover_every_official_once_growing():
    from lhkpn_check.report import html

    for first, n in ((1, 1), (1, 10), (3, 40), (500, 5000), (500, 499)):
        runs = list(html._runs(first, n))
        assert [lo for lo, _ in runs] == [0, *(hi for _, hi in runs[:-1])] and runs[-1][1] == n
        sizes = [hi - lo for lo, hi in runs]
        assert sizes[0] == min(first, n) and all(b == 2 * a for a, b in zip(sizes, sizes[1:-1]))

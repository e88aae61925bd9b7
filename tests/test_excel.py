"""hasil.xlsx: sheets, formats, filters, masked ids and the formula-injection guard."""

import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lhkpn_check.report.excel import RUPIAH_FORMAT, write_workbook
from lhkpn_check.settings import Settings

import report_fixtures as rf

FORMULAS = ("=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x","y")')


def _write(path: Path, lang="id", show_ids=False, hostile=True):
    batch, analysis = rf.build()
    if hostile:
        # formula-like text in every text column a user controls
        for i, f in enumerate(FORMULAS):
            analysis.ranking.loc[i % len(analysis.ranking), ["jabatan", "unit_kerja", "peer_group"]] = f
        analysis.findings.loc[0, "message"] = "=cmd|' /C calc'!A0"
        batch.quality.loc[0, "value"] = "@SUM(1)"
        batch.quality.loc[1, "value"] = "-5"
    write_workbook(path, batch, analysis, Settings(), lang=lang, manifest=rf.manifest(batch), show_ids=show_ids)
    return batch, analysis


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    path = tmp_path_factory.mktemp("xl") / "hasil.xlsx"
    batch, analysis = _write(path)
    return openpyxl.load_workbook(path), batch, analysis


def test_sheets_in_order(workbook):
    wb, _, _ = workbook
    assert wb.sheetnames == ["Ringkasan", "Peringkat", "Temuan", "Kualitas Data"]


def test_no_cell_is_a_formula(workbook):
    wb, _, _ = workbook
    seen_guarded = 0
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] == "'":
                    seen_guarded += 1
                    assert cell.value[1:2] in "=+-@\t\r\n"  # XML turns CR into LF
    assert seen_guarded >= len(FORMULAS) + 2


def test_formula_text_kept_readable(workbook):
    wb, _, _ = workbook
    values = {c.value for row in wb["Peringkat"].iter_rows() for c in row}
    assert "'=1+1" in values and "'-2+3" in values
    quality = {c.value for row in wb["Kualitas Data"].iter_rows() for c in row}
    assert "'@SUM(1)" in quality and "'-5" in quality


def test_header_frozen_filtered_and_styled(workbook):
    wb, _, analysis = workbook
    for name in ("Peringkat", "Temuan"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref.startswith("A1:")
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width >= 8
    quality = wb["Kualitas Data"]
    header = int(quality.auto_filter.ref.split(":")[0][1:])
    assert quality["A1"].font.bold and quality[f"A{header}"].font.bold and header > 4
    assert quality.column_dimensions["A"].width >= 8
    ws = wb["Peringkat"]
    assert ws.max_row == len(analysis.ranking) + 1
    headers = [c.value for c in ws[1]]
    col = headers.index("Harta bersih") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.number_format == RUPIAH_FORMAT and isinstance(cell.value, (int, float))


def test_ids_masked_by_default(workbook, tmp_path):
    wb, _, analysis = workbook
    full = set(analysis.ranking["id_pn"])
    texts = {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert not (full & texts)
    assert "*" * 14 + "0000" in texts
    path = tmp_path / "full.xlsx"
    _write(path, show_ids=True)
    wb2 = openpyxl.load_workbook(path)
    texts2 = {c.value for row in wb2["Peringkat"].iter_rows() for c in row if isinstance(c.value, str)}
    assert "197001011990030000" in texts2


def test_english_sheet_names(tmp_path):
    path = tmp_path / "en.xlsx"
    _write(path, lang="en", hostile=False)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "Ranking", "Findings", "Data Quality"]
    assert wb["Ranking"]["A1"].value == "Rank"


def test_same_input_same_bytes(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _write(a)
    _write(b)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_control_characters_and_huge_cells(tmp_path):
    batch, analysis = rf.build()
    analysis.ranking.loc[0, "nama"] = "a\x00b\x07c"
    analysis.ranking.loc[1, "jabatan"] = "x" * 100_000
    path = tmp_path / "odd.xlsx"
    write_workbook(path, batch, analysis, Settings(), manifest=rf.manifest(batch))
    ws = openpyxl.load_workbook(path)["Peringkat"]
    names = [c.value for c in ws["E"]]
    assert "abc" in names
    assert max(len(str(c.value or "")) for c in ws["F"]) == 32_767


def test_empty_findings_and_quality(tmp_path):
    batch, analysis = rf.build()
    analysis.findings = analysis.findings.iloc[0:0]
    batch.quality = batch.quality.iloc[0:0]
    path = tmp_path / "empty.xlsx"
    write_workbook(path, batch, analysis, Settings(), manifest={})
    wb = openpyxl.load_workbook(path)
    assert wb["Temuan"].max_row == 1 and wb["Kualitas Data"].max_row == 1


HOSTILE = ["=1+1", "@SUM(A1)", "<b>&amp;</b>", "a\x00b\x1fc", "x" * 100_000, "=" * 40_000, " lead", "trail ",
           "two\nlines", "cr\rhere", "-5", None, "ok", "\ufffe\ud800z", "]]>", "plain"]


def _hostile_analysis():
    batch, analysis = rf.build()
    ranking = pd.concat([analysis.ranking] * len(HOSTILE), ignore_index=True).iloc[:len(HOSTILE)].copy()
    ranking["nama"] = pd.Series(HOSTILE, dtype="object")
    n = len(ranking)
    money = [-1.5e9, 1e15, 0.0, float("nan"), 123456789.25, float("inf")] * n
    ranking["net_worth"] = money[:n]
    ranking["income_yearly"] = ([-(10 ** 15), 7, None, 2.5, 0, 1] * n)[:n]
    ranking["rank"] = range(1, n + 1)
    analysis.ranking = ranking
    return batch, analysis


def _expected_text(value):
    """What the sheet must show for a source text: XML-forbidden characters dropped, formula-like text
    prefixed with ', cut at Excel's 32,767 characters."""
    if value is None:
        return None
    text = "".join(ch for ch in value if not (ord(ch) < 32 and ch not in "\t\n\r")
                   and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text[:32_767] or None


def test_cells_round_trip_hostile_text_and_numbers(tmp_path):
    batch, analysis = _hostile_analysis()
    path = tmp_path / "hostile.xlsx"
    write_workbook(path, batch, analysis, Settings(), manifest={})
    ws = openpyxl.load_workbook(path)["Peringkat"]
    headers = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(analysis.ranking)
    names = [r[headers.index("Nama")] for r in rows]
    assert names == [_expected_text(v) for v in HOSTILE]
    for ws_cell in ws["E"][1:]:
        assert ws_cell.data_type in ("s", "n")  # text or empty, never a formula
    worth = [r[headers.index("Harta bersih")] for r in rows]
    for got, want in zip(worth, analysis.ranking["net_worth"]):
        if pd.isna(want) or want in (float("inf"), float("-inf")):
            assert got is None
        else:
            assert isinstance(got, (int, float)) and got == want
    income = [r[headers.index(ws["N1"].value)] for r in rows]
    for got, want in zip(income, analysis.ranking["income_yearly"]):
        assert (got is None) if pd.isna(want) else got == want
    ranks = [r[0] for r in rows]
    assert ranks == list(range(1, len(rows) + 1)) and all(isinstance(r, int) for r in ranks)
    assert ws.cell(row=3, column=headers.index("Harta bersih") + 1).number_format == RUPIAH_FORMAT


def test_spaces_at_either_end_are_marked_preserved(tmp_path):
    """Excel drops spaces at the ends of a text unless its <t> says xml:space="preserve"; openpyxl keeps
    them either way, so the sheet's XML itself is checked."""
    import zipfile

    batch, analysis = _hostile_analysis()
    path = tmp_path / "spaces.xlsx"
    write_workbook(path, batch, analysis, Settings(), manifest={})
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet2.xml").decode("utf-8")
    assert '<t xml:space="preserve"> lead</t>' in xml and '<t xml:space="preserve">trail </t>' in xml
    assert "<t>plain</t>" in xml and '<t xml:space="preserve">plain</t>' not in xml


def test_hostile_workbook_same_bytes_twice(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        batch, analysis = _hostile_analysis()
        write_workbook(path, batch, analysis, Settings(), manifest={})
    assert a.read_bytes() == b.read_bytes()


def test_big_table_spans_several_chunks(tmp_path, monkeypatch):
    from lhkpn_check.report import excel

    monkeypatch.setattr(excel, "ROWS_PER_CHUNK", 3)
    batch, analysis = rf.build()
    path = tmp_path / "chunks.xlsx"
    write_workbook(path, batch, analysis, Settings(), manifest={})
    wb = openpyxl.load_workbook(path)
    ws = wb["Peringkat"]
    assert ws.max_row == len(analysis.ranking) + 1
    got = [c.value for c in ws["A"][1:]]
    assert got == sorted(analysis.ranking["rank"].tolist())
    temuan = wb["Temuan"]
    assert temuan.max_row == len(analysis.findings) + 1
    assert [c.value for c in temuan["D"][1:]] == analysis.findings["rule"].tolist()
    quality = wb["Kualitas Data"]
    header = int(quality.auto_filter.ref.split(":")[0][1:])
    assert quality.max_row == header + len(batch.quality)
    assert quality.auto_filter.ref == f"A{header}:H{header + len(batch.quality)}"
    assert [c.value for c in quality["C"][header:]] == batch.quality["row"].tolist()
    assert ws.auto_filter.ref == f"A1:Q{len(analysis.ranking) + 1}"


def test_quality_sheet_counts_every_problem_and_lists_rows_up_to_the_cap(tmp_path):
    """Kualitas Data counts the problems of each kind over all rows, then lists the first
    `quality_rows_in_workbook` rows, and says that data_quality.csv holds them all."""
    batch, analysis = rf.build()
    quality = pd.concat([batch.quality] * 7, ignore_index=True)
    batch.quality = quality
    cap = len(quality) // 3
    path = tmp_path / "q.xlsx"
    write_workbook(path, batch, analysis, Settings({"quality_rows_in_workbook": cap}), manifest={})
    ws = openpyxl.load_workbook(path)["Kualitas Data"]
    header = int(ws.auto_filter.ref.split(":")[0][1:])
    counts = {r[0].value: r[2].value for r in ws.iter_rows(min_row=4, max_row=header - 2)}
    assert counts == quality["kind"].value_counts().to_dict()
    assert ws.max_row == header + cap
    assert [c.value for c in ws["C"][header:]] == quality["row"].head(cap).tolist()
    assert "data_quality.csv" in ws["A2"].value and f"{cap:,}".replace(",", ".") in ws["A2"].value
    write_workbook(path, batch, analysis, Settings(), manifest={})
    ws = openpyxl.load_workbook(path)["Kualitas Data"]
    assert ws.max_row == int(ws.auto_filter.ref.split(":")[0][1:]) + len(quality)


def test_quality_summary_is_the_plain_pandas_count_and_first_action_per_kind(tmp_path):
    """The summary of Kualitas Data, worked out over runs of kinds, is value_counts and groupby.first of
    the plain statement: kinds interleaved, a missing kind read as 'lainnya' (one with a written 'lainnya'),
    a kind whose first rows have no action."""
    batch, analysis = rf.build()
    kinds = ["b", "b", None, "a", "b", "lainnya", "a", "a", "c", "c"]
    actions = [None, "x", "y", None, "z", "w", None, "v", None, None]
    batch.quality = pd.DataFrame({"source": "f.csv", "sheet": "laporan", "row": range(2, 12), "column": "kas",
                                  "value": "1", "problem": "p", "action": actions, "kind": kinds})
    path = tmp_path / "q.xlsx"
    write_workbook(path, batch, analysis, Settings(), manifest={})
    ws = openpyxl.load_workbook(path)["Kualitas Data"]
    header = int(ws.auto_filter.ref.split(":")[0][1:])
    got = [(r[0].value, r[2].value, r[3].value) for r in ws.iter_rows(min_row=4, max_row=header - 2)]
    kind = batch.quality["kind"].fillna("lainnya")
    first = batch.quality["action"].groupby(kind).first().astype(object)
    first = first.where(first.notna(), None)
    expected = sorted(((k, n, first.get(k)) for k, n in kind.value_counts().items()), key=lambda e: (-e[1], e[0]))
    assert got == expected

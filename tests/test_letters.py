"""Klarifikasi letters (`lhkpn-check surat`, SPEC §4): one .docx per official from a run's outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from docx import Document

from lhkpn_check.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def text_of(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("surat")
    assert invoke("sample", root / "in", "--officials", 60, "--years", 3, "--seed", 5, "--format", "csv").exit_code == 0
    out = root / "hasil"
    result = invoke("run", root / "in", "--out", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("conf") / "config.toml"
    path.write_text('[surat]\nnomor = "700/{urut}/ITDA/2025"\npenandatangan = "Dra. Siti Contoh, M.Si."\n'
                    'tanggal = "3 Februari 2025"\n', encoding="utf-8")
    return path


def frames(run_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    read = lambda name: pd.read_csv(run_dir / name, dtype=str, keep_default_na=False)  # noqa: E731
    return read("ranking.csv"), read("findings.csv")


def test_one_letter_per_official_of_the_tier_with_each_finding_and_its_lines(run_dir, config, tmp_path):
    out = tmp_path / "surat"
    result = invoke("surat", run_dir, "--out", out, "--tier", "tinggi", "--config", config)
    assert result.exit_code == 0, result.output
    ranking, findings = frames(run_dir)
    evidence = pd.read_csv(run_dir / "evidence.csv", dtype=str, keep_default_na=False)
    chosen = ranking[(ranking["tier"] == "tinggi") & ranking["id_pn"].isin(findings["id_pn"])]
    chosen = chosen.assign(rank=chosen["rank"].astype(int)).sort_values("rank")
    letters = sorted(out.glob("surat-*.docx"))
    assert [p.name for p in letters] == [f"surat-peringkat-{r:06d}.docx" for r in chosen["rank"]]
    assert len(letters) >= 3
    for number, (letter, (_, official)) in enumerate(zip(letters, chosen.iterrows()), start=1):
        text = text_of(letter)
        assert official["nama"] in text and official["jabatan"] in text
        assert official["id_pn"] not in text and official["id_pn"][-4:] in text  # masked
        assert f"Nomor\t: 700/{number}/ITDA/2025" in text
        assert "Dra. Siti Contoh, M.Si." in text and "3 Februari 2025" in text
        own = findings["id_pn"] == official["id_pn"]
        for message in findings.loc[own, "message"]:
            assert message in text  # the finding in plain words with its figures
        for lines in evidence.loc[own, "evidence"]:
            for entry in json.loads(lines):
                assert f"{entry['sheet']} baris {entry['row']}: {entry['label']}" in text
        assert "tuduhan" not in text.lower() or "bukan tuduhan" in text.lower()
    listing = pd.read_csv(out / "daftar_surat.csv", dtype=str)
    assert listing["berkas"].tolist() == [p.name for p in letters]
    assert (out / "templat_surat.docx").is_file()


def test_documents_to_bring_follow_the_rules(run_dir, tmp_path):
    ranking, findings = frames(run_dir)
    pid = findings.loc[findings["rule"] == "hibah_tanpa_akta", "id_pn"].iloc[0]
    out = tmp_path / "surat"
    assert invoke("surat", run_dir, "--out", out, "--ids", pid).exit_code == 0
    (letter,) = out.glob("surat-*.docx")
    assert "akta hibah" in text_of(letter)


def test_a_custom_template_is_used(run_dir, tmp_path):
    template = tmp_path / "kop.docx"
    doc = Document()
    doc.add_paragraph("PEMERINTAH KOTA CONTOH — INSPEKTORAT DAERAH")
    doc.add_paragraph("Kepada Yth. {{ nama }}, {{ jabatan }}")
    doc.add_paragraph("{%p for f in temuan %}")
    doc.add_paragraph("({{ f.no }}) {{ f.uraian }}")
    doc.add_paragraph("{%p endfor %}")
    doc.save(template)
    ranking, findings = frames(run_dir)
    pid = ranking.loc[ranking["id_pn"].isin(findings["id_pn"]), "id_pn"].iloc[0]
    out = tmp_path / "surat"
    result = invoke("surat", run_dir, "--out", out, "--ids", pid, "--template", template, "--show-ids")
    assert result.exit_code == 0, result.output
    (letter,) = out.glob("surat-*.docx")
    assert letter.name == f"surat-{pid}.docx"
    text = text_of(letter)
    assert text.startswith("PEMERINTAH KOTA CONTOH — INSPEKTORAT DAERAH")
    assert "Dalam rangka pemantauan" not in text  # not the default's wording
    assert f"(1) {findings.loc[findings['id_pn'] == pid, 'message'].iloc[0]}" in text
    assert (out / "templat_surat.docx").read_bytes() == template.read_bytes()


def test_bad_templates_ids_and_folders_end_in_exit_2(run_dir, tmp_path):
    not_docx = tmp_path / "bukan.docx"
    not_docx.write_text("teks biasa", encoding="utf-8")
    broken = tmp_path / "rusak.docx"
    doc = Document()
    doc.add_paragraph("{{ nama ")
    doc.add_paragraph("{%p for f in temuan %}")
    doc.save(broken)
    for args, name in (((run_dir, "--template", not_docx), "bukan.docx"), ((run_dir, "--template", broken), "rusak.docx"),
                       ((run_dir, "--template", tmp_path / "tidak-ada.docx"), "tidak-ada.docx"),
                       ((run_dir, "--ids", "123"), "ranking.csv"), ((tmp_path, ), "ranking.csv")):
        out = tmp_path / f"out-{name}"
        result = invoke("surat", *args, "--out", out)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and name in result.output
        assert not out.exists() or not any(out.iterdir())


def test_explained_findings_are_not_asked_again(run_dir, tmp_path):
    """A run with a register: a `sudah dijelaskan` finding is left out of the letter."""
    copy = tmp_path / "run"
    copy.mkdir()
    for name in ("ranking.csv", "findings.csv", "evidence.csv"):
        (copy / name).write_bytes((run_dir / name).read_bytes())
    ranking, findings = frames(run_dir)
    pid = findings["id_pn"].value_counts().index[0]
    own = findings["id_pn"] == pid
    first = findings.index[own][0]
    findings["status_temuan"] = "berulang"
    findings.loc[first, "status_temuan"] = "sudah dijelaskan"
    findings.to_csv(copy / "findings.csv", index=False)
    out = tmp_path / "surat"
    assert invoke("surat", copy, "--out", out, "--ids", pid).exit_code == 0
    (letter,) = out.glob("surat-*.docx")
    text = text_of(letter)
    assert findings.loc[first, "message"] not in text
    assert all(m in text for m in findings.loc[own & (findings.index != first), "message"])

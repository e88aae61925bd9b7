"""The command line end to end: commands documented, exit codes, outputs as the spec names them."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lhkpn_check.cli import main
from lhkpn_check.model import FINDING_COLUMNS, RANKING_COLUMNS
from lhkpn_check.schema import QUALITY_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REAL = ROOT.parent / "shared" / "data" / "real"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sampel")
    result = invoke("sample", folder, "--officials", 80, "--years", 3, "--seed", 5)
    assert result.exit_code == 0, result.output
    return folder / "sampel.xlsx"


@pytest.fixture(scope="module")
def sample_run(small_sample, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "hasil"
    result = invoke("run", small_sample, "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_every_command_has_help_and_is_in_readme():
    for name, command in main.commands.items():
        assert command.help, name
        assert f"lhkpn-check {name}" in README, f"README does not show `lhkpn-check {name}`"
        result = invoke(name, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_every_rule_id_is_documented_and_listed():
    from lhkpn_check.rules import RULES

    listed = invoke("rules")
    assert listed.exit_code == 0, listed.output
    for rule in RULES:
        assert f"`{rule.id}`" in README, f"rule {rule.id} missing from README"
        assert rule.id in listed.output


def test_config_file_changes_the_threshold_in_force(tmp_path):
    from lhkpn_check.settings import SETTINGS

    numeric = next(s for s in SETTINGS if s.group not in ("run", "umum") and isinstance(s.default, float))
    config = tmp_path / "ambang.toml"
    config.write_text(f"{numeric.name} = 123.5\n", encoding="utf-8")
    default_out = invoke("rules").output
    changed_out = invoke("rules", "--config", config).output
    assert default_out != changed_out
    assert "123" in changed_out


def test_unknown_config_key_is_exit_2_naming_the_key(tmp_path):
    config = tmp_path / "salah.toml"
    config.write_text("ambang_tidak_ada = 3\n", encoding="utf-8")
    result = invoke("rules", "--config", config)
    assert result.exit_code == 2
    assert "ambang_tidak_ada" in result.output and "Traceback" not in result.output


def test_run_writes_every_output_with_spec_columns(sample_run):
    for name in ("index.html", "hasil.xlsx", "ranking.csv", "findings.csv", "data_quality.csv", "manifest.json"):
        assert (sample_run / name).is_file(), name
    assert header(sample_run / "ranking.csv") == list(RANKING_COLUMNS)
    assert header(sample_run / "findings.csv") == list(FINDING_COLUMNS)
    assert header(sample_run / "data_quality.csv") == list(QUALITY_COLUMNS)
    manifest = json.loads((sample_run / "manifest.json").read_text(encoding="utf-8"))
    for sheet, count in manifest["rows"].items():
        assert count["read"] == count["accepted"] + count["rejected"], sheet
    assert all(re.fullmatch(r"[0-9a-f]{64}", f["sha256"]) for f in manifest["inputs"])


def test_manifest_times_every_stage_including_the_engine(sample_run):
    from lhkpn_check.engine import STAGES as ENGINE_STAGES
    from lhkpn_check.pipeline import STAGES

    timings = json.loads((sample_run / "manifest.json").read_text(encoding="utf-8"))["timings_seconds"]
    assert {"read", "validate", *ENGINE_STAGES, "csv", "html", "excel"} <= set(timings) <= set(STAGES)
    assert all(isinstance(v, float) and v >= 0 for v in timings.values())


def test_every_ranked_official_has_a_dossier(sample_run):
    with (sample_run / "ranking.csv").open(encoding="utf-8") as fh:
        n = sum(1 for _ in csv.DictReader(fh))
    assert len(list((sample_run / "pejabat").glob("*.html"))) == n


def test_same_input_and_seed_gives_identical_csvs(small_sample, sample_run, tmp_path):
    again = tmp_path / "lagi"
    assert invoke("run", small_sample, "--out", again).exit_code == 0
    for name in ("ranking.csv", "findings.csv", "data_quality.csv"):
        assert (again / name).read_bytes() == (sample_run / name).read_bytes(), name


def test_non_empty_out_is_refused_without_force(small_sample, tmp_path):
    out = tmp_path / "ada"
    out.mkdir()
    (out / "catatan.txt").write_text("milik auditor", encoding="utf-8")
    refused = invoke("run", small_sample, "--out", out)
    assert refused.exit_code == 2 and "--force" in refused.output
    assert (out / "catatan.txt").read_text(encoding="utf-8") == "milik auditor"
    replaced = invoke("run", small_sample, "--out", out, "--force")
    assert replaced.exit_code == 0, replaced.output
    assert not (out / "catatan.txt").exists() and (out / "index.html").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_missing_input_is_exit_2_naming_the_file(tmp_path):
    result = invoke("validate", tmp_path / "tidak-ada.xlsx")
    assert result.exit_code == 2
    assert "tidak-ada.xlsx" in result.output and "Traceback" not in result.output


def test_program_keeps_its_exit_code_and_printed_lines(small_sample, tmp_path):
    """The program as a user starts it (`python -m lhkpn_check`): what it printed reaches a pipe, and its
    exit code is the command's."""
    def program(*args):
        return subprocess.run([sys.executable, "-m", "lhkpn_check", *map(str, args)], capture_output=True,
                              text=True, timeout=300, env=dict(os.environ, PYTHONIOENCODING="utf-8"))

    done = program("run", small_sample, "--out", tmp_path / "hasil")
    assert done.returncode == 0, done.stderr
    assert str(tmp_path / "hasil") in done.stdout and "80 pejabat" in done.stdout
    assert json.loads((tmp_path / "hasil" / "manifest.json").read_text(encoding="utf-8"))["rows"]
    refused = program("run", tmp_path / "tidak-ada.xlsx", "--out", tmp_path / "lain")
    assert refused.returncode == 2 and refused.stderr.startswith("Galat:") and "tidak-ada.xlsx" in refused.stderr
    usage = program("run")
    assert usage.returncode == 2 and "INPUT" in usage.stderr


def test_terminal_output_has_counts_not_names(small_sample, tmp_path):
    result = invoke("validate", small_sample)
    assert result.exit_code == 0, result.output
    assert "Pejabat Sampel" not in result.output
    assert not re.search(r"\d{18}", result.output)


@pytest.mark.skipif(not (REAL / "wonogiri_eannouncement.xlsx").exists(), reason="shared real data not present")
def test_real_wonogiri_runs_end_to_end_with_estimated_income(tmp_path):
    out = tmp_path / "wonogiri"
    result = invoke("run", REAL / "wonogiri_eannouncement.xlsx", "--out", out)
    assert result.exit_code == 0, result.output
    with (out / "ranking.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 48
    assert {r["income_source"] for r in rows} == {"estimated"}
    assert sorted(int(r["rank"]) for r in rows) == list(range(1, 49))
    top = rows[0]
    with (out / "findings.csv").open(encoding="utf-8") as fh:
        findings = [f for f in csv.DictReader(fh) if f["id_pn"] == top["id_pn"]]
    assert top["rules"] and findings, "the top of the ranking must be explained by findings"
    assert {f["rule"] for f in findings} == set(top["rules"].split(";"))


def test_progress_bar_only_on_a_terminal(small_sample, tmp_path, monkeypatch, capsys):
    """Piped or logged runs stay quiet; on a terminal the stage bar goes to stderr, never stdout."""
    from lhkpn_check import pipeline
    from lhkpn_check.settings import Settings

    result = invoke("run", small_sample, "--out", tmp_path / "pipe")
    assert result.exit_code == 0 and "lhkpn-check: " not in result.output
    monkeypatch.setattr("sys.stderr", _Tty())
    pipeline.run_batch(small_sample, tmp_path / "tty", settings=Settings(), progress=True)
    assert "lhkpn-check: " not in capsys.readouterr().out
    assert "lhkpn-check: rules" in _Tty.written and "lhkpn-check: excel" in _Tty.written


class _Tty:
    written = ""

    def isatty(self):
        return True

    def write(self, text):
        _Tty.written += text

    def flush(self):
        pass

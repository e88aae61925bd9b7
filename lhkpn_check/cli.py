"""The command line: parses arguments, calls the library, echoes. Nothing else lives here.

Library errors (`LhkpnError`) become one plain message and exit code 2; anything else is a bug
(exit 1).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lhkpn_check import __version__
from lhkpn_check.errors import LhkpnError


class InputProblem(click.ClickException):
    """Input or command line that cannot be used: exit 2, message only, no traceback."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Galat: {self.format_message()}", err=True)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LhkpnError as exc:
            raise InputProblem(str(exc)) from None
        except MemoryError:
            raise InputProblem("memori tidak cukup untuk berkas sebesar ini. Pecah berkas menjadi beberapa "
                               "bagian (misalnya per lembaga) lalu jalankan lagi.") from None


LANG = click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True,
                    help="Language of the report and messages (Bahasa Indonesia or English).")
CONFIG = click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path),
                      help="TOML file overriding thresholds and weights (see `lhkpn-check rules`).")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lhkpn-check")
def main() -> None:
    """Periksa LHKPN/LHKASN secara massal: validasi, red flag, skor pencilan sejawat, laporan audit.

    Batch checks of wealth declarations: validation, explainable red flags, peer outlier scores and an
    offline audit report. Every flag is a signal that asks for an explanation, never an accusation.
    """


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("hasil-audit"),
              show_default=True, help="Output folder (created; refused if not empty unless --force).")
@CONFIG
@LANG
@click.option("--force", is_flag=True, help="Replace a non-empty output folder.")
@click.option("--dossiers", type=click.IntRange(min=0), default=None,
              help="Write dossier pages for at most N officials, highest ranked first (default 5000).")
@click.option("--show-ids", is_flag=True, help="Show full NIK/NIP in HTML and Excel (masked by default).")
@click.option("--seed", type=int, default=None, help="Random seed of the outlier detectors.")
@click.option("--register", "register", type=click.Path(path_type=Path), default=None,
              help="Case register (SQLite, created on first use): the run is recorded in it, and reviewers' "
                   "decisions from earlier runs mark this run's findings.")

@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes sharing the work of a large batch (default: the machine's cores, or "
                   "LHKPN_CHECK_JOBS); 1 runs everything in one process. The outputs are the same for any N.")
def run(input_path, out, config, lang, force, dossiers, show_ids, seed, register, jobs):
    """Run the batch on INPUT (.xlsx, a folder of .csv, or one .csv) and write the report to --out."""
    from lhkpn_check.pipeline import run_batch
    from lhkpn_check.settings import load_settings

    settings = load_settings(config, {"seed": seed, "dossiers": dossiers})
    result = run_batch(input_path, out, settings=settings, lang=lang, force=force, show_ids=show_ids,
                       command=_command_line(), progress=_progress_enabled(), jobs=jobs,
                       register=register)
    click.echo(result.summary_text())
    from lhkpn_check.validate import front_door_warnings

    for line in front_door_warnings(result.batch, lang):  # columns left unread, ids from numbers, ...
        click.echo(f"  {line}")
    if register is not None:
        from lhkpn_check.register import summary_text

        click.echo(summary_text(result.analysis, lang))


@main.command()
@click.argument("register", metavar="REGISTER", type=click.Path(path_type=Path))
@click.argument("workbook", metavar="[hasil.xlsx]", required=False, type=click.Path(path_type=Path))
@click.option("--id", "id_pn", default=None, help="Full NIK/NIP of one official (instead of a workbook).")
@click.option("--status", type=click.Choice(["belum ditinjau", "klarifikasi dikirim", "dijelaskan",
                                             "perlu pemeriksaan", "ditutup"]), default=None,
              help="The decision on that official.")
@click.option("--note", default="", help="What was found or explained (with --id).")
@click.option("--reviewer", default="", help="Who decided (with --id).")
@click.option("--date", "date", default="", help="When it was decided, e.g. 2025-03-31 (with --id).")
@LANG
def review(register, workbook, id_pn, status, note, reviewer, date, lang):
    """Record reviewers' decisions in REGISTER: from the Peringkat sheet of a filled-in hasil.xlsx, or one
    decision with --id ID --status S [--note T]. History is append-only; the same decision twice adds nothing."""
    from lhkpn_check.i18n import t
    from lhkpn_check.register import import_workbook, record_decision

    if (workbook is None) == (id_pn is None) or (id_pn is not None and status is None):
        raise InputProblem(t("register.review_usage", lang))
    if workbook is not None:
        added, read = import_workbook(register, workbook, lang=lang)
        click.echo(t("register.review_done", lang, added=added, read=read, path=register))
    else:
        added = record_decision(register, id_pn, status, note=note, reviewer=reviewer, date=date, lang=lang)
        click.echo(t("register.review_one_done" if added else "register.review_one_same", lang, path=register))


@main.command()
@click.argument("run_dir", metavar="RUN_DIR", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the letters (created; refused if not empty unless --force).")
@click.option("--tier", type=click.Choice(["tinggi", "sedang", "rendah"]), default=None,
              help="Letters for the officials of this tier (default: tinggi).")
@click.option("--ids", "ids", multiple=True, help="Letters for these officials (full NIK/NIP; repeat --ids).")
@click.option("--template", "template", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Your own Word template (.docx) with the inspectorate's letterhead.")
@CONFIG
@click.option("--show-ids", is_flag=True, help="Show the full NIK/NIP in the letters (masked by default).")
@click.option("--force", is_flag=True, help="Write into a non-empty --out folder.")
def surat(run_dir, out, tier, ids, template, config, show_ids, force):
    """Klarifikasi letters, one .docx per official, from the outputs of a run in RUN_DIR."""
    from lhkpn_check.letters import write_letters

    if tier and ids:
        raise InputProblem("Pilih --tier atau --ids, tidak keduanya.")
    result = write_letters(run_dir, out, tier=tier, ids=list(ids) or None, template=template, config=config,
                           show_ids=show_ids, force=force)
    click.echo(result.summary_text())


@main.command()
@click.argument("register", metavar="REGISTER", type=click.Path(path_type=Path))
@click.option("--tahun", type=int, default=None,
              help="Reporting year of the cycle (default: the year of the register's latest run).")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The year-end workbook to write (.xlsx).")
@click.option("--show-ids", is_flag=True, help="Show the full NIK/NIP (masked by default).")
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
@LANG
def rekap(register, tahun, out, show_ids, force, lang):
    """The year-end report of the verification cycle from REGISTER: officials verified, letters sent,
    outcomes by status and by unit, the findings explained and how."""
    from lhkpn_check.rekap import write_rekap

    if out.suffix.lower() != ".xlsx":
        raise InputProblem(f"{out}: nama berkas rekap harus berakhiran .xlsx, misalnya rekap-2025.xlsx.")
    if out.exists() and not force:
        raise InputProblem(f"{out} sudah ada. Pilih nama lain atau tambahkan --force untuk menimpanya.")
    result = write_rekap(register, out, tahun=tahun, lang=lang, show_ids=show_ids)
    click.echo(result.summary_text())


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@CONFIG
@LANG
def validate(input_path, config, lang):
    """Read and check INPUT only; print the data-quality summary (counts, no personal data)."""
    from lhkpn_check.settings import load_settings
    from lhkpn_check.validate import format_summary, load_batch

    batch = load_batch(input_path, load_settings(config), lang=lang)
    click.echo(format_summary(batch, lang=lang))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@LANG
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
def template(file, lang, force):
    """Write an empty input workbook FILE.xlsx: sheets, headers, instructions and drop-down lists."""
    from lhkpn_check.templatefile import write_template

    if file.suffix.lower() != ".xlsx":
        raise InputProblem(f"{file}: nama berkas templat harus berakhiran .xlsx, misalnya templat-lhkpn.xlsx.")
    if file.exists() and not force:
        raise InputProblem(f"{file} sudah ada. Pilih nama lain atau tambahkan --force untuk menimpanya.")
    write_template(file, lang=lang)
    click.echo(f"Templat ditulis: {file}")


@main.command()
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@click.option("--officials", type=click.IntRange(min=20), default=300, show_default=True,
              help="Number of synthetic officials.")
@click.option("--years", type=click.IntRange(3, 5), default=4, show_default=True,
              help="Yearly declarations per official.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same batch).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="One workbook, or a folder of CSV files.")
@click.option("--force", is_flag=True, help="Write into DIR even if it is not empty.")
@click.option("--wajib-lapor", "roster", is_flag=True,
              help="Also write a roster of who must file (wajib_lapor) and submission dates, with its answer key.")
def sample(folder, officials, years, seed, fmt, force, roster):
    """Write a synthetic batch with planted cases and their answer key (kunci_jawaban.csv) into DIR."""
    from lhkpn_check.sample import generate, write_sample

    if folder.exists() and any(folder.iterdir()) and not force:
        raise InputProblem(f"Folder '{folder}' sudah berisi berkas. Pilih folder lain atau tambahkan --force.")
    batch = generate(n_officials=officials, years=years, seed=seed, wajib_lapor=roster)
    paths = write_sample(batch, folder, fmt=fmt)
    planted = int(batch.answer_key["planted"].sum())
    click.echo(f"Sampel sintetis ditulis ke {folder}: {officials} pejabat, {len(batch.laporan)} laporan, "
               f"{planted} kasus ditanam ({', '.join(p.name for p in paths)}).")


@main.command()
@CONFIG
@LANG
def rules(config, lang):
    """List every rule: id, title, what it compares, and its threshold in force."""
    from lhkpn_check.rules import format_rules
    from lhkpn_check.settings import load_settings

    click.echo(format_rules(load_settings(config), lang=lang))


def _command_line() -> str:
    return " ".join(["lhkpn-check", *sys.argv[1:]])


def _progress_enabled() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def entry() -> None:
    """The `lhkpn-check` program."""
    main()


if __name__ == "__main__":  # pragma: no cover
    entry()

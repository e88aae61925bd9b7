"""Klarifikasi letters (`lhkpn-check surat`): one .docx per official, from a run's outputs and a Word template.

The template is a Word document with Jinja tags (docxtpl): the inspectorate edits it in Word to carry its
own letterhead and wording. Without `--template`, a default is built here with python-docx, and a copy of
the template used is written beside the letters so that it can be edited and given back with `--template`.
Every letter asks for an explanation, never accuses: the findings' own wording already does.

What a letter says comes from what the run wrote: ranking.csv (name, position), findings.csv (each finding
in plain words with its figures; `sudah dijelaskan` ones of a run with a register are left out) and
evidence.csv (the declaration lines behind each finding). The `[surat]` table of the config file fills the
placeholders (nomor, tanggal, penandatangan, ...); `{urut}` in `nomor` becomes the letter's number.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lhkpn_check.errors import ConfigError, LhkpnError
from lhkpn_check.i18n import t
from lhkpn_check.safety import FORMULA_PREFIXES, mask_id, safe_filename
from lhkpn_check.settings import read_config

PLACEHOLDER = "……"
SURAT_DEFAULTS = {
    "instansi": "INSPEKTORAT " + PLACEHOLDER,
    "alamat": PLACEHOLDER,
    "kota": PLACEHOLDER,
    "nomor": PLACEHOLDER,
    "tanggal": PLACEHOLDER,
    "sifat": "Terbatas",
    "perihal": "Permintaan klarifikasi atas Laporan Harta Kekayaan",
    "penandatangan": PLACEHOLDER,
    "jabatan_penandatangan": "Inspektur",
    "nip_penandatangan": PLACEHOLDER,
    "batas_waktu": "14 (empat belas) hari kerja",
    "kontak": PLACEHOLDER,
}
"""The `[surat]` table of the config file: each key fills the placeholder of the same name in the template."""
DEFAULT_TIER = "tinggi"
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass
class LetterResult:
    out: Path
    letters: list[Path] = field(default_factory=list)
    skipped: int = 0
    template: str = ""

    def summary_text(self) -> str:
        return t("surat.done", "id", n=len(self.letters), out=self.out, skipped=self.skipped,
                 template=self.template)


def surat_config(config) -> dict:
    """SURAT_DEFAULTS overridden by the `[surat]` table of the config file (text values only)."""
    values = dict(SURAT_DEFAULTS)
    if config is None:
        return values
    path = Path(config)
    data = read_config(path)
    table = data.get("surat", data.get("lhkpn_check", {}).get("surat", {}))
    if not isinstance(table, dict):
        raise ConfigError("[surat] harus berupa tabel", file=path, column="surat",
                          fix="Tulis [surat] lalu baris `nomor = \"...\"`, `penandatangan = \"...\"`.")
    for key, value in table.items():
        if key not in SURAT_DEFAULTS:
            raise ConfigError(f"isian [surat] '{key}' tidak dikenal", file=path, column=key,
                              fix="Isian yang dikenal: " + ", ".join(SURAT_DEFAULTS) + ".")
        values[key] = str(value)
    return values


# -- the run's outputs ------------------------------------------------------------------------------------

def _plain(values: pd.Series) -> pd.Series:
    """Text as the run read it: the `'` that the CSV writer put before formula-like text removed."""
    text = values.astype(str)
    guarded = text.str.startswith("'") & text.str.slice(1).str.startswith(FORMULA_PREFIXES)
    return text.where(~guarded, text.str.slice(1))


def _read_csv(run_dir: Path, name: str, required: bool = True) -> pd.DataFrame | None:
    path = run_dir / name
    if not path.is_file():
        if not required:
            return None
        raise LhkpnError(t("surat.not_run_dir", "id", path=run_dir, name=name))
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise LhkpnError(t("surat.unreadable", "id", path=path, detail=type(exc).__name__)) from None


def _evidence_lines(text: str) -> list[str]:
    """The declaration lines behind a finding, as `laporan baris 5: kas = Rp 150.000.000`."""
    from lhkpn_check.report.filters import auto

    try:
        entries = json.loads(text) if text else []
    except ValueError:
        return [text]
    lines = []
    for e in entries if isinstance(entries, list) else [entries]:
        if not isinstance(e, dict):
            lines.append(str(e))
            continue
        where = " ".join(str(x) for x in (e.get("sheet"), "baris" if e.get("row") is not None else None,
                                          e.get("row")) if x is not None)
        value = e.get("value")
        value = auto(value, "id") if isinstance(value, (int, float)) and not isinstance(value, bool) else \
            ("" if value is None else str(value))
        label = f"{e.get('label', '')} = {value}" if value != "" else str(e.get("label", ""))
        lines.append(f"{where}: {label}" if where else label)
    return lines


def _documents(rules: list[str]) -> list[str]:
    """The documents to bring, per rule (locale `surat.dokumen.<rule>`, `; `-separated), in order, once."""
    from lhkpn_check import i18n

    out: list[str] = []
    for rule in rules:
        key = f"surat.dokumen.{rule}"
        for doc in i18n.t(key if i18n.has(key) else "surat.dokumen._lain", "id").split("; "):
            if doc and doc not in out:
                out.append(doc)
    return out


def _clean(value) -> str:
    return ILLEGAL_XML.sub("", "" if value is None else str(value))


def letter_contexts(run_dir, *, tier: str | None = None, ids: list[str] | None = None, config=None,
                    show_ids: bool = False) -> tuple[list[dict], int]:
    """One template context per official to write to (in rank order), and how many selected officials
    were left without a letter because none of their findings needs one."""
    from lhkpn_check.report.context import rule_title

    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise LhkpnError(t("surat.not_run_dir", "id", path=run_dir, name="ranking.csv"))
    ranking = _read_csv(run_dir, "ranking.csv")
    findings = _read_csv(run_dir, "findings.csv")
    evidence = _read_csv(run_dir, "evidence.csv", required=False)
    for frame, name, columns in ((ranking, "ranking.csv", ("id_pn", "nama", "jabatan", "rank", "tier")),
                                 (findings, "findings.csv", ("id_pn", "rule", "tahun_lapor", "message"))):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise LhkpnError(t("surat.columns_missing", "id", path=run_dir / name, columns=", ".join(missing)))
    ranking = ranking.assign(id_pn=_plain(ranking["id_pn"]))
    findings = findings.assign(id_pn=_plain(findings["id_pn"]))
    if evidence is not None and len(evidence) == len(findings) and "evidence" in evidence.columns and \
            (_plain(evidence["id_pn"]).to_numpy() == findings["id_pn"].to_numpy()).all() and \
            (evidence["rule"].to_numpy() == findings["rule"].to_numpy()).all():
        findings["evidence"] = evidence["evidence"].to_numpy()
    else:
        findings["evidence"] = ""
    if ids:
        wanted = [str(i).strip() for i in ids]
        unknown = [i for i in wanted if i not in set(ranking["id_pn"])]
        if unknown:
            raise LhkpnError(t("surat.unknown_ids", "id", n=len(unknown), path=run_dir / "ranking.csv"))
        chosen = ranking[ranking["id_pn"].isin(wanted)]
    else:
        chosen = ranking[ranking["tier"] == (tier or DEFAULT_TIER)]
    chosen = chosen.assign(_rank=pd.to_numeric(chosen["rank"], errors="coerce")).sort_values("_rank", kind="stable")
    if "status_temuan" in findings.columns:  # explained findings are not asked about again
        findings = findings[findings["status_temuan"] != "sudah dijelaskan"]
    by_official = {k: g for k, g in findings.groupby("id_pn", sort=False)}
    surat = surat_config(config)
    masked = mask_id(chosen["id_pn"], show=show_ids)
    contexts, skipped = [], 0
    for (_, row), shown_id in zip(chosen.iterrows(), masked):
        own = by_official.get(row["id_pn"])
        if own is None or own.empty:
            skipped += 1
            continue
        own = own.sort_values(["tahun_lapor", "rule"], kind="stable")
        temuan = [{"no": i, "judul": _clean(rule_title(r.rule, "id")), "tahun": _clean(r.tahun_lapor),
                   "uraian": _clean(r.message), "baris": [_clean(x) for x in _evidence_lines(r.evidence)]}
                  for i, r in enumerate(own.itertuples(index=False), start=1)]
        number = len(contexts) + 1
        ctx = {k: _clean(v) for k, v in surat.items()}
        ctx["nomor"] = ctx["nomor"].replace("{urut}", str(number))
        ctx.update({
            "nama": _clean(row.get("nama")), "jabatan": _clean(row.get("jabatan")),
            "unit_kerja": _clean(row.get("unit_kerja", "")), "lembaga": _clean(row.get("lembaga")),
            "id_pn": _clean(shown_id), "tahun_lapor": _clean(row.get("tahun_lapor")),
            "temuan": temuan, "n_temuan": len(temuan),
            "dokumen": _documents(list(dict.fromkeys(own["rule"]))),
            "_file": f"surat-{safe_filename(row['id_pn'])}.docx" if show_ids else
                     f"surat-peringkat-{int(row['_rank']):06d}.docx",
            "_rank": int(row["_rank"]),
        })
        contexts.append(ctx)
    return contexts, skipped


# -- the Word template --------------------------------------------------------------------------------------

def default_template() -> bytes:
    """The shipped default letter as a .docx with docxtpl tags, built with python-docx."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)

    def para(text: str = "", *, bold: bool = False, center: bool = False, size: int | None = None):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    para("{{ instansi }}", bold=True, center=True, size=14)
    para("{{ alamat }}", center=True, size=10)
    para("_" * 64, center=True)
    para("{{ kota }}, {{ tanggal }}")
    for label, tag in (("Nomor", "nomor"), ("Sifat", "sifat"), ("Lampiran", None), ("Perihal", "perihal")):
        para(f"{label}\t: " + ("{{ " + tag + " }}" if tag else "-"))
    para()
    para("Yth. Sdr/i. {{ nama }}")
    para("{{ jabatan }}")
    para("{%p if unit_kerja %}")
    para("{{ unit_kerja }}")
    para("{%p endif %}")
    para("{{ lembaga }}")
    para("di tempat")
    para()
    para("Dalam rangka pemantauan dan verifikasi kewajaran Laporan Harta Kekayaan yang dilakukan setiap tahun "
         "terhadap seluruh pejabat wajib lapor, kami telah menelaah laporan yang Saudara sampaikan sampai dengan "
         "tahun {{ tahun_lapor }} (NIK/NIP {{ id_pn }}). Beberapa hal berikut memerlukan penjelasan agar data "
         "tersebut dapat kami pahami dengan benar:")
    para("{%p for f in temuan %}")
    para("{{ f.no }}. {{ f.judul }} (laporan tahun {{ f.tahun }})", bold=True)
    para("{{ f.uraian }}")
    para("{%p if f.baris %}")
    para("Baris laporan yang menjadi dasar:")
    para("{%p for b in f.baris %}")
    para("    – {{ b }}")
    para("{%p endfor %}")
    para("{%p endif %}")
    para("{%p endfor %}")
    para("Hal-hal tersebut belum tentu menunjukkan kesalahan: banyak yang memiliki penjelasan yang sah, misalnya "
         "warisan, hibah keluarga, penjualan harta, pelunasan dari penghasilan lain, atau kekeliruan pengisian. "
         "Untuk itu kami mohon kesediaan Saudara memberikan penjelasan tertulis dalam waktu {{ batas_waktu }} "
         "sejak surat ini diterima, dengan melampirkan salinan dokumen berikut sepanjang ada:")
    para("{%p for d in dokumen %}")
    para("    – {{ d }}")
    para("{%p endfor %}")
    para("Penjelasan dan dokumen dapat disampaikan langsung atau melalui {{ kontak }}. Atas perhatian dan "
         "kerja sama Saudara kami ucapkan terima kasih.")
    para()
    para("{{ jabatan_penandatangan }},")
    para()
    para()
    para("{{ penandatangan }}", bold=True)
    para("NIP {{ nip_penandatangan }}")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _render(template: bytes, context: dict, source: str) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    try:
        document = DocxTemplate(io.BytesIO(template))
        document.render({k: v for k, v in context.items() if not k.startswith("_")}, autoescape=True)
        buffer = io.BytesIO()
        document.save(buffer)
    except TemplateError as exc:
        raise LhkpnError(t("surat.template_error", "id", path=source, detail=exc)) from None
    except Exception as exc:  # a file that is not a Word document: zip, XML or part errors of many kinds
        raise LhkpnError(t("surat.template_unreadable", "id", path=source, detail=type(exc).__name__)) from None
    return buffer.getvalue()


def write_letters(run_dir, out, *, tier: str | None = None, ids: list[str] | None = None, template=None,
                  config=None, show_ids: bool = False, force: bool = False) -> LetterResult:
    """Write one letter per selected official with findings into `out`, plus `daftar_surat.csv` (which
    letter is for whom, ids masked unless `show_ids`) and `templat_surat.docx` (the template used)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise LhkpnError(t("cli.out_is_file", "id", path=out))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise LhkpnError(t("cli.out_not_empty", "id", path=out))
    if template is not None:
        source = Path(template)
        if not source.is_file():
            raise LhkpnError(t("surat.template_missing", "id", path=source))
        body, name = source.read_bytes(), str(source)
    else:
        body, name = default_template(), "bawaan"
    contexts, skipped = letter_contexts(run_dir, tier=tier, ids=ids, config=config, show_ids=show_ids)
    rendered = [(ctx, _render(body, ctx, name)) for ctx in contexts]  # every letter made before any is written
    out.mkdir(parents=True, exist_ok=True)
    result = LetterResult(out=out, skipped=skipped, template=name)
    for ctx, data in rendered:
        path = out / ctx["_file"]
        path.write_bytes(data)
        result.letters.append(path)
    (out / "templat_surat.docx").write_bytes(body)
    listing = pd.DataFrame({"berkas": [c["_file"] for c in contexts], "peringkat": [c["_rank"] for c in contexts],
                            "id_pn": [c["id_pn"] for c in contexts], "nama": [c["nama"] for c in contexts],
                            "jabatan": [c["jabatan"] for c in contexts], "nomor": [c["nomor"] for c in contexts],
                            "n_temuan": [c["n_temuan"] for c in contexts]})
    from lhkpn_check.output import write_csv

    write_csv(listing, tuple(listing.columns), out / "daftar_surat.csv")
    return result


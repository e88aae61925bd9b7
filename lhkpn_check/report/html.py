"""The offline HTML report: index.html, one dossier per official under pejabat/, and assets/.

Stages: findings -> context dicts (context.py) -> Jinja render -> write. One Environment, autoescape on
for every template, compiled once per process. Nothing on a page points to the network: CSS, the small
table script and plotly's bundle are written into assets/ next to the pages.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from lhkpn_check import __version__, i18n
from lhkpn_check.model import TIERS
from lhkpn_check.report import context as cx
from lhkpn_check.report import filters
from lhkpn_check.safety import safe_filenames

INDEX_ROWS_MIN = 20_000
"""The index table embeds the top max(dossiers, this) officials (one JSON blob the page script turns into
rows); beyond it they are in ranking.csv and hasil.xlsx, and the page says so."""
ASSETS = ("report.css", "report.js")
KEPATUHAN_ASSET = "kepatuhan.js"
"""The compliance list's filter script, written only when the batch has a roster."""


@pass_context
def _tr(ctx, key: str, **kwargs) -> str:
    return i18n.t(key, ctx.get("lang", "id"), **kwargs)


@pass_context
def _has(ctx, key: str) -> bool:
    return i18n.has(key)


@lru_cache(maxsize=4)
def labels(lang: str) -> dict[str, Markup]:
    """Every catalogue text in one language, escaped once, looked up by templates as `L["report.col.rank"]`:
    a dict lookup per label and no escaping per page."""
    return {key: Markup(escape(i18n.t(key, lang))) for key in i18n.catalogue()}


def _templates_dir() -> Path:
    return Path(str(resources.files("lhkpn_check.templates")))


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's Environment, with `row.key` on a plain dict looked up as the key straight away. Jinja tries
    the attribute first and takes the key when AttributeError is raised; a dossier page reads ~130 keys of
    its row dicts that way, and the raised errors were an eighth of its render time. Same result: a plain
    dict has no attribute but dict's own, and those still win."""

    def getattr(self, obj, attribute: str):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


_LABEL_TAG = re.compile(r'\{\{ *L\["([A-Za-z0-9_.]+)"\] *\}\}')


def with_labels(source: str, lang: str) -> str:
    """A template's source with each `{{ L["key"] }}` of a literal key replaced by the label's escaped text
    (the same bytes it renders to): a language's labels are constants, so a page then shows them without a
    lookup and an escape each. A label that is not plain text to Jinja stays a lookup: one with braces, a
    line break, or blank or spaced ends (which a neighbouring tag's whitespace control would trim)."""
    table = labels(lang)

    def put(match: re.Match) -> str:
        text = table.get(match.group(1))
        if text is None or not text or text != text.strip() or "{" in text or "}" in text or "\n" in text:
            return match.group(0)
        return str(text)

    return _LABEL_TAG.sub(put, source)


class _LabelledLoader(FileSystemLoader):
    """The package's templates with one language's labels put in (`with_labels`)."""

    def __init__(self, searchpath: str, lang: str):
        super().__init__(searchpath)
        self.lang = lang

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return with_labels(source, self.lang), filename, uptodate


@lru_cache(maxsize=4)
def environment(lang: str | None = None) -> Environment:
    """The Environment of one report language (its labels put into the templates, `with_labels`), or of
    the templates as written (`lang` None): autoescape everywhere, missing variables are errors, not
    blanks. Every page still gets the labels as `L`, for the keys made while rendering."""
    loader = FileSystemLoader(str(_templates_dir())) if lang is None else _LabelledLoader(str(_templates_dir()), lang)
    env = _Environment(loader=loader, autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                       auto_reload=False)  # templates ship with the package: no stat() per include
    filters.register(env)
    env.globals.update(tr=_tr, has_key=_has, tiers=TIERS, version=__version__)
    return env


def warm_up(lang: str) -> None:
    """Compile every template and escape the labels now (a pool's worker does so as it starts)."""
    lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
    env = environment(lang)
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)
    labels(lang)


def _write_assets(out_dir: Path) -> None:
    import plotly.offline

    assets = out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    source = _templates_dir() / "assets"
    for name in ASSETS:
        (assets / name).write_bytes((source / name).read_bytes())
    (assets / "plotly.min.js").write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")


def _selection(analysis, dossiers: int, show_ids: bool = False) -> tuple[pd.DataFrame, pd.Series]:
    """Ranking in rank order and the id -> file stem map of officials who get a dossier.

    With masked ids a file is named by rank position, so no link or file name reveals a NIK/NIP.
    """
    rank = analysis.ranking.drop_duplicates("id_pn", keep="first")
    if "rank" in rank.columns:
        rank = rank.sort_values("rank", kind="stable", na_position="last")
    rank = rank.reset_index(drop=True)
    chosen = rank.index < max(int(dossiers), 0)
    if show_ids:
        stems = safe_filenames(rank["id_pn"])
    else:
        stems = pd.Series([f"pejabat-{i + 1:06d}" for i in range(len(rank))], index=rank.index, dtype="object")
    files = pd.Series(stems.where(chosen, None).to_numpy(), index=rank["id_pn"].to_numpy())
    return rank, files


def dossier_stems(analysis, dossiers: int = 1 << 62, show_ids: bool = False) -> pd.Series:
    """id_pn -> dossier file stem (missing for officials beyond the dossier limit)."""
    return _selection(analysis, dossiers, show_ids)[1]


def _index_context(batch, analysis, settings, frame, rules, *, lang, manifest, limit, show_ids=False) -> dict:
    kinds, quality_rows, quality_total = cx.quality_summary(batch.quality, lang)
    scatter, omitted = cx.wealth_scatter(frame, lang)
    tiers = frame["tier"].value_counts()
    income_counts = frame["income_source"].value_counts()
    estimated = bool(analysis.income_estimated or income_counts.get("estimated", 0))
    counts = manifest.get("rows") or {s: c.as_dict() for s, c in batch.counts.items()}
    inputs = manifest.get("inputs") or [{"path": f.path, "sha256": f.sha256, "bytes": f.size,
                                         "sheets": list(f.sheets)} for f in batch.inputs]
    columns, rows = cx.table_rows(frame, lang, limit)
    return {
        "lang": lang, "L": labels(lang), "root": "", "manifest": manifest, "inputs": inputs, "counts": counts,
        "n_officials": len(frame), "n_declarations": len(batch.laporan), "n_findings": len(analysis.findings),
        "tier_counts": {t: int(tiers.get(t, 0)) for t in TIERS},
        "income_declared": int(income_counts.get("declared", 0)),
        "income_estimated": int(income_counts.get("estimated", 0)), "estimated": estimated,
        "quality_kinds": kinds, "quality_rows": quality_rows, "quality_total": quality_total,
        "settings_rows": cx.settings_rows(manifest, settings, lang), "rules": rules,
        "detectors": list(analysis.peer_detectors or manifest.get("detectors") or []),
        "rows_json": cx.table_json(columns, rows), "rows_cut": len(frame) > len(rows), "rows_shown": len(rows),
        "n_dossiers": int(frame["href"].notna().sum()),
        "charts": {"scores": cx.json_for_html(cx.score_histogram(frame, lang)),
                   "units": cx.json_for_html(cx.risk_by_unit(frame, lang)), "wealth": cx.json_for_html(scatter)},
        "scatter_omitted": omitted,
        "rule_options": sorted({r for rs in frame["rules"].head(limit) for r in rs}),
        "kepatuhan": cx.kepatuhan_context(getattr(analysis, "kepatuhan", None), lang, show_ids=show_ids),
        **cx.review_context(analysis, frame, manifest),
    }


DOSSIERS_PER_TASK = 250
"""Dossiers written by one task (see `HtmlReport.start_dossiers`): small enough that this process and the
workers end together, large enough that handing a task over costs little beside writing its pages."""
DOSSIERS_FIRST = 2 * DOSSIERS_PER_TASK
"""With a pool, the officials whose dossier tables are made first; then twice as many each time (`_runs`)."""


def _runs(first: int, n: int):
    """(lo, hi) of the selected officials whose dossier tables are made together: `first`, then twice as
    many each time, so that the workers have pages to write soon and the tables' fixed cost is paid a few
    times only."""
    lo, size = 0, first
    while lo < n:
        yield lo, min(lo + size, n)
        lo, size = lo + size, 2 * size


def _part(tables: cx.DossierTables, rows: slice) -> cx.DossierTables:
    """The tables of the officials `rows` only: what a task writing their pages is handed."""
    chosen = tables.rows[rows]
    ids = [row["_id_pn"] for row in chosen]

    def pick(table: dict) -> dict:
        return {i: table[i] for i in ids if i in table}

    return dataclasses.replace(tables, rows=chosen, years=pick(tables.years), series=pick(tables.series),
                               items=pick(tables.items), findings=pick(tables.findings),
                               luxury=pick(tables.luxury), temuan=pick(tables.temuan))


def write_dossier_pages(out_dir: Path, tables: cx.DossierTables) -> int:
    """pejabat/<stem>.html for every official of `tables` (in any process: the pages depend only on them)."""
    (Path(out_dir) / "pejabat").mkdir(parents=True, exist_ok=True)
    page = environment(tables.lang).get_template("pejabat.html")
    label_table = labels(tables.lang)
    n = 0
    for dossier in tables.contexts():
        dossier.context["L"] = label_table
        (Path(out_dir) / dossier.path).write_text(page.render(dossier.context), encoding="utf-8")
        n += 1
    return n


class HtmlReport:
    """One run's HTML report, written in parts so that several processes can share the work: the index
    page with its assets here, and the dossiers, whose tables `prepare_dossiers` formats once, in tasks
    that any process may write (`start_dossiers`)."""

    def __init__(self, out_dir: Path, batch, analysis, settings, *, lang: str = "id", manifest: dict,
                 dossiers: int | None = None, show_ids: bool = False):
        self.out_dir = Path(out_dir)
        self.lang = lang if lang in i18n.LANGS else i18n.DEFAULT_LANG
        self.batch, self.settings, self.manifest, self.show_ids = batch, settings, manifest, show_ids
        dossiers = settings.dossiers if dossiers is None else dossiers
        rank, files = _selection(analysis, dossiers, show_ids)
        self.analysis = dataclasses.replace(analysis, ranking=rank)
        self.frame = cx.ranking_frame(self.analysis, files, show_ids=show_ids)
        extra_rules = analysis.findings["rule"].dropna().unique() if "rule" in analysis.findings else ()
        self.rules = cx.rule_table(settings, self.lang, extra_rules)
        self.limit = max(int(dossiers), INDEX_ROWS_MIN)
        self._selected = self.frame[self.frame["href"].notna()]
        self._tables: cx.DossierTables | None = None

    @property
    def n_dossiers(self) -> int:
        return len(self._selected)

    def write_index(self) -> list[Path]:
        """index.html and assets/."""
        _write_assets(self.out_dir)
        index = self.out_dir / "index.html"
        ctx = _index_context(self.batch, self.analysis, self.settings, self.frame, self.rules, lang=self.lang,
                             manifest=self.manifest, limit=self.limit, show_ids=self.show_ids)
        index.write_text(environment(self.lang).get_template("index.html").render(ctx), encoding="utf-8")
        written = [index, *(self.out_dir / "assets" / n for n in (*ASSETS, "plotly.min.js"))]
        if ctx["kepatuhan"] is not None:  # the compliance list's filter: only with a roster
            (self.out_dir / "assets" / KEPATUHAN_ASSET).write_bytes((_templates_dir() / "assets" /
                                                                     KEPATUHAN_ASSET).read_bytes())
            written.append(self.out_dir / "assets" / KEPATUHAN_ASSET)
        return written

    def prepare_dossiers(self) -> None:
        """The dossier tables, formatted once for all the pages."""
        if self._tables is None and len(self._selected):
            self._tables = self._tables_of(slice(None))

    def start_dossiers(self, pool=None, first: int = DOSSIERS_FIRST):
        """The dossier pages as tasks of DOSSIERS_PER_TASK officials each, handed to `pool`'s workers as they
        are made; `results()` of what is returned writes here what no worker has taken yet (pool.Shared).
        With a pool, the tables are made in runs of officials (`_runs`: the `first`, then twice as many each
        time), so that the workers write the pages of one run while the next is made (each official's tables
        depend on that official alone)."""
        from lhkpn_check.pool import Shared

        return Shared(pool, write_dossier_pages, self._dossier_tasks(first if pool is not None else 0))

    def _dossier_tasks(self, first: int):
        n = self.n_dossiers
        if first <= 0 or first >= n or self._tables is not None:
            self.prepare_dossiers()
            runs = [self._tables] if n else []
        else:
            source = cx.dossier_cut(self.batch, self.analysis, self._selected["_id_pn"])
            runs = (self._tables_of(slice(lo, hi), source) for lo, hi in _runs(first, n))
        for tables in runs:
            for i in range(0, len(tables.rows), DOSSIERS_PER_TASK):
                yield self.out_dir, _part(tables, slice(i, i + DOSSIERS_PER_TASK))

    def _tables_of(self, rows: slice, source: tuple | None = None) -> cx.DossierTables:
        """The dossier tables of the selected officials `rows` (in rank order), from `source` (batch and
        analysis, as `context.dossier_cut` cuts them) or the whole batch."""
        selected = self._selected.iloc[rows]
        batch, analysis = source or (self.batch, self.analysis)
        tables = cx.dossier_tables(batch, analysis, selected, lang=self.lang, rules=self.rules,
                                   labels=labels(self.lang))
        tables.kepatuhan = cx.kepatuhan_lines(getattr(self.analysis, "kepatuhan", None), selected["_id_pn"],
                                              self.lang)
        return tables

    def write_dossiers(self) -> list[Path]:
        """pejabat/<stem>.html for the selected officials."""
        if not self.n_dossiers:
            return []
        self.prepare_dossiers()
        write_dossier_pages(self.out_dir, self._tables)
        return [self.out_dir / row["href"] for row in self._tables.rows]


def write_html(out_dir: Path, batch, analysis, settings, *, lang: str = "id", manifest: dict,
               dossiers: int | None = None, show_ids: bool = False) -> list[Path]:
    """Write index.html, pejabat/<safe-id>.html for the top `dossiers` officials, and assets/."""
    report = HtmlReport(out_dir, batch, analysis, settings, lang=lang, manifest=manifest, dossiers=dossiers,
                        show_ids=show_ids)
    return report.write_index() + report.write_dossiers()

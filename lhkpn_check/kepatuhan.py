"""Filing compliance (kepatuhan, SPEC §5): who on the roster filed on time, filed late, filed with no
submission date, or did not file; and who filed without being on the roster.

Plain functions on the validated frames. Not filing is a reminder, not a finding about wealth: nothing here
enters findings or the score. Ids are matched after `norm_id` on both sides (roster and laporan).
"""

from __future__ import annotations

import calendar
import re

import numpy as np
import pandas as pd

from lhkpn_check.errors import ConfigError
from lhkpn_check.i18n import t
from lhkpn_check.model import KEPATUHAN_COLUMNS, KEPATUHAN_STATUS, Compliance

_SEPARATORS = re.compile(r"[\s.]+")
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
UNLISTED = "tidak di daftar"


def norm_id(ids: pd.Series) -> pd.Series:
    """Ids with spaces and dots dropped (`19800608 200304 1 001` = `198006082003041001`), once per
    distinct id; missing, or nothing left, is missing."""
    values = ids.astype("object")
    distinct = pd.unique(values[values.notna()])
    table = {v: (_SEPARATORS.sub("", str(v)) or None) for v in distinct}
    return values.map(table).astype("object").where(values.notna(), None)


def deadline_day_month(text: str) -> tuple[int, int]:
    """The `batas_lapor` setting, `DD-MM` (also `DD/MM`), as (day, month)."""
    found = _DAY_MONTH.match(str(text))
    if found:
        day, month = int(found.group(1)), int(found.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return day, month
    raise ConfigError(f"nilai {text!r} untuk 'batas_lapor' tidak sesuai (contoh yang benar: '31-03')",
                      column="batas_lapor", fix="Tulis batas_lapor sebagai tanggal-bulan, misalnya \"31-03\".")


def default_deadlines(years: pd.Series, setting: str) -> pd.Series:
    """The deadline of a periodic declaration of each reporting year: the set day and month of the year
    after (a day past the month's end, such as 29 February, becomes the month's last day)."""
    day, month = deadline_day_month(setting)
    out = pd.Series(pd.NaT, index=years.index, dtype="datetime64[ns]")
    for year in pd.unique(years.dropna()):
        y = int(year) + 1
        when = pd.Timestamp(y, month, min(day, calendar.monthrange(y, month)[1]))
        out[(years == year).fillna(False).to_numpy()] = when
    return out


def compliance(batch, settings) -> Compliance | None:
    """Each roster entry's status for its reporting year (the roster's `tahun_lapor`, else the latest year
    in laporan), the filers of those years missing from the roster, and the rates per unit and agency.
    None when the batch has no roster."""
    roster = batch.wajib_lapor
    if roster is None:
        return None
    lap = batch.laporan
    latest = int(lap["tahun_lapor"].max()) if len(lap) else None
    year = roster["tahun_lapor"].astype("Int64")
    if latest is not None:
        year = year.fillna(latest)
    deadline = roster["batas_lapor"].astype("datetime64[ns]")
    deadline = deadline.where(deadline.notna(), default_deadlines(year, settings.batas_lapor)).dt.normalize()

    sent = lap["tanggal_kirim"] if "tanggal_kirim" in lap else pd.Series(pd.NaT, index=lap.index)
    filed = pd.DataFrame({"_key": norm_id(lap["id_pn"]), "tahun_lapor": lap["tahun_lapor"].astype("int64"),
                          "tanggal_kirim": sent.astype("datetime64[ns]")})
    first_sent = filed.groupby(["_key", "tahun_lapor"], sort=True)["tanggal_kirim"].min()
    wanted = pd.MultiIndex.from_arrays([roster["id_pn"].to_numpy(dtype=object),
                                        year.fillna(-1).to_numpy(dtype=np.int64)])
    found = wanted.isin(first_sent.index)
    when = pd.Series(first_sent.reindex(wanted).to_numpy(), index=roster.index).dt.normalize()
    late_days = (when - deadline).dt.days
    status = np.select([~found, when.isna().to_numpy(), (late_days > 0).to_numpy()],
                       ["belum lapor", "sudah lapor", "terlambat"], "tepat waktu").astype(object)

    latest_decl = _latest_declaration(lap, filed["_key"])
    listed = pd.DataFrame({
        "id_pn": roster["id_pn"], "_key": roster["id_pn"], "tahun_lapor": year,
        "status": status, "hari_terlambat": late_days.where(status == "terlambat").astype("Int64"),
        "jenis": roster["jenis"], "batas_lapor": deadline, "tanggal_kirim": when})
    for col in ("nama", "jabatan", "unit_kerja", "lembaga"):  # what the roster leaves empty, from the filing
        known = roster[col].astype("object")
        listed[col] = known.where(known.notna(), roster["id_pn"].map(latest_decl[col]))
    unlisted = _unlisted(lap, filed, first_sent, listed)
    officials = pd.concat([listed, unlisted], ignore_index=True)
    officials = officials[[*KEPATUHAN_COLUMNS, "jenis", "batas_lapor", "tanggal_kirim", "_key"]]
    years = tuple(int(y) for y in sorted(pd.unique(year.dropna())))
    return Compliance(officials=officials, units=_rates(listed, ["tahun_lapor", "lembaga", "unit_kerja"]),
                      lembaga=_rates(listed, ["tahun_lapor", "lembaga"]), years=years)


def _latest_declaration(lap: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Per normalised id, the identity fields of the official's latest declaration."""
    cols = ["nama", "jabatan", "unit_kerja", "lembaga"]
    frame = lap[cols].assign(_key=keys.to_numpy(), _year=lap["tahun_lapor"].to_numpy())
    frame = frame[frame["_key"].notna()].sort_values(["_key", "_year"], kind="stable")
    return frame.drop_duplicates("_key", keep="last").set_index("_key")[cols]


def _unlisted(lap: pd.DataFrame, filed: pd.DataFrame, first_sent: pd.Series, listed: pd.DataFrame) -> pd.DataFrame:
    """The officials who filed for a judged year without being on that year's roster (one row each, from
    their last declaration of the year), by id."""
    years = set(int(y) for y in listed["tahun_lapor"].dropna())
    on_roster = pd.MultiIndex.from_arrays([listed["_key"].to_numpy(dtype=object),
                                           listed["tahun_lapor"].fillna(-1).to_numpy(dtype=np.int64)])
    pairs = pd.MultiIndex.from_arrays([filed["_key"].to_numpy(dtype=object), filed["tahun_lapor"].to_numpy()])
    chosen = filed["tahun_lapor"].isin(years).to_numpy() & filed["_key"].notna().to_numpy() & ~pairs.isin(on_roster)
    rows = lap.loc[chosen, ["id_pn", "nama", "jabatan", "unit_kerja", "lembaga", "tahun_lapor"]].assign(
        _key=filed["_key"][chosen].to_numpy())
    rows = rows.drop_duplicates(["_key", "tahun_lapor"], keep="last").sort_values(["tahun_lapor", "_key"],
                                                                                  kind="stable")
    index = pd.MultiIndex.from_arrays([rows["_key"].to_numpy(dtype=object), rows["tahun_lapor"].to_numpy()])
    return rows.assign(tahun_lapor=rows["tahun_lapor"].astype("Int64"), status=UNLISTED,
                       hari_terlambat=pd.Series(pd.NA, index=rows.index, dtype="Int64"), jenis=None,
                       batas_lapor=pd.NaT,
                       tanggal_kirim=first_sent.reindex(index).to_numpy()).reset_index(drop=True)


def _rates(listed: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Listed officials per group and status; `rate` = filed (on time or not) / listed, `rate_tepat` = on
    time / listed; the lowest rate first."""
    frame = listed[keys + ["status"]].copy()
    for key in keys[1:]:
        frame[key] = frame[key].astype("object").where(frame[key].notna(), "-")
    counts = pd.crosstab([frame[k] for k in keys], frame["status"]).reindex(
        columns=[s for s in KEPATUHAN_STATUS if s != UNLISTED], fill_value=0)
    counts.columns = [c.replace(" ", "_") for c in counts.columns]
    counts.insert(0, "wajib", counts.sum(axis=1))
    counts["rate"] = (counts["wajib"] - counts["belum_lapor"]) / counts["wajib"]
    counts["rate_tepat"] = counts["tepat_waktu"] / counts["wajib"]
    out = counts.reset_index()
    out.columns.name = None
    return out.sort_values(["rate", *keys], kind="stable").reset_index(drop=True)


def summary_line(result: Compliance, lang: str = "id") -> str:
    """Counts only, for the terminal: never a name or an id."""
    c = result.counts()
    listed = sum(v for k, v in c.items() if k != UNLISTED)
    years = ", ".join(str(y) for y in result.years) or "-"
    return t("kepatuhan.summary", lang, years=years, listed=listed, tepat=c["tepat waktu"],
             terlambat=c["terlambat"], sudah=c["sudah lapor"], belum=c["belum lapor"], unlisted=c[UNLISTED])

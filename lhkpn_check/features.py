"""Features per declaration, per pair of consecutive declarations and per official.

The centre is the source and application of funds (the IRS net-worth method) between consecutive
declarations of one official:

    unexplained = (net worth change - revaluation of items held in both declarations)
                  + routine spending - recurring income - one-off sources (gifts, inheritance)

all over the years elapsed. Items held in both declarations are matched by (kategori, uraian, occurrence)
so that a land value rising with the market is revaluation, not new money; a new item is new money
unless its asal_usul is warisan / hibah / hadiah. Loans add as much debt as cash, so they cancel out.
Everything is groupby/shift/merge; no loop over rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lhkpn_check.income import INCOME_COLUMNS, INCOME_INPUT, add_income, norm_text
from lhkpn_check.parse import choose_text, distinct_rows, factorize, isin, run_start
from lhkpn_check.schema import HARTA_KATEGORI, PENGELUARAN

GIFT_ASAL = ("warisan", "hibah_dengan_akta", "hibah_tanpa_akta", "hadiah")
NO_DEED_ASAL = ("hibah_tanpa_akta", "hadiah")
REVALUED = ("tanah_bangunan", "alat_transportasi", "harta_bergerak_lain", "surat_berharga")

PEER_FEATURES = {
    "f_networth": ("harta bersih/penghasilan", "net worth/income"),
    "f_harta": ("harta/penghasilan", "assets/income"),
    "f_tanah": ("tanah & bangunan/penghasilan", "land & buildings/income"),
    "f_transport": ("alat transportasi/penghasilan", "vehicles/income"),
    "f_kas": ("kas/penghasilan", "cash/income"),
    "f_hutang": ("hutang/penghasilan", "debts/income"),
    "f_luxury": ("barang mewah/penghasilan", "luxury items/income"),
    "f_growth": ("kenaikan harta per tahun/penghasilan", "yearly net worth growth/income"),
    "f_unexplained": ("selisih tak terjelaskan/penghasilan", "unexplained remainder/income"),
    "f_spending": ("pengeluaran/penghasilan", "spending/income"),
}


def _num(frame: pd.DataFrame, col: str) -> pd.Series:
    if col in frame:
        return pd.to_numeric(frame[col], errors="coerce").astype(float)
    return pd.Series(np.nan, index=frame.index, dtype=float)


def declarations(laporan: pd.DataFrame, settings) -> pd.DataFrame:
    """One row per declaration, sorted (id_pn, tahun_lapor, tanggal_lapor, _row), with money features.
    The income columns are taken as they are when `laporan` has them (see `declaration_income`)."""
    lap, decl_seq = _in_declaration_order(laporan)
    if not all(c in lap for c in INCOME_COLUMNS):
        lap = add_income(lap, settings)
    parts = pd.DataFrame({c: _num(lap, c) for c in HARTA_KATEGORI})
    lap["harta_total"] = parts.sum(axis=1, min_count=1)
    lap["hutang_total"] = _num(lap, "hutang").fillna(0.0)
    declared_total = _num(lap, "total_harta_kekayaan")
    from_parts = lap["harta_total"].notna()
    lap["net_worth"] = (lap["harta_total"] - lap["hutang_total"]).where(from_parts, declared_total)
    lap["net_worth_source"] = choose_text(np.where(from_parts, 2, declared_total.notna().to_numpy().astype(int)),
                                          ("", "declared_total", "parts"), lap.index)
    lap["total_diff"] = (declared_total - (lap["harta_total"] - lap["hutang_total"])).where(from_parts)
    spend = pd.DataFrame({c: _num(lap, c) for c in PENGELUARAN})
    lap["spending_total"] = spend.sum(axis=1, min_count=1)
    lap["spending_declared"] = spend.notna().any(axis=1)
    for c in HARTA_KATEGORI:
        lap[c] = _num(lap, c)
    lap["decl_seq"] = decl_seq.astype(np.int64)
    return lap


def declaration_income(laporan: pd.DataFrame, settings) -> pd.DataFrame:
    """The income columns `declarations` adds (income.add_income, worked out in declaration order), for
    `laporan`'s rows in their own order. It reads only the laporan sheet, so a large batch works it out
    in the process that typed laporan, beside harta's typing; validate joins it to the accepted rows."""
    read = [c for c in (*INCOME_INPUT, "_id_pn_code", "tanggal_lapor", "_row") if c in laporan]
    lap, _ = _in_declaration_order(laporan[read].reset_index(drop=True), keep_index=True)
    back = np.empty(len(lap), dtype=np.int64)
    back[lap.index.to_numpy()] = np.arange(len(lap))
    return add_income(lap, settings)[list(INCOME_COLUMNS)].take(back).set_axis(laporan.index)


def _in_declaration_order(laporan: pd.DataFrame, keep_index: bool = False) -> tuple[pd.DataFrame, np.ndarray]:
    """The declarations sorted (id_pn, tahun_lapor, tanggal_lapor, _row), missing dates first, with the
    defaults `declarations` needs, and each one's number among its official's (decl_seq)."""
    lap = laporan.copy(deep=False)
    if "tanggal_lapor" not in lap:
        lap["tanggal_lapor"] = pd.NaT
    if "_row" not in lap:
        lap["_row"] = np.arange(2, len(lap) + 2)
    if "_sheet" not in lap:
        lap["_sheet"] = "laporan"
    lap["id_pn"] = lap["id_pn"].astype(str)
    sorted_ = _declaration_order(lap)
    if sorted_ is None:
        lap = lap.sort_values(["id_pn", "tahun_lapor", "tanggal_lapor", "_row"], kind="stable", na_position="first")
        decl_seq = lap.groupby("id_pn").cumcount().to_numpy()
    else:
        order, official = sorted_
        if not (order[1:] > order[:-1]).all():  # a sheet listed in that order already is not copied
            lap = lap.take(order)
        n = len(official)
        starts = np.r_[True, official[1:] != official[:-1]] if n else np.zeros(0, dtype=bool)
        decl_seq = np.arange(n) - run_start(starts)
    return (lap if keep_index else lap.reset_index(drop=True)), decl_seq


def _declaration_order(lap: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """Rows by (id_pn, tahun_lapor, tanggal_lapor, _row), missing dates first and ties in their order, and
    the officials' codes in that order: one hashing of the text ids and a sort of integers (sorting on the
    columns hashed the ids again). None when a column is not plain integers or dates."""
    tahun, tanggal, row = lap["tahun_lapor"], lap["tanggal_lapor"], lap["_row"]
    plain = all(isinstance(c.dtype, np.dtype) for c in (tahun, tanggal, row))
    if not (plain and tahun.dtype.kind in "iu" and tanggal.dtype.kind == "M" and row.dtype.kind in "iu"):
        return None
    if "_id_pn_code" in lap:  # validate ranked the ids already (parse.parse_id_coded)
        official = pd.factorize(lap["_id_pn_code"].to_numpy(dtype=np.int64), sort=True)[0]
    else:
        official = pd.factorize(lap["id_pn"].to_numpy(dtype=object), sort=True)[0]
    order = np.lexsort((row.to_numpy(), tanggal.to_numpy().view(np.int64), tahun.to_numpy(), official))
    return order, official[order]


def _days(values: pd.Series) -> np.ndarray:
    return pd.to_datetime(values).to_numpy(dtype="datetime64[D]").astype(np.int64)


def _official_codes(item_ids: pd.Series, decl_ids: pd.Series) -> tuple[np.ndarray, np.ndarray, int]:
    """Integer codes of the officials of items and of declarations (one text hashing of each column; items
    of officials with no declaration get -1), and the number of codes."""
    codes, uniques = factorize(item_ids.astype(str).to_numpy(dtype=object))
    known = pd.Index(uniques)
    decl_text = decl_ids.astype(str).to_numpy(dtype=object)
    decl_pid = known.get_indexer(decl_text).astype(np.int64)
    declared = np.zeros(len(known) + 1, dtype=bool)
    declared[decl_pid[decl_pid >= 0]] = True
    pid = np.where(declared[codes], codes, -1).astype(np.int64)
    unseen = decl_pid < 0  # officials who list no item
    if unseen.any():
        decl_pid[unseen] = len(known) + pd.factorize(decl_text[unseen])[0]
    return pid, decl_pid, int(decl_pid.max(initial=len(known) - 1)) + 1


def _official_numbers(items: pd.DataFrame, decl: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """`_official_codes`' item and declaration numbers from the ranks validate gave each sheet's ids
    (`_id_pn_code`): each sheet's distinct ids are matched once, instead of hashing every item's id text.
    Items of officials with no declaration get -1. None when either frame lacks the ranks."""
    if "_id_pn_code" not in items or "_id_pn_code" not in decl:
        return None
    item_rank = items["_id_pn_code"].to_numpy(dtype=np.int64)
    decl_rank = decl["_id_pn_code"].to_numpy(dtype=np.int64)

    def id_of_rank(ids: np.ndarray, rank: np.ndarray) -> np.ndarray:
        out = np.full(int(rank.max(initial=-1)) + 1, None, dtype=object)
        out[rank[rank >= 0]] = ids[rank >= 0]
        return out

    item_ids = id_of_rank(items["id_pn"].to_numpy(dtype=object), item_rank)
    decl_ids = id_of_rank(decl["id_pn"].to_numpy(dtype=object), decl_rank)
    present = np.flatnonzero(pd.notna(decl_ids))
    found = pd.Index(decl_ids[present]).get_indexer(item_ids)
    to_decl = np.append(np.where(found >= 0, present[np.maximum(found, 0)], -1), -1)
    return to_decl[item_rank], decl_rank


def item_declaration(items: pd.DataFrame, decl: pd.DataFrame, codes=None, *, with_year_found: bool = False):
    """Position in `decl` of the declaration each item belongs to, -1 for none. `codes`: the officials'
    (item, declaration) integer codes from `_official_codes`, when the caller has them already (else made
    from validate's id ranks when both frames carry them). With `with_year_found`, also whether its
    official declared in the item's year at all (the orphan check).

    Two declarations in one year (Khusus and Periodik) hold different items: the reporting date tells them
    apart. An item without a date, or whose date matches no declaration, goes to the latest declaration of
    its official and year. Declarations of one official on one date (in different years, in messy data)
    are told apart by year, then spreadsheet row, so the answer does not depend on the order of `decl`.
    """
    n_decl = len(decl)
    codes = codes or _official_numbers(items, decl) or _official_codes(items["id_pn"], decl["id_pn"])
    pid, decl_pid = codes[:2]
    decl_year = pd.to_numeric(decl["tahun_lapor"], errors="coerce").fillna(-1).to_numpy(dtype=np.int64)
    item_year = pd.to_numeric(items["tahun_lapor"], errors="coerce").fillna(-1).to_numpy(dtype=np.int64)
    decl_dated = decl["tanggal_lapor"].notna().to_numpy() if "tanggal_lapor" in decl else np.zeros(n_decl, bool)
    decl_day = np.where(decl_dated, _days(decl["tanggal_lapor"].fillna(pd.Timestamp(0))), np.iinfo(np.int64).min) \
        if decl_dated.any() else np.full(n_decl, np.iinfo(np.int64).min)
    # The latest declaration of each (official, year): positions sorted so that it comes last.
    order = np.lexsort((np.arange(n_decl), decl_day, decl_year, decl_pid))
    year_key = pd.Index(decl_pid[order] * 10_000 + decl_year[order])
    last = ~year_key.duplicated(keep="last")
    pos = pd.Index(year_key[last]).get_indexer(pid * 10_000 + item_year)
    pos = np.where((pos >= 0) & (pid >= 0), order[last][np.maximum(pos, 0)], -1)
    year_found = pos >= 0
    if "tanggal_lapor" in items and decl_dated.any():
        item_dated = items["tanggal_lapor"].notna().to_numpy() & (pid >= 0)
        if item_dated.any():
            dated_pos = np.flatnonzero(decl_dated)
            row = decl["_row"].to_numpy(dtype=np.int64) if "_row" in decl else np.arange(n_decl)
            dated_pos = dated_pos[np.lexsort((row[dated_pos], decl_year[dated_pos]))]
            date_key = pd.Index(decl_pid[dated_pos] * 1_000_000 + decl_day[dated_pos])
            first = ~date_key.duplicated(keep="first")
            item_key = pid * 1_000_000 + _days(items["tanggal_lapor"].fillna(pd.Timestamp(0)))
            hit = pd.Index(date_key[first]).get_indexer(np.where(item_dated, item_key, np.iinfo(np.int64).min))
            exact = (hit >= 0) & item_dated
            pos[exact] = dated_pos[first][hit[exact]]
    return (pos, year_found) if with_year_found else pos


def _declaration_rows(items: pd.DataFrame, decl: pd.DataFrame) -> np.ndarray | None:
    """`item_declaration` read off the `_decl_row` validate gives each item (the spreadsheet row of its
    declaration), without hashing the ids again; None when the items lack it or `decl`'s rows do not
    name one declaration each."""
    if "_decl_row" not in items or "_row" not in decl:
        return None
    rows = decl["_row"].to_numpy(dtype=np.int64)
    sorter = np.argsort(rows, kind="stable")
    ordered = rows[sorter]
    if len(ordered) > 1 and not (ordered[1:] > ordered[:-1]).all():
        return None
    pos = _sorted_lookup(ordered, items["_decl_row"].to_numpy(dtype=np.int64), sorter)
    return None if (pos < 0).any() else pos


def _sorted_lookup(keys: np.ndarray, queries: np.ndarray, values: np.ndarray) -> np.ndarray:
    """values[i] for the i where keys[i] == each query (-1 where none), for ascending `keys` (queries in any
    order; ascending ones are the fastest to look up)."""
    if not len(keys):
        return np.full(len(queries), -1, dtype=np.int64)
    at = np.searchsorted(keys, queries)
    np.minimum(at, len(keys) - 1, out=at)  # past the end: the last key, which is then not equal
    found = values[at]
    found[keys[at] != queries] = -1
    return found


def _sort_order(rows: np.ndarray, keys: tuple[np.ndarray, ...]) -> np.ndarray:
    """Positions ordered by `keys` (non-negative integers, the first most significant), then by `rows`: one
    stable sort of the keys packed into an int64 when they fit and rows already ascend, else lexsort."""
    packed, span = np.zeros(len(rows), dtype=np.int64), 1
    for key in keys:
        width = int(key.max(initial=0)) + 1
        span *= width
        if span >= 2 ** 62:
            return np.lexsort((rows, *reversed(keys)))
        packed = packed * width + key
    if len(rows) > 1 and not (rows[1:] >= rows[:-1]).all():
        return np.lexsort((rows, *reversed(keys)))
    return np.argsort(packed, kind="stable")


def item_changes(harta: pd.DataFrame, decl: pd.DataFrame, settings) -> pd.DataFrame:
    """Each item tagged with its declaration (decl_seq, and decl_pos: its row in `decl`), whether it is new
    since the previous declaration of the official (both must list items), and its value in that previous
    declaration.

    Worked out on integer arrays; the item table itself is taken once, in its final order."""
    if harta is None or harta.empty:
        return pd.DataFrame(columns=["id_pn", "tahun_lapor", "kategori", "uraian", "asal_usul", "nilai_pelaporan",
                                     "_row", "_sheet", "decl_seq", "is_new", "prev_value", "comparable"])
    id_text = harta["id_pn"].astype(str)
    rows = harta["_row"].to_numpy(dtype=np.int64) if "_row" in harta else np.arange(2, len(harta) + 2)
    # Integer keys throughout: merging and sorting millions of rows on text ids is the slow part otherwise.
    # Officials numbered in the order the items first list them: items usually come grouped so, and then
    # the final order below is the items' own and the table need not be taken row by row.
    pos = _declaration_rows(harta, decl)
    if pos is not None and "_id_pn_code" in harta:  # validate numbered the officials and matched the items
        pid = pd.factorize(harta["_id_pn_code"].to_numpy(dtype=np.int64))[0].astype(np.int64)
        n_ids = int(pid.max(initial=-1)) + 1 + len(decl)  # a bound: it only chooses how keys are packed
    else:
        codes = _official_codes(id_text, decl["id_pn"])
        pid, n_ids = codes[0], codes[2]
        pos = item_declaration(harta, decl, codes)
    seq = np.where(pos >= 0, decl["decl_seq"].to_numpy()[np.maximum(pos, 0)], -1).astype(np.int64)
    kept = np.flatnonzero((seq >= 0) & (pid >= 0))
    pid, seq, rows = pid[kept], seq[kept], rows[kept]
    values = _num(harta, "nilai_pelaporan").to_numpy()[kept]
    kat_code = factorize(harta["kategori"].astype(str).to_numpy()[kept])[0].astype(np.int64)
    if "_uraian_key" in harta:  # validate numbered the descriptions already
        text_code = harta["_uraian_key"].to_numpy(dtype=np.int64)[kept]
    else:
        uraian = harta["uraian"].to_numpy(dtype=object)[kept] if "uraian" in harta else np.full(len(kept), "", object)
        raw_code, raw_texts = pd.factorize(uraian, use_na_sentinel=False)
        text_code = pd.factorize(norm_text(pd.Series(raw_texts, dtype=object)).to_numpy())[0][raw_code]
    ikey = kat_code * (int(text_code.max(initial=0)) + 1) + text_code.astype(np.int64)

    # Occurrence of each (official, declaration, kategori, text) and the same item one declaration back,
    # in (official, declaration, key, row) order; then put back in kept order.
    order = _sort_order(rows, (pid, seq, ikey))
    n = len(order)
    n_seq, n_key = int(seq.max(initial=0)) + 2, int(ikey.max(initial=0)) + 1
    listed = pid[order]  # each item's declaration, pid * n_seq + seq: ascending, with repeats
    listed *= n_seq
    listed += seq[order]
    s_key = ikey[order]
    new_decl = np.ones(n, dtype=bool)
    if n:
        new_decl[1:] = listed[1:] != listed[:-1]
    starts = new_decl.copy()
    starts[1:] |= s_key[1:] != s_key[:-1]
    s_occ = np.arange(n) - run_start(starts)
    occ = np.empty(n, dtype=np.int64)
    occ[order] = s_occ
    n_occ = int(s_occ.max(initial=0)) + 1
    if float(n_ids + 1) * n_seq * n_key * n_occ < 2.0 ** 62:
        # Each item packed into one key, (listed * n_key + ikey) * n_occ + occ, made in place in `order`;
        # the same item one declaration back is that key less n_key * n_occ. Both ascend: matched by a
        # binary search of sorted queries, not a hash table of millions of keys.
        key = listed * n_key
        key += s_key
        key *= n_occ
        key += s_occ
        found = np.full(n, -1, dtype=np.int64)
        found[order] = _sorted_lookup(key, key - n_key * n_occ, order)
        prev_value = np.where(found >= 0, values[np.maximum(found, 0)], np.nan)
        is_new = found < 0
    else:  # keys too wide to pack into one integer: merge on the columns
        keys = pd.DataFrame({"p": pid, "s": seq, "k": ikey, "o": occ})
        prev = keys.assign(s=seq + 1, prev_value=values)
        merged = keys.merge(prev, on=["p", "s", "k", "o"], how="left")
        prev_value = merged["prev_value"].to_numpy()
        is_new = np.isnan(prev_value.astype(float)) & ~keys.merge(
            prev[["p", "s", "k", "o"]].assign(_m=True), on=["p", "s", "k", "o"], how="left")["_m"].notna().to_numpy()
    # Comparable: the official's previous declaration lists items too; looked up once per declaration.
    listing = listed[new_decl]
    follows = _sorted_lookup(listing, listing - 1, np.zeros(len(listing), dtype=np.int64)) >= 0
    comparable = np.empty(n, dtype=bool)
    comparable[order] = follows[np.cumsum(new_decl) - 1]

    final = _sort_order(rows, (pid, seq))
    taken = kept[final]
    if len(taken) == len(harta) and (taken == np.arange(len(taken))).all():  # already in order, all kept
        h = harta.reset_index(drop=True)
    else:
        h = harta.take(taken).reset_index(drop=True)
    _attach(h, id_pn=id_text.to_numpy()[taken])
    if "_row" not in h:
        h["_row"] = rows[final]
    if "_sheet" not in h:
        h["_sheet"] = "harta"
    if "asal_usul" not in h:
        h["asal_usul"] = None
    _attach(h, nilai_pelaporan=values[final], decl_seq=seq[final], decl_pos=pos[taken], ikey=ikey[final],
            occ=occ[final], prev_value=prev_value[final], comparable=comparable[final],
            is_new=is_new[final] & comparable[final])
    return h


def _attach(frame: pd.DataFrame, **columns: np.ndarray) -> None:
    """Set arrays made for `frame` alone as its columns, without the copy of each that pandas makes of an
    array it is given (at 3.5M items, 28 MB of fresh memory per column: ~40 ms each on this machine)."""
    for name, values in columns.items():
        frame[name] = pd.Series(values, index=frame.index, copy=False)


def _decl_positions(decl: pd.DataFrame, frame: pd.DataFrame) -> np.ndarray:
    """Row of `decl` that each row of `frame` (items or luxury) belongs to by (id_pn, decl_seq); -1 for
    none, which indexes the extra slot callers append. item_changes' decl_pos when it matches `decl`."""
    if "decl_pos" in frame:
        pos = frame["decl_pos"].to_numpy(dtype=np.int64)
        if len(pos) and pos.min() >= 0 and pos.max() < len(decl):
            same = (decl["decl_seq"].to_numpy()[pos] == frame["decl_seq"].to_numpy()).all()
            if same and "_decl_row" in frame and "_row" in decl and decl["_row"].is_unique:
                # the declaration's own row, as validate gave it: integers, not millions of id texts
                same = (decl["_row"].to_numpy()[pos] == frame["_decl_row"].to_numpy()).all()
            elif same:
                same = (decl["id_pn"].to_numpy()[pos] == frame["id_pn"].to_numpy()).all()
            if same:
                return pos
    ids = pd.Index(pd.unique(decl["id_pn"]))
    width = int(max(decl["decl_seq"].max(), frame["decl_seq"].max(), 0)) + 1
    own = ids.get_indexer(decl["id_pn"]).astype(np.int64) * width + decl["decl_seq"].to_numpy(dtype=np.int64)
    pid = ids.get_indexer(frame["id_pn"]).astype(np.int64)
    wanted = np.where(pid >= 0, pid * width + frame["decl_seq"].to_numpy(dtype=np.int64), -1)
    return pd.Index(own).get_indexer(wanted)


def funds(decl: pd.DataFrame, items: pd.DataFrame, luxury: pd.DataFrame, settings) -> pd.DataFrame:
    """Adds the consecutive-declaration features and the source and application of funds."""
    d = decl
    g = d.groupby("id_pn", sort=False)
    for col in ("net_worth", "hutang_total", "kas", "surat_berharga", "tahun_lapor", "tanggal_lapor", "_row",
                "harta_total"):
        d[f"prev_{col}"] = g[col].shift(1)
    gap_date = (pd.to_datetime(d["tanggal_lapor"]) - pd.to_datetime(d["prev_tanggal_lapor"])).dt.days / 365.25
    gap_year = (d["tahun_lapor"] - d["prev_tahun_lapor"]).astype(float)
    # Periodik declarations at 31 December: a year is a year, not 365 or 366 days.
    gap_date = gap_date.where((gap_date - gap_year).abs() >= 0.1, gap_year)
    gap = gap_date.where(gap_date.notna(), gap_year).astype(float)
    d["years_elapsed"] = gap.where(gap > 0)

    zero = pd.Series(0.0, index=d.index)
    if len(items):
        it = items
        at = _decl_positions(d, it)
        is_new = it["is_new"].to_numpy(dtype=bool)
        comparable_any = it["comparable"].to_numpy(dtype=bool)
        comp = comparable_any & ~is_new & isin(it["kategori"], REVALUED)
        comparable = it.loc[comp, ["nilai_pelaporan", "prev_value"]]
        gap_of = np.append(d["years_elapsed"].to_numpy(dtype=float), np.nan)
        comp_gap = gap_of[at[comp]]
        diff = comparable["nilai_pelaporan"] - comparable["prev_value"]
        cap = comparable["prev_value"].abs() * float(settings.revaluation_cap_rate) * np.nan_to_num(comp_gap, nan=1.0)
        reval = diff.clip(upper=cap)

        def per_decl(mask: np.ndarray, values) -> np.ndarray:
            """Sum per declaration (pandas' compensated group sum, in item order); 0 where none."""
            s = pd.Series(np.asarray(values, dtype=float)).groupby(at[mask]).sum()
            out = np.zeros(len(d))
            found = s.index.to_numpy() >= 0
            out[s.index.to_numpy()[found]] = s.to_numpy()[found]
            return out

        d["revaluation"] = per_decl(comp, reval.fillna(0))
        new = it.loc[is_new, ["kategori", "asal_usul", "nilai_pelaporan"]]
        kategori, asal = new["kategori"].to_numpy(), new["asal_usul"]
        value = new["nilai_pelaporan"].fillna(0).to_numpy()
        gift = asal.isin(GIFT_ASAL).to_numpy() & (kategori != "hutang")
        is_loan = kategori == "hutang"
        for col, mask in (("new_gift_value", gift), ("new_loans_items", is_loan), ("new_assets_value", ~is_loan)):
            whole = np.zeros(len(it), dtype=bool)
            whole[np.flatnonzero(is_new)[mask]] = True
            d[col] = per_decl(whole, value[mask])
        has_diff = np.zeros(len(d) + 1, dtype=bool)
        has_diff[at[comparable_any]] = True
        d["has_item_diff"] = has_diff[:-1]
    else:
        for col in ("revaluation", "new_gift_value", "new_loans_items", "new_assets_value"):
            d[col] = zero
        d["has_item_diff"] = False

    years = d["years_elapsed"]
    income = d["income_yearly"]
    routine_declared = _num(d, "pengeluaran_rutin")
    share = float(settings.estimated_spending_share)
    d["routine_yearly"] = routine_declared.where(d["spending_declared"], income * share)
    d["income_period"] = income * years
    d["routine_period"] = d["routine_yearly"] * years
    new_loans = d["new_loans_items"].where(d["has_item_diff"],
                                           (d["hutang_total"] - d["prev_hutang_total"]).clip(lower=0))
    lainnya = _num(d, "penerimaan_lainnya").fillna(0.0)
    d["new_loans"] = new_loans.fillna(0.0)
    d["other_sources"] = np.maximum(d["new_gift_value"], (lainnya - d["new_loans"]).clip(lower=0))
    d["net_worth_change"] = d["net_worth"] - d["prev_net_worth"]
    unexplained = (d["net_worth_change"] - d["revaluation"] + d["routine_period"] - d["income_period"]
                   - d["other_sources"])
    d["unexplained"] = unexplained.where(years.notna())
    d["debt_drop"] = (d["prev_hutang_total"] - d["hutang_total"]).clip(lower=0).where(years.notna())
    positive = d["unexplained"].clip(lower=0)
    d["payoff_unexplained"] = np.minimum(d["debt_drop"], positive)
    d["growth_unexplained"] = positive - d["payoff_unexplained"]
    d["unexplained_years"] = d["unexplained"] / income
    d["growth_yearly_income"] = d["net_worth_change"] / (income * years)

    # Money and debt ratios of the declaration itself.
    d["kas_ratio"] = d["kas"] / income
    liquid_prev = d["prev_kas"].fillna(0) + d["prev_surat_berharga"].fillna(0)
    liquid_now = d["kas"].fillna(0) + d["surat_berharga"].fillna(0)
    liquid = liquid_prev.where(d["prev_kas"].notna() | d["prev_surat_berharga"].notna(), liquid_now)
    d["liquid_start"] = liquid
    d["ability"] = d["income_declared"].fillna(0) + liquid
    d["spending_ratio"] = (d["spending_total"] / d["ability"].where(d["ability"] > 0)).where(d["spending_declared"])
    capacity = income - d["routine_yearly"]
    d["debt_ratio"] = d["hutang_total"] / income
    d["repay_years"] = (d["hutang_total"] / capacity.where(capacity > 0)).fillna(np.inf).where(d["hutang_total"] > 0, 0)

    if luxury is not None and len(luxury):
        at = _decl_positions(d, luxury)
        lux = luxury["nilai_pelaporan"].reset_index(drop=True).groupby(at).sum()
        value = np.zeros(len(d) + 1)
        value[lux.index.to_numpy()] = lux.to_numpy()
        d["luxury_value"] = value[:-1]
    else:
        d["luxury_value"] = 0.0
    d["luxury_ratio"] = d["luxury_value"] / income
    return d


def officials(decl: pd.DataFrame, settings) -> pd.DataFrame:
    """One row per official: the latest declaration, its peer features (log scale) and peer group."""
    d = decl.reset_index(drop=True)
    # validate's rank of each id (text order) groups and orders the officials as the texts would
    by = d["_id_pn_code"].to_numpy(dtype=np.int64) if "_id_pn_code" in d else d["id_pn"].to_numpy()
    g = d.groupby(by, sort=True)
    if len(by) and (by[1:] >= by[:-1]).all():  # in official order already (as `declarations` gives them)
        latest = d.take(np.flatnonzero(np.r_[by[1:] != by[:-1], True])).set_index("id_pn")
    else:
        last = g.tail(1)
        latest = last.iloc[np.argsort(by[last.index.to_numpy()], kind="stable")].set_index("id_pn")  # in group order
    inc = latest["income_yearly"].where(latest["income_yearly"] > 0)
    out = latest.copy(deep=False)  # the new columns go to `out` alone

    def lg(x):
        return np.log1p(np.clip(x, 0, None))

    out["f_networth"] = np.arcsinh(latest["net_worth"] / inc)
    out["f_harta"] = lg(latest["harta_total"] / inc)
    out["f_tanah"] = lg(latest["tanah_bangunan"] / inc)
    out["f_transport"] = lg(latest["alat_transportasi"] / inc)
    out["f_kas"] = lg(latest["kas"] / inc)
    out["f_hutang"] = lg(latest["hutang_total"] / inc)
    out["f_luxury"] = lg(g["luxury_ratio"].max().to_numpy())
    out["f_growth"] = np.arcsinh(g["growth_yearly_income"].max().to_numpy())
    out["f_unexplained"] = np.arcsinh(g["unexplained_years"].max().to_numpy())
    out["f_spending"] = lg((latest["spending_total"] / inc).where(latest["spending_declared"]))
    out["n_declarations"] = g.size().to_numpy()
    out["first_tahun"] = g["tahun_lapor"].min().to_numpy()
    out["peer_group"] = peer_groups(out["eselon_used"], out["tingkat"], int(settings.peer_group_min_size))
    return out.reset_index()


ESELON_FAMILY = {"Kepala Daerah": "pimpinan", "I": "pimpinan", "II": "pimpinan", "III": "administrator",
                 "IV": "administrator", "DPRD": "dprd"}


def peer_levels(eselon: pd.Series, tingkat: pd.Series) -> list[pd.Series]:
    """Peer-group labels from finest to coarsest: eselon x level, eselon, family, everyone."""
    es = eselon.fillna("non-eselon").astype(str)
    fam = es.map(ESELON_FAMILY).fillna("lainnya")
    return [es + " / " + tingkat.fillna("lainnya").astype(str), es, "kelompok " + fam,
            pd.Series("semua", index=es.index)]


def peer_groups(eselon: pd.Series, tingkat: pd.Series, min_size: int) -> pd.Series:
    """The finest label whose group has at least min_size members (coarser otherwise). Worked out once per
    distinct (eselon, tingkat): a batch has a few dozen of them for hundreds of thousands of officials."""
    pair, first = distinct_rows(pd.DataFrame({"e": eselon.to_numpy(), "t": tingkat.to_numpy()}))
    members = pd.Series(np.bincount(pair, minlength=len(first)), dtype=np.int64)
    levels = peer_levels(eselon.iloc[first].reset_index(drop=True), tingkat.iloc[first].reset_index(drop=True))
    out = levels[-1].copy()
    done = pd.Series(False, index=out.index)
    for labels in levels[:-1]:
        big = labels.map(members.groupby(labels.to_numpy()).sum()) >= min_size
        out[big & ~done] = labels[big & ~done]
        done |= big
    return pd.Series(out.to_numpy()[pair], index=eselon.index, dtype=out.dtype)

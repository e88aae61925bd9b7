"""The report in a real browser: headless Chromium from file://, network off.

Checks what only a browser can: the plotly charts draw (svg.main-svg inside each chart container),
the ranking table reads its filter and sort from the URL hash, and the screenshots are not blank.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from lhkpn_check.report.html import dossier_stems, write_html
from lhkpn_check.settings import Settings

import report_fixtures as rf

pytestmark = pytest.mark.browser

CHROMIUM = next((p for p in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                             shutil.which("chromium-browser"), shutil.which("google-chrome"))
                 if p and Path(p).is_file()), None)
if CHROMIUM is None:
    pytest.skip("headless Chromium not found (apt-get install chromium, or set CHROMIUM=/path)",
                allow_module_level=True)

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
         "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
         # network off: every host resolves to nothing and any proxy use goes to a closed port
         "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--virtual-time-budget=8000", "--run-all-compositor-stages-before-draw"]


def _chromium(tmp: Path, url: str, *extra: str) -> str:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    batch, analysis = rf.build(n=12)
    out = tmp / "laporan"
    write_html(out, batch, analysis, Settings(), manifest=rf.manifest(batch))
    return tmp, out, analysis


def _rows(dom: str) -> list[tuple[bool, list[str]]]:
    """(visible, cell texts) of each ranking row, in DOM order."""
    body = re.search(r'<table id="ranking".*?<tbody>(.*?)</tbody>', dom, re.S).group(1)
    out = []
    for attrs, inner in re.findall(r"<tr([^>]*)>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", inner, re.S)]
        out.append(("hidden" not in attrs, cells))
    return out


def _charts_drawn(dom: str, ids) -> None:
    for chart in ids:
        start = dom.index(f'id="chart-{chart}"')
        segment = dom[start:start + 200_000]
        assert 'class="main-svg"' in segment[:segment.find("</figure>") if "</figure>" in segment else None], chart


def test_index_filters_by_hash(site):
    tmp, out, analysis = site
    dom = _chromium(tmp, (out / "index.html").as_uri() + "#tier=tinggi", "--dump-dom")
    rows = _rows(dom)
    assert len(rows) == len(analysis.ranking)
    visible = [cells for shown, cells in rows if shown]
    expected = int((analysis.ranking["tier"] == "tinggi").sum())
    assert 0 < len(visible) == expected < len(rows)
    labels = {cells[2] for cells in visible}
    assert labels == {"tinggi"}
    # markup from the data is text in the DOM, never an element
    assert "<script>alert(1)</script>" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom


def test_index_sorts_by_hash(site):
    tmp, out, analysis = site
    dom = _chromium(tmp, (out / "index.html").as_uri() + "#sort=ml_score&dir=asc", "--dump-dom")
    ranks = [int(cells[0]) for shown, cells in _rows(dom) if shown]
    expected = analysis.ranking.sort_values(["ml_score", "rank"])["rank"].tolist()
    assert ranks == expected
    assert 'data-key="ml_score" data-type="num" aria-sort="ascending"' in dom


def test_index_charts_render(site):
    tmp, out, _ = site
    dom = _chromium(tmp, (out / "index.html").as_uri(), "--dump-dom")
    _charts_drawn(dom, ("scores", "units", "wealth"))
    assert re.search(r"Menampilkan 12 dari 12 pejabat", dom)


def test_dossier_charts_render(site):
    tmp, out, analysis = site
    page = out / "pejabat" / f"{dossier_stems(analysis)[analysis.ranking['id_pn'].iloc[0]]}.html"
    dom = _chromium(tmp, page.as_uri(), "--dump-dom")
    _charts_drawn(dom, ("wealth", "composition"))
    assert '<html lang="id">' in dom


def _not_blank(png: Path) -> None:
    assert png.stat().st_size > 20_000, png
    try:
        from PIL import Image, ImageStat
    except ImportError:  # size alone then
        return
    with Image.open(png) as image:
        stat = ImageStat.Stat(image.convert("L"))
        assert stat.stddev[0] > 10, (png, stat.stddev)


@pytest.mark.parametrize("which", ["index", "dossier"])
def test_screenshots_not_blank(site, which):
    tmp, out, analysis = site
    page = out / "index.html" if which == "index" else \
        out / "pejabat" / f"{dossier_stems(analysis)[analysis.ranking['id_pn'].iloc[0]]}.html"
    _screenshot(tmp, page, which)


def _screenshot(tmp: Path, page: Path, name: str) -> None:
    """Screenshot `page`, check it is not blank, keep a copy in $LHKPN_SCREENSHOTS when set."""
    png = tmp / f"{name}.png"
    _chromium(tmp, page.as_uri(), f"--screenshot={png}", "--window-size=1366,2400")
    _not_blank(png)
    keep = os.environ.get("LHKPN_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(png, Path(keep) / png.name)


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    """A generated sample batch run through the real command, as an auditor would get it."""
    from click.testing import CliRunner

    from lhkpn_check.cli import main
    from lhkpn_check.sample import generate, write_sample

    tmp = tmp_path_factory.mktemp("browser-sample")
    write_sample(generate(n_officials=60, years=3, seed=21), tmp / "masukan", fmt="csv")
    out = tmp / "hasil"
    done = CliRunner().invoke(main, ["run", str(tmp / "masukan"), "--out", str(out)])
    assert done.exit_code == 0, done.output
    return tmp, out


def test_sample_batch_index_and_dossier_render_offline(sample_site):
    tmp, out = sample_site

    ranking = pd.read_csv(out / "ranking.csv", dtype=str)
    dom = _chromium(tmp, (out / "index.html").as_uri() + "#tier=tinggi", "--dump-dom")
    _charts_drawn(dom, ("scores", "units", "wealth"))
    rows = _rows(dom)
    assert len(rows) == len(ranking)
    shown = [cells for visible, cells in rows if visible]
    assert 0 < len(shown) == int((ranking["tier"] == "tinggi").sum()) < len(rows)

    first = re.search(r'href="(pejabat/[^"]+\.html)"', dom).group(1)
    dossier = _chromium(tmp, (out / first).as_uri(), "--dump-dom")
    _charts_drawn(dossier, ("wealth", "composition"))
    _screenshot(tmp, out / "index.html", "sampel-index")
    _screenshot(tmp, out / first, "sampel-dossier")

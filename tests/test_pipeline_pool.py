"""The order in which a run hands work to its pool (pipeline._read_validate_shared)."""

from concurrent.futures import Future

from lhkpn_check import pipeline
from lhkpn_check import pool as pools
from lhkpn_check.settings import Settings


class _InlinePool:
    """A stand-in pool that runs each task as it is submitted (its result ready at once)."""

    _max_workers = 1

    def submit(self, fn, *args, **kwargs):
        future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_the_warm_up_waits_until_this_process_has_typed_its_sheet(tmp_path, monkeypatch):
    """Typing harta hands the pool tasks this process then waits for; a worker takes its tasks in order, so
    a warm-up handed over before them (PyOD's import and fit, the templates) would keep the reading waiting.
    The warm-up is handed over once this process's sheet is typed; the batch is the one process's batch."""
    from lhkpn_check.sample import generate, write_sample
    from lhkpn_check.validate import load_batch

    write_sample(generate(n_officials=40, years=3, seed=5), tmp_path, fmt="xlsx")
    path = tmp_path / "sampel.xlsx"
    log = []
    real_read_part = pipeline.read_part

    def read_part(path, only, *args, **kwargs):
        out = real_read_part(path, only, *args, **kwargs)
        log.append(("typed", "harta" if "harta" in only else "laporan"))
        return out

    monkeypatch.setattr(pipeline, "read_part", read_part)
    monkeypatch.setattr(pools, "warm_up", lambda pool, lang: log.append(("warm_up", lang)))
    stages: dict = {}
    batch = pipeline._read_validate_shared(path, Settings(), "en", pipeline._Timer(False), stages, _InlinePool())
    assert log == [("typed", "laporan"), ("typed", "harta"), ("warm_up", "en")]
    alone = load_batch(path, Settings())
    assert len(batch.laporan) == len(alone.laporan) and len(batch.harta) == len(alone.harta)
    assert {"read", "validate"} <= stages.keys()

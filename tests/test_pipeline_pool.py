"""The order in which a run hands work to its pool (pipeline._read_validate_shared)."""

from concurrent.futures import Future
from pathlib import Path

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


def test_the_warm_up_follows_the_workers_reading_before_this_process_reads(tmp_path, monkeypatch):
    """The worker reads the smaller sheets, so its warm-up (PyOD's import and fit, the templates) is handed
    over at once, to run while this process still reads and types harta: handed over later, the peer
    scoring and the temuan matching waited for it. The batch is the one process's batch."""
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
    assert log == [("typed", "laporan"), ("warm_up", "en"), ("typed", "harta")]
    alone = load_batch(path, Settings())
    assert len(batch.laporan) == len(alone.laporan) and len(batch.harta) == len(alone.harta)
    assert {"read", "validate"} <= stages.keys()


def test_the_shared_read_lists_every_input_file_hashed_once(tmp_path, monkeypatch):
    """With a pool, the worker hashes every input file, the one this process reads too (which it does not
    hash): the files listed, with their digests and sizes, are those one process lists."""
    from lhkpn_check import reader
    from lhkpn_check.sample import generate, write_sample
    from lhkpn_check.validate import load_batch

    write_sample(generate(n_officials=40, years=3, seed=5), tmp_path / "in", fmt="csv")
    alone = load_batch(tmp_path / "in", Settings())
    hashed = []
    real_sha256 = reader._sha256
    monkeypatch.setattr(reader, "_sha256", lambda path: hashed.append(path.name) or real_sha256(path))
    batch = pipeline._read_validate_shared(tmp_path / "in", Settings(), "id", pipeline._Timer(False), {},
                                           _InlinePool())
    assert batch.inputs == alone.inputs and all(f.sha256 for f in batch.inputs)
    assert len(alone.inputs) > 1 and sorted(hashed) == sorted(Path(f.path).name for f in alone.inputs)

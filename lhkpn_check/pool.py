"""The worker processes of a run (`--jobs N`): this process and N - 1 spawned workers.

Spawned, not forked, on every system: a run behaves the same on Windows, macOS and Linux. A spawned
worker imports pandas and the library afresh, so the pool is started before reading (its imports overlap
the reading here), and work handed to it is small: a file path, the peer groups' matrices, dossier
tables; never the whole batch. Every piece of work gives the same result wherever it runs, so the
outputs are the same for every N.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable

JOBS_ENV = "LHKPN_CHECK_JOBS"
"""The default of `--jobs` when set (the test suite runs under either setting through it)."""


def default_jobs() -> int:
    """`LHKPN_CHECK_JOBS` when it holds a whole number from 1 on, else the machine's cores."""
    value = os.environ.get(JOBS_ENV, "").strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    return os.cpu_count() or 1


def _start() -> None:
    """Each worker, as it starts: what reading and typing a sheet needs (the first task of a run)."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    from lhkpn_check import reader, validate  # noqa: F401


def _warm_up(lang: str) -> int:
    """PyOD fitted once and the templates of the run's language compiled: a task handed to every worker
    behind its reading, so that the temuan matching, the peer groups and the dossiers find them ready."""
    import warnings

    from lhkpn_check import scoring
    from lhkpn_check.report import html

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scoring.warm_up()
    html.warm_up(lang)
    return os.getpid()


def _ready() -> int:
    return os.getpid()


_pools: dict[int, ProcessPoolExecutor] = {}


def get(jobs: int) -> ProcessPoolExecutor | None:
    """The pool of `jobs - 1` workers (None for one job), started now. A pool outlives the run that started
    it, so that later runs in the same process (a test suite, a notebook) do not import everything again;
    Python stops it at exit."""
    workers = int(jobs) - 1
    if workers < 1:
        return None
    pool = _pools.get(workers)
    if pool is not None and not getattr(pool, "_broken", False) and not getattr(pool, "_shutdown_thread", False):
        return pool
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_start)
    for _ in range(workers):  # workers are spawned as work arrives: this starts them all now
        pool.submit(_ready)
    _pools[workers] = pool
    return pool


_warming: dict[int, list[Future]] = {}


def warm_up(pool: ProcessPoolExecutor | None, lang: str) -> None:
    """Hand every worker the warm-up (`_warm_up`) for a report in `lang`; it runs after the tasks handed
    over before it."""
    if pool is not None:
        _warming[id(pool)] = [pool.submit(_warm_up, lang) for _ in range(getattr(pool, "_max_workers", 1))]


def warming(pool: ProcessPoolExecutor | None) -> bool:
    """Whether the pool's workers are still busy with the warm-up: a task handed over now would wait for it,
    and a task the executor has queued cannot be taken back (see `Shared.results`)."""
    return pool is not None and not all(f.done() for f in _warming.get(id(pool), []))


def discard(pool: ProcessPoolExecutor | None) -> None:
    """Forget a pool that failed, so that the next run starts a new one."""
    _warming.pop(id(pool), None)  # a later pool may be given the same id
    for key, value in list(_pools.items()):
        if value is pool:
            del _pools[key]
            pool.shutdown(wait=False, cancel_futures=True)


class Shared:
    """Tasks shared between the pool and this process: each is submitted to the pool as `tasks` yields it
    (a generator can make the later tasks while workers run the first); `results()` runs here every task
    no worker has taken yet (this process is free by then), waits for the others, and returns all results
    in task order. Without a pool every task runs here; with `help_here` false, every task the pool took
    runs there (for work whose first task here would cost more than waiting, such as importing PyOD)."""

    def __init__(self, pool: ProcessPoolExecutor | None, fn: Callable, tasks: Iterable[tuple],
                 help_here: bool = True):
        self.fn, self.tasks, self.help_here = fn, [], help_here
        self.futures: list[Future | None] = []
        for args in tasks:
            future = None
            if pool is not None:
                try:
                    future = pool.submit(fn, *args)
                except BrokenProcessPool:
                    discard(pool)
                    pool = None
            self.tasks.append(args)
            self.futures.append(future)

    def results(self) -> list:
        out: list = [None] * len(self.tasks)
        # The last tasks first: the workers take tasks from the front.
        here = {i for i in reversed(range(len(self.tasks)))
                if self.futures[i] is None or (self.help_here and self.futures[i].cancel())}
        for i in sorted(here):
            out[i] = self.fn(*self.tasks[i])
        for i, future in enumerate(self.futures):
            if i not in here:
                out[i] = future.result()
        return out

    def cancel(self) -> None:
        """Cancel the tasks no worker has taken, and wait for the others to end (what they wrote may then
        be removed; what they raised is dropped)."""
        running = [f for f in self.futures if f is not None and not f.cancel()]
        wait(running)

"""pool.Shared: tasks handed to the workers as they are made, the rest run here, results in task order."""

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from lhkpn_check import pool as pools


def _square(x):
    return x * x


class _Recorder:
    """A stand-in pool: it records when each task is submitted and leaves every task untaken (cancellable),
    so that Shared.results runs them here; with `broken_at`, that submission raises as a broken pool does."""

    def __init__(self, log, broken_at=None):
        self.log, self.broken_at, self.submitted = log, broken_at, 0
        self._max_workers = 1

    def submit(self, fn, *args):
        if self.submitted == self.broken_at:
            raise BrokenProcessPool("gone")
        self.submitted += 1
        self.log.append(("submitted", args))
        return Future()

    def shutdown(self, wait=True, cancel_futures=False):
        self.log.append(("shutdown",))


def _tasks(log, n):
    for i in range(n):
        log.append(("made", (i,)))
        yield (i,)


def test_each_task_is_submitted_as_soon_as_it_is_made():
    log = []
    shared = pools.Shared(_Recorder(log), _square, _tasks(log, 3))
    assert log == [("made", (0,)), ("submitted", (0,)), ("made", (1,)), ("submitted", (1,)),
                   ("made", (2,)), ("submitted", (2,))]
    assert shared.results() == [0, 1, 4]


def test_without_a_pool_every_task_runs_here_in_order():
    assert pools.Shared(None, _square, _tasks([], 4)).results() == [0, 1, 4, 9]
    assert pools.Shared(None, _square, []).results() == []


def test_a_pool_that_breaks_midway_leaves_the_remaining_tasks_to_this_process(monkeypatch):
    log = []
    broken = _Recorder(log, broken_at=1)
    forgotten = []
    monkeypatch.setattr(pools, "discard", lambda p: forgotten.append(p))
    shared = pools.Shared(broken, _square, _tasks(log, 4))
    assert forgotten == [broken] and broken.submitted == 1
    assert shared.futures[0] is not None and shared.futures[1:] == [None, None, None]
    assert shared.results() == [0, 1, 4, 9]


def test_with_help_here_false_the_tasks_the_pool_took_run_there(monkeypatch):
    """Peer scoring with PyOD not yet imported here: waiting for the workers costs less than the import."""
    import threading

    class _Later(_Recorder):
        """Each task's result arrives from the 'worker' a moment after it is submitted."""

        def submit(self, fn, *args):
            future = super().submit(fn, *args)
            threading.Timer(0.05, lambda: future.set_running_or_notify_cancel() and future.set_result(-1)).start()
            return future

    assert pools.Shared(_Later([]), _square, _tasks([], 3), help_here=False).results() == [-1, -1, -1]
    assert pools.Shared(_Later([]), _square, _tasks([], 3)).results() == [0, 1, 4]


def test_no_task_is_handed_over_while_the_workers_warm_up(monkeypatch):
    """A task queued behind the warm-up can no longer be taken back: it would keep this process waiting."""
    from lhkpn_check import validate

    monkeypatch.setattr(validate, "FIELDS_PER_TASK", 2)
    texts = [f"MOBIL, TOYOTA AVANZA Tahun {2000 + i}, HASIL SENDIRI" for i in range(5)]
    pool = _Recorder([])
    warm = Future()
    monkeypatch.setattr(pools, "_warming", {id(pool): [warm]})
    assert pools.warming(pool)
    alone = validate._distinct_fields(texts)
    assert validate._distinct_fields(texts, pool).equals(alone) and pool.submitted == 0
    warm.set_result(1)
    assert not pools.warming(pool)
    assert validate._distinct_fields(texts, pool).equals(alone) and pool.submitted == 3

"""A function run in a forked child process, its return value (or exception) coming back pickled.

The machine an inspectorate runs this on has a second core that a pandas pipeline leaves idle. Large
batches use it for work that needs little input and gives back little: a sheet typed on its own, the HTML
beside the workbook, the peer scoring beside the rules. Forking (Linux, macOS) shares the parent's memory
copy-on-write, so the child starts with the batch already in hand.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import threading
import time
from typing import Callable

CAN_FORK = hasattr(os, "fork")
PIPE_BYTES = 1 << 20
"""A drained pipe's size, where the system lets it be set (Linux; its default limit for a process that is not
privileged)."""


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


_LENGTH = struct.Struct("<Q")


def _read_message(fd: int) -> bytearray | None:
    """The next message `_write_message` sent, read straight into one buffer of its length (no chunks to
    join); None at the end of the pipe, empty when the writer ended partway through."""
    head = b""
    while len(head) < _LENGTH.size and (chunk := os.read(fd, _LENGTH.size - len(head))):
        head += chunk
    if not head:
        return None
    message = bytearray(_LENGTH.unpack(head)[0] if len(head) == _LENGTH.size else 0)
    view, got = memoryview(message), 0
    while got < len(message) and (n := os.readv(fd, [view[got:]])):
        got += n
    return message if got == len(message) and len(head) == _LENGTH.size else bytearray()


def _write_message(fd: int, data: bytes) -> None:
    _write_all(fd, _LENGTH.pack(len(data)))
    _write_all(fd, data)


class _Posted:
    """A message a child posts before its result (see Forked's `posts`)."""

    def __init__(self, value):
        self.value = value


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class Forked:
    """`fn()` (or `fn(receive)` with `takes_input`) running in a forked child from construction on, or,
    with `dormant`, from `wake()` on: forked while this process is still small, it then shares none of the
    memory this process fills meanwhile, which spares both processes the copy-on-write faults that follow
    the fork of a large process.

    `send(obj)` hands the child one object, which its `receive()` returns (it may be called before the
    child asks for it: a thread writes it, so this process never waits on the child). `result()` waits for
    the child (waking it if dormant) and returns (seconds `fn` took, what it returned), or raises what
    `fn` raised. `cancel()` stops the child; every Forked must end with `result()` or `cancel()`.

    With `drain`, a thread here reads what the child sends as it sends it, so that a large result (a typed
    sheet: ~230 MB at 200,000 officials) has crossed by the time this process asks for it, instead of
    crossing then, 64 KiB at a time (~0.4 s). Only for a child beside which this process forks nothing
    until `result()`: a fork while that thread runs could copy a lock it holds.

    With `posts`, `fn(post)` may hand this process one object before it returns, which `posted()` waits
    for and returns: the laporan reader posts its typed sheets, then works out the declarations' income
    while this process checks the batch."""

    _parent_ends: set[int] = set()
    """This process's ends of the pipes to other children: a new child closes its copies, so that a child
    waiting for its input sees the end of it when this process closes its end."""

    def __init__(self, name: str, fn: Callable, *, takes_input: bool = False, dormant: bool = False,
                 drain: bool = False, posts: bool = False):
        if takes_input and posts:
            raise ValueError("a child either takes an input or posts a message early, not both")
        self.name = name
        out_read, out_write = os.pipe()
        in_read, in_write = os.pipe() if takes_input else (-1, -1)
        wake_read, wake_write = os.pipe() if dormant else (-1, -1)
        gc.freeze()  # the child then leaves the parent's objects alone instead of copying them to collect
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; its outcome is checked by the parent
            os.close(out_read)
            for fd in Forked._parent_ends:
                os.close(fd)
            Forked._parent_ends = set()
            status = 1
            try:
                if takes_input:
                    os.close(in_write)
                if dormant:
                    os.close(wake_write)
                    if not os.read(wake_read, 1):  # the parent is gone without waking it
                        os._exit(1)
                    os.close(wake_read)
                start = time.perf_counter()
                if takes_input:
                    value = fn(lambda: pickle.loads(_read_all(in_read)))
                elif posts:
                    value = fn(lambda obj: _write_message(out_write, pickle.dumps(
                        _Posted(obj), protocol=pickle.HIGHEST_PROTOCOL)))
                else:
                    value = fn()
                outcome: object = (time.perf_counter() - start, value)
                status = 0
            except BaseException as exc:
                outcome = exc
            finally:
                try:
                    try:
                        message = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
                    except Exception:
                        message = pickle.dumps(RuntimeError(f"{name}: {type(outcome).__name__}: {outcome}"))
                    _write_message(out_write, message)
                    os.close(out_write)
                finally:
                    os._exit(status)
        gc.unfreeze()
        os.close(out_write)
        if takes_input:
            os.close(in_read)
        if dormant:
            os.close(wake_read)
        self._pid: int | None = pid
        self._out, self._in, self._wake = out_read, in_write, wake_write
        Forked._parent_ends |= {out_read, in_write, wake_write} - {-1}
        self._writer: threading.Thread | None = None
        self._messages: list[bytearray | None] = []
        self._ended = False
        self._arrived = threading.Condition()
        self._drainer: threading.Thread | None = None
        if drain:
            _widen(out_read)
            self._drainer = threading.Thread(target=self._read_messages, daemon=True)
            self._drainer.start()

    def _read_messages(self, upto: int | None = None) -> None:
        """Read the child's messages as they come: to the end of the pipe, or until `upto` have come."""
        while not self._ended and (upto is None or len(self._messages) < upto):
            message = _read_message(self._out)
            with self._arrived:
                if message is None:
                    os.close(self._out)
                    self._ended = True
                else:
                    self._messages.append(message)
                self._arrived.notify_all()

    def _wait_for(self, count: int | None) -> None:
        """Until `count` messages have come, or (None) all of them and the end of the pipe."""
        if self._drainer is None:
            self._read_messages(count)
            return
        with self._arrived:
            self._arrived.wait_for(lambda: self._ended or (count is not None and len(self._messages) >= count))
        if self._ended:
            self._drainer.join()

    def posted(self) -> object:
        """What the child posted (see `posts`); what it raised, if it failed first."""
        self._wait_for(1)
        if self._messages and self._messages[0] is not None:
            try:
                message = pickle.loads(self._messages[0])
            except Exception:
                message = None
            if isinstance(message, _Posted):
                self._messages[0] = None  # its buffer is not kept
                return message.value
        self.result()  # the child's last word: what it raised, or how it ended
        raise RuntimeError(f"the {self.name} process posted nothing")

    def wake_end(self) -> int:
        """A second end that wakes this dormant child (see `wake_by`). It is left open in the next child
        forked, so that this child can be woken from there; the caller closes its own copy."""
        return os.dup(self._wake)

    def wake(self) -> None:
        """Let a child made `dormant` start `fn` (it waits, doing nothing, until then)."""
        if self._wake >= 0:
            fd, self._wake = self._wake, -1
            Forked._parent_ends.discard(fd)
            wake_by(fd)

    def send(self, obj) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        fd, self._in = self._in, -1
        Forked._parent_ends.discard(fd)
        self._writer = threading.Thread(target=self._deliver, args=(fd, data), daemon=True)
        self._writer.start()

    @staticmethod
    def _deliver(fd: int, data: bytes) -> None:
        try:
            _write_all(fd, data)
            os.close(fd)
        except OSError:  # the child ended without reading: result() reports why
            pass

    def result(self) -> tuple[float, object]:
        self.wake()
        Forked._parent_ends.discard(self._out)
        self._wait_for(None)
        data = self._messages[-1] if self._messages and self._messages[-1] is not None else bytearray()
        self._messages.clear()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        self._finish_input()
        try:
            outcome = pickle.loads(data)
        except Exception:
            outcome = RuntimeError(f"the {self.name} process ended with status {status}")
        if isinstance(outcome, BaseException):
            raise outcome
        if status != 0 or not isinstance(outcome, tuple):
            raise RuntimeError(f"the {self.name} process ended with status {status}")
        return outcome

    def cancel(self) -> None:
        """Stop the child (nothing to do once `result()` has returned or raised)."""
        if self._pid is None:
            return
        try:
            os.kill(self._pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(self._pid, 0)
        self._pid = None
        Forked._parent_ends.discard(self._out)
        if self._drainer is not None:
            self._wait_for(None)  # the child is gone: the thread sees the end of the pipe and closes it
        elif not self._ended:
            os.close(self._out)
            self._ended = True
        self._messages.clear()
        self._finish_input()

    def _finish_input(self) -> None:
        if self._wake >= 0:
            Forked._parent_ends.discard(self._wake)
            os.close(self._wake)
            self._wake = -1
        if self._in >= 0:
            Forked._parent_ends.discard(self._in)
            os.close(self._in)
            self._in = -1
        if self._writer is not None:
            self._writer.join()


def _widen(pipe_end: int) -> None:
    """A pipe that holds PIPE_BYTES: a draining thread then wakes once per MiB, not per 64 KiB."""
    try:
        import fcntl

        fcntl.fcntl(pipe_end, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # not Linux, or a lower limit: the pipe stays as it is
        pass


def wake_by(end: int) -> None:
    """Wake a dormant child through one end of its wake pipe, and close that end (nothing more if the child
    is awake or gone: `result()` reports why it ended)."""
    try:
        os.write(end, b"w")
    except OSError:
        pass
    finally:
        os.close(end)


class Claims:
    """Work items range(n) handed out in chunks to a process and its forks, so that the one done first with
    its other work takes more of them. Made before the fork; the count lives in shared memory."""

    CHUNK = 1

    def __init__(self):
        import multiprocessing

        self._next = multiprocessing.RawValue("q", 0)
        self._lock = multiprocessing.Lock()

    def take(self, n: int):
        """Slices of range(n) not yet taken by any process, one at a time."""
        while True:
            with self._lock:
                start = self._next.value
                if start >= n:
                    return
                self._next.value = start + self.CHUNK
            yield slice(start, min(start + self.CHUNK, n))

    def left(self, n: int) -> int:
        return max(n - self._next.value, 0)

    def first(self) -> bool:
        """Whether this process is the first to ask, for one piece of work that only one may do."""
        return next(self.take(1), None) is not None


def side_by_side(side: tuple[str, Callable[[], object]], main: tuple[str, Callable[[], object]]
                 ) -> tuple[dict[str, float], object, object]:
    """Run `side` in a forked child while `main` runs here. A failure on either side is raised here.
    Returns the seconds of each, and what each returned."""
    child = Forked(side[0], side[1])
    try:
        start = time.perf_counter()
        main_value = main[1]()
        main_seconds = time.perf_counter() - start
    except BaseException:
        child.cancel()
        raise
    side_seconds, side_value = child.result()
    return {side[0]: side_seconds, main[0]: main_seconds}, side_value, main_value

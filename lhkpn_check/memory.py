"""The memory allocator, set for a run that makes and frees many large arrays.

On this kind of machine (a virtual one), a fresh page costs the kernel far more than the arithmetic done
on it: the first touch of each 2 MiB of a new array took ~3-5 ms. So a run keeps what it frees for the
next arrays, and the analysis gets its memory faulted in ahead of time by an otherwise idle core.
"""

from __future__ import annotations

import os
import threading

REUSED_ALLOCATION_BYTES = 1 << 30
"""Freed blocks up to this size stay with the process for the next arrays (see `reuse_freed_memory`)."""


def reuse_freed_memory() -> bool:
    """Keep freed large arrays for reuse instead of handing them back to the system. glibc unmaps every
    block above its mmap threshold (32 MiB at most, by its own rule) when it is freed, and the kernel then
    zeroes fresh pages for the next array: in a national run, zeroing pages was ~8% of all CPU samples
    (perf: clear_page_erms), and the analysis took 176k page faults with this instead of 324k. The price
    is memory held longer: a province run's processes peaked at 1.17 GiB (PSS) instead of 0.88. Threads
    allocate from the same pool (one arena): the thread that receives the laporan reader's typed sheets
    (forked.Forked's drain, ~230 MB at 200,000 officials) then reuses freed memory too, where a pool of
    its own took ~60k fresh pages (0.8 s of the kernel's time). True when the allocator took the
    thresholds (glibc; elsewhere nothing changes)."""
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    m_mmap_threshold, m_trim_threshold, m_arena_max = -3, -1, -8
    mallopt(m_arena_max, 1)  # not in the result: a pool per thread costs memory, not correctness
    return bool(mallopt(m_mmap_threshold, REUSED_ALLOCATION_BYTES)) and bool(
        mallopt(m_trim_threshold, REUSED_ALLOCATION_BYTES))


WARM_BYTES_PER_ITEM = 256
"""Memory made ready for the analysis per item (harta row): at 3.5M items, ~0.9 GB, about what the main
process newly touches in the features and rules. More (1.3 GB) no longer paid off."""
WARM_BLOCK_BYTES = 64 << 20


class HeapWarmer:
    """Fresh memory faulted in by a thread at the lowest priority, then freed into the pool the analysis
    allocates from (`reuse_freed_memory`), so that the kernel zeroes those pages on a core the run leaves
    idle instead of in the middle of the features. Started once the harta sheet is typed: while the checks
    across sheets and the features run, the second core waits for the peer scores. At 200,000 officials
    the analysis then took ~4.7 s instead of ~6.3 s. Does nothing unless started, and where freed memory
    goes back to the system (no glibc: `enabled` is then False)."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def start(self, nbytes: int) -> None:
        if not self.enabled or self._thread is not None or nbytes < WARM_BLOCK_BYTES:
            return
        self._thread = threading.Thread(target=self._warm, args=(min(nbytes, REUSED_ALLOCATION_BYTES * 7 // 8),),
                                        name="heap-warmer", daemon=True)
        self._thread.start()

    def _warm(self, nbytes: int) -> None:
        import numpy as np

        try:  # this thread alone (Linux): it takes a core only when nothing else wants it
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except (AttributeError, OSError):
            pass
        blocks = []
        # Held until all are touched, so that each block is new memory, not the last one freed again;
        # numpy fills without Python's lock, so the main thread runs on meanwhile.
        while len(blocks) * WARM_BLOCK_BYTES < nbytes and not self._stop.is_set():
            block = np.empty(WARM_BLOCK_BYTES, dtype=np.uint8)
            block.fill(1)
            blocks.append(block)

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """Wait for the thread (a block at most, when asked to stop early): before a fork, no thread may
        be halfway through its allocations."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

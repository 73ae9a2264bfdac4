"""Worker processes that a stage spawns (the train stage's pool, the encode stage's UMAP fits):
each dies with its parent and leaves Ctrl-C to it."""

from __future__ import annotations

import ctypes
import os
import signal


def available_cores() -> int:
    """The cores this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def process_count(setting: int, jobs: int) -> int:
    """How many processes for ``jobs`` jobs of one at a time each: ``setting`` (a config's
    ``processes``) or, for 0, one per core this process may use; never more than the jobs, and
    at least 1 (the stage's own)."""
    return max(1, min(setting or available_cores(), jobs))


def die_with_parent(parent: int) -> None:
    """Have this process killed when its parent dies (say by `kill -9` of the run), so that no
    orphan works on and writes into a stage folder nobody will publish (Linux's
    PR_SET_PDEATHSIG; elsewhere a worker stops when it next finds no parent)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)


def start_worker(parent: int) -> None:
    """First call in a spawned worker: it dies with ``parent`` and ignores SIGINT (a Ctrl-C
    reaches the whole process group; the parent handles it and stops its workers)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

"""Ctrl-C (SIGINT) that stops a run only where stopping is safe.

Python's default handler raises KeyboardInterrupt wherever the main thread happens to be. Inside
torch that went wrong, all seen when tests sent SIGINT into the train stage: an abort in torch's
C++ import (exit -6), a segfault (exit -11) and a run that carried on to the end (exit 0: the
interrupt was lost). So while the runner works (``installed``), a SIGINT is remembered, and
inside ``deferred()`` regions (a stage's imports, one training step or evaluation) it is raised
only when the region ends. ``check()`` raises a remembered one anywhere else, e.g. when a stage
returns. (A fourth failure, exit -2 after a handled interrupt, came from the interpreter's
shutdown; ``pipeline/__main__.py`` leaves without it.)

Signal handlers are per process, so this state is per process too.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from typing import Any, Iterator

_seen = False
_deferring = 0  # nesting depth of deferred() regions


def _handler(signum: int, frame: Any) -> None:
    global _seen
    _seen = True
    if not _deferring:
        raise KeyboardInterrupt


def check() -> None:
    """Raise KeyboardInterrupt if a SIGINT arrived and was not raised yet."""
    global _seen
    if _seen:
        _seen = False
        raise KeyboardInterrupt


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A region a SIGINT must not cut: it is raised when the region ends instead."""
    global _deferring
    _deferring += 1
    try:
        yield
    finally:
        _deferring -= 1
    if not _deferring:
        check()


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """This module's handler for SIGINT, for the duration (main thread only; elsewhere Python's
    default handler stays, as signal handlers can only be set from the main thread)."""
    global _seen
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _seen = False
    previous = signal.signal(signal.SIGINT, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)

"""What a figure read, recorded while it is drawn, so that the render stage can cache each figure
as a job keyed by exactly its inputs (``figure_jobs.py``).

A *read* is a name such as ``"codes:vae2"``, ``"model:vae2-beta4"``, ``"report.beta_sweep"`` or
``"cfg.analyse"``. ``RenderInputs`` and ``FigureData`` note one on every access; a value they
compute once and keep (a decoded grid, the β runs) keeps the reads it was made from and notes them
again each time it is handed out, so a figure drawn after ``prepare()`` reads what it would have
read had it computed the value itself. This is the dynamic-dependency rule of build tools such as
Shake: a figure whose every recorded read has the same digest as before would draw the same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Mapping
from typing import Any, Callable, Iterator, TypeVar

T = TypeVar("T")


class ReadTrace:
    """Open frames of read names (a figure being drawn, a value being computed); a note goes to
    every open frame, so an outer frame sees the reads of the values computed inside it."""

    def __init__(self) -> None:
        self._frames: list[set[str]] = []
        self._memo: dict[Any, tuple[Any, frozenset[str]]] = {}

    def note(self, *names: str) -> None:
        for frame in self._frames:
            frame.update(names)

    @contextlib.contextmanager
    def frame(self) -> Iterator[set[str]]:
        reads: set[str] = set()
        self._frames.append(reads)
        try:
            yield reads
        finally:
            self._frames.pop()  # frames close in the reverse order they open

    def memo(self, key: Any, make: Callable[[], T]) -> T:
        """``make()`` once per key; every call notes the reads it was made from."""
        if key not in self._memo:
            with self.frame() as reads:
                value = make()
            self._memo[key] = (value, frozenset(reads))
        value, reads = self._memo[key]
        self.note(*reads)
        return value


class Traced:
    """Attribute access to ``target`` that notes ``<prefix>.<attribute>`` (the typed report's
    blocks, the config's sections): a figure that reads ``d.m.holes`` depends on that block only.
    With ``depth`` 1, a dataclass attribute is traced in turn and only the fields read from it are
    noted (``report.robustness.spreads``, ``cfg.train.hidden``); the values handed out below that
    are the plain objects, so ``dump`` and friends see what they expect."""

    def __init__(self, target: Any, prefix: str, trace: ReadTrace, depth: int = 0):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_prefix", prefix)
        object.__setattr__(self, "_trace", trace)
        object.__setattr__(self, "_depth", depth)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if self._depth > 0 and dataclasses.is_dataclass(value):
            return Traced(value, f"{self._prefix}.{name}", self._trace, self._depth - 1)
        self._trace.note(f"{self._prefix}.{name}")
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self._prefix} is read-only in render")


class TracedArrays(Mapping):
    """One analyse arrays file (``holes``, ``samples``, ...) whose every key read is noted as
    ``arrays:<file>/<key>``: the files hold arrays of every β-sweep model, so a figure of the main
    pair must not depend on the whole file. Listing the keys notes the whole file."""

    def __init__(self, arrays: Mapping, name: str, trace: ReadTrace):
        self._arrays, self._name, self._trace = arrays, name, trace

    def __getitem__(self, key: str) -> Any:
        self._trace.note(f"arrays:{self._name}/{key}")
        return self._arrays[key]

    def __contains__(self, key: object) -> bool:
        self._trace.note(f"arrays:{self._name}/{key}")
        return key in self._arrays

    def __iter__(self) -> Iterator[str]:
        self._trace.note(f"arrays:{self._name}")
        return iter(self._arrays)

    def __len__(self) -> int:
        self._trace.note(f"arrays:{self._name}")
        return len(self._arrays)

"""The interface of an analyse section: a named measurement group that declares which other
sections' results it reads, and returns its report block and the arrays it keeps.

The stage runs the sections in dependency order (``run_all``), hands each the results of the
sections it needs (a section that declares the models it reads is one cached job; every job keys
on the code of its section and of the sections it reads, so an edit reruns only those), and
assembles the report from the blocks (a block of None is left out of metrics.json) and the npz
files from the arrays (in the order the sections are listed, so the files' bytes do not depend
on the run order).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .analysis import Analysis

Arrays = dict[str, dict[str, np.ndarray]]  # npz file name (holes, samples, ...) -> its arrays


@dataclass
class Result:
    """What a section returns."""

    block: Any
    """Its block of the report (plain data or report dataclasses); None: not measured."""
    arrays: Arrays = field(default_factory=dict)
    """The arrays it keeps, per npz file."""


@dataclass(frozen=True)
class Section:
    """A measurement group: its report key, the sections it reads, and how to run it."""

    name: str
    """Its key in metrics.json."""
    run: Callable[[Analysis, dict[str, Result]], Result]
    """(the shared inputs, the results of ``needs``) -> its result."""
    needs: tuple[str, ...] = ()
    """Sections whose results it reads."""
    models: Callable[[Any], tuple[str, ...]] | None = None
    """The models it reads, from the train stage's roles (``ModelRoles``): given, the whole
    section is one cached job keyed by them (``Analysis.job``). Only for a section that needs
    no other: a job's key does not hold other sections' results. A section that needs others
    caches its own parts."""

    def __post_init__(self) -> None:
        if self.models is not None and self.needs:
            raise ValueError(f"analyse section {self.name!r} needs {self.needs} and so cannot be "
                             "one cached job: cache its parts with Analysis.job instead")


def ordered(sections: list[Section]) -> list[Section]:
    """The sections in an order where each comes after the ones it needs (stable otherwise)."""
    by_name = {s.name: s for s in sections}
    done: list[Section] = []
    seen: set[str] = set()

    def visit(s: Section, path: tuple[str, ...]) -> None:
        if s.name in seen:
            return
        if s.name in path:
            raise ValueError(f"analyse sections need each other in a cycle: {' -> '.join(path + (s.name,))}")
        for need in s.needs:
            if need not in by_name:
                raise ValueError(f"analyse section {s.name!r} needs {need!r}, which is not a section")
            visit(by_name[need], path + (s.name,))
        seen.add(s.name)
        done.append(s)

    for s in sections:
        visit(s, ())
    return done


def code_modules(s: Section, by_name: dict[str, Section]) -> tuple[str, ...]:
    """The modules whose code a section's jobs key on: its own and those of every section it
    reads, directly or not (a job's result holds what they computed, not only its models)."""
    modules, todo = set(), [s]
    while todo:
        section = todo.pop()
        modules.add(section.run.__module__)
        todo.extend(by_name[n] for n in section.needs)
    return tuple(sorted(modules))


def run_all(a: Analysis, sections: list[Section]) -> dict[str, Result]:
    """Every section's result, keyed by name, in the order the sections are listed; each runs
    with its own code as its jobs' code key (``AnalyseJobs.code_of``)."""
    by_name = {s.name: s for s in sections}
    results: dict[str, Result] = {}
    for s in ordered(sections):
        needs = {n: results[n] for n in s.needs}
        with a.jobs.code_of(code_modules(s, by_name)):
            if s.models is None:
                results[s.name] = s.run(a, needs)
            else:
                results[s.name] = a.job(f"section-{s.name}", s.models(a.roles),
                                        lambda: s.run(a, needs))
    return {s.name: results[s.name] for s in sections}


def merged_arrays(results: dict[str, Result]) -> Arrays:
    """Each npz file's arrays, section by section in the listed order; a name kept by two
    sections is a bug, not an overwrite."""
    files: Arrays = {}
    for name, result in results.items():
        for file, arrays in result.arrays.items():
            target = files.setdefault(file, {})
            clash = set(target) & set(arrays)
            if clash:
                raise ValueError(f"section {name!r} writes {sorted(clash)} into {file}.npz again")
            target.update(arrays)
    return files

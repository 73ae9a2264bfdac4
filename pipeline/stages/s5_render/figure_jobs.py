"""Each figure is a cached render job (``core/jobcache.py``) keyed by what it read.

A figure's key holds its code (the import closures of ``figure_draw.py``, which draws and saves
every figure, and of its group's module under ``figures/groups/``: editing one group redraws that
group's figures; the deck's text is not in it, only whether the deck shows the figure), the render
settings, the seed and a digest of every read it made when it was last drawn
(``figures/reads.py``: a report block, a model's codes or weights, a config section, ...). The
names it read are kept per figure in ``figure-reads.json`` beside the jobs; to find a figure,
each read set seen before is looked up with today's digests (most recent first). So adding a β
to the sweep redraws the β-sweep figure and the few that read the blocks that changed, and
returning to a setting seen before redraws nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.core.codekeys import file_digests
from pipeline.core.config import REPO_ROOT
from pipeline.core.jobcache import link, sha256_file
from pipeline.core.report import dump
from pipeline.core.weights import weights_digest
from .figures.inputs import RenderInputs

DRAW_MODULE = "pipeline.stages.s5_render.figure_draw"  # draws and saves every figure
STAGE_MODULE = "pipeline.stages.s5_render.stage"  # the code of a figure no longer catalogued
READS_INDEX = "figure-reads.json"
READ_SETS_KEPT = 8  # per figure: enough to go back and forth between a few settings
ENTRY = "entry.json"
MISSING = "missing"


def job_name(figure_id: str) -> str:
    return f"figure-{figure_id}"


def _json_digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _array_digest(array: np.ndarray) -> str:
    h = hashlib.sha256(f"{array.dtype.str}{array.shape}".encode())
    h.update(np.ascontiguousarray(array).tobytes())
    return h.hexdigest()


class FigureJobs:
    """Finds, records and restores the figure jobs of one render run (``ctx.cache``)."""

    def __init__(self, cfg: Any, manifest: dict[str, Any], inputs: RenderInputs, cache: Any):
        self.cfg, self.manifest, self.inp, self.cache = cfg, manifest, inputs, cache
        self._digests: dict[str, str] = {}
        self._index = self._read_index() if cache is not None else {}
        self.base = {"render": dataclasses.asdict(cfg.render), "seed": cfg.seed}
        from .deck_slides import SLIDE_FIGURES
        from .figures.catalogue import catalogue
        self._group = {spec.id: spec.build.__module__ for spec in catalogue()}
        self._in_deck = SLIDE_FIGURES  # a figure the deck shows has a slide variant too
        self._code: dict[str, dict[str, str]] = {}

    def code(self, figure_id: str) -> dict[str, str]:
        """{file: digest} of what draws the figure: ``DRAW_MODULE`` and its group's module."""
        group = self._group.get(figure_id, STAGE_MODULE)
        if group not in self._code:
            self._code[group] = file_digests(REPO_ROOT, DRAW_MODULE, group)
        return self._code[group]

    # --------------------------------------------------------------------------------- index
    def _index_path(self) -> Path:
        return self.cache.home / READS_INDEX

    def _read_index(self) -> dict[str, list[list[str]]]:
        try:
            index = json.loads(self._index_path().read_text())
            if not isinstance(index, dict):
                return {}
            return {fid: [r for r in sets if isinstance(r, list) and all(isinstance(x, str) for x in r)]
                    for fid, sets in index.items() if isinstance(sets, list)}
        except (OSError, ValueError):
            return {}  # no index (or a damaged one): every figure is drawn, none is wrong

    def save_index(self) -> None:
        path = self._index_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self._index, indent=1, sort_keys=True))
        os.replace(tmp, path)  # a killed run leaves the old index whole

    def read_sets(self, figure_id: str) -> list[list[str]]:
        return self._index.get(figure_id, [])

    # ------------------------------------------------------------------------------- digests
    def digest(self, read: str) -> str:
        if read not in self._digests:
            self._digests[read] = self._compute(read)
        return self._digests[read]

    def _compute(self, read: str) -> str:
        """A read's digest now; ``MISSING`` for an input that is gone (a read set recorded for
        another setting, one more β say, then matches no job)."""
        kind, _, name = read.partition(":")
        dirs = self.inp.dirs
        if kind == "arrays" and "/" in name:  # one array of the file
            file, key = name.split("/", 1)
            arrays = self.inp.arrays(file) if (dirs["analyse"] / f"{file}.npz").is_file() else {}
            return _array_digest(arrays[key]) if key in arrays else MISSING
        files = {"codes": dirs["encode"] / f"{name}.npz", "arrays": dirs["analyse"] / f"{name}.npz",
                 "model": dirs["train"] / "models" / f"{name}.pt",
                 "history": dirs["train"] / "models" / f"{name}.pt"}
        if kind in files and not files[kind].is_file():
            return MISSING
        if kind in ("codes", "arrays"):
            return sha256_file(files[kind])
        if kind == "model":
            return weights_digest(files[kind])
        if kind == "history":
            return _json_digest(self.inp.checkpoint(name)[1]["history"])
        if kind == "train":
            return _json_digest(self.inp.train_model(name))
        if read == "data":
            return self.manifest.get("data", {}).get("digest") or _json_digest(
                {str(p.name): sha256_file(p) for p in sorted(dirs["data"].iterdir()) if p.is_file()})
        return self._dotted(read)

    def _dotted(self, read: str) -> str:
        """``report.<block>[.<field>...]``, ``cfg.<section>.<setting>``, ``sweep.<key>``: the JSON
        of that value (``MISSING`` where the path no longer leads anywhere)."""
        root, _, path = read.partition(".")
        if root == "sweep":
            return _json_digest(self.inp.sweep_part(path))
        if root not in ("report", "cfg"):
            raise ValueError(f"render: no digest for the read {read!r} (figures/reads.py names the kinds)")
        value = self.inp.report() if root == "report" else self.cfg
        try:
            for step in path.split("."):
                value = getattr(value, step)
        except AttributeError:
            return MISSING
        return _json_digest(dump(value) if root == "report" else
                            dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value)

    # ---------------------------------------------------------------------------------- jobs
    def parts(self, figure_id: str, reads: list[str]) -> dict[str, Any]:
        return {**self.base, "figure": figure_id, "code": self.code(figure_id),
                "in_deck": figure_id in self._in_deck,
                "reads": {r: self.digest(r) for r in sorted(reads)}}

    def find(self, figure_id: str) -> Path | None:
        """The folder of an earlier drawing whose reads all have today's digests, or None."""
        for reads in self.read_sets(figure_id):
            try:
                parts = self.parts(figure_id, reads)
            except ValueError:  # a read named by other code than this: it matches no job
                continue
            folder = self.cache.job(job_name(figure_id), parts)
            if folder is not None:
                return folder
        return None

    def commit(self, figure_id: str, reads: list[str], scratch: Path, entry: dict) -> Path:
        """Keep a freshly drawn figure (its files in ``scratch``) and the names it read."""
        (scratch / ENTRY).write_text(json.dumps(entry, sort_keys=True))
        folder = self.cache.commit(job_name(figure_id), self.parts(figure_id, reads), scratch)
        sets = [reads] + [r for r in self.read_sets(figure_id) if r != reads]
        self._index[figure_id] = sets[:READ_SETS_KEPT]
        self.save_index()  # each time: a run killed later still finds what it drew before
        return folder


def restore(folder: Path, out: Path) -> dict:
    """Link a figure job's files into the stage's output folder; its manifest entry."""
    entry = json.loads((folder / ENTRY).read_text())
    for file in entry["files"].values():
        link(folder / file["path"], out / file["path"])
    return entry

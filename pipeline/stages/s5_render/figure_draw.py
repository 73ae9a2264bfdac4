"""Drawing and saving one figure (its web, phone and slide variants, with their manifest entry),
and a pool of worker processes that draws many.

A module of its own because it is, with the figure's group module, the code a figure job keys on
(``figure_jobs.py``): editing one group's plot code redraws that group's figures alone.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import matplotlib.pyplot as plt


# Set in the parent before the worker pool forks, so workers share the loaded arrays for free.
_JOB: dict[str, Any] = {}
POOL_FROM = 3  # figures to draw: below this, drawing them here beats preparing and forking


def _save_one(spec_id: str) -> tuple[dict, float, list[str]]:
    """Draw and save one figure's web variant (its phone variant if it has one, and its slide
    variant if it is key or in the deck) under its root; its manifest entry, the seconds it took
    and the names of what it read (``figures/reads.py``)."""
    spec, data, dpi = _JOB["specs"][spec_id], _JOB["data"], _JOB["dpi"]
    t0 = time.perf_counter()
    with data.inp.trace.frame() as reads:
        entry = _draw(spec, data, _JOB["roots"][spec_id], dpi, spec_id in _JOB["slides"])
    return entry, time.perf_counter() - t0, sorted(reads)


def _draw(spec: Any, data: Any, out: Path, dpi: int, in_deck: bool) -> dict:
    from pipeline.core.data_words import data_words, retell
    from .figures import style
    from .figures.deck import draw_slide
    from .figures.save import FORMATS, save_figure
    from .figures.style import PHONE_MAX_PX

    words = data_words(data.inp.dataset)
    style.use_classes(words["classes"])  # the legends' class names ([] for MNIST's digits)
    title = retell(spec.title, words)
    fig = spec.build(data, "web")
    files = save_figure(fig, out, spec.id, dpi, title=title, data_csv=True)
    plt.close(fig)
    if spec.phone:  # the page's picture below style.PHONE_MAX_PX: a PNG is all it needs
        fig = spec.build(data, "phone")
        files.update(save_figure(fig, out, f"{spec.id}-phone", dpi, prefix="phone_",
                                 title=title, formats=("png",)))
        files["phone_png"]["max_px"] = PHONE_MAX_PX  # the screen widths it is for
        plt.close(fig)
    if spec.key or in_deck:
        fig = draw_slide(spec, data)  # the slide layout, under an empty title band
        # A key figure's slide comes in every format for the gallery; the deck's other slides
        # only as the PNG the decks are made of.
        files.update(save_figure(fig, out, f"{spec.id}-slide", dpi, prefix="slide_",
                                 title=title, formats=FORMATS if spec.key else ("png",)))
        plt.close(fig)
    return {"id": spec.id, "title": title, "caption": retell(spec.caption(data), words),
            "alt": retell(spec.alt, words), "key": spec.key, "page": spec.page, "files": files}


def _pool(workers: int) -> Executor | None:
    """A fork-based process pool (workers inherit the loaded data); None where fork is missing
    or only one core is available, and then everything is drawn in this process."""
    if workers < 2 or "fork" not in mp.get_all_start_methods():
        return None
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))


def draw_figures(data: Any, specs: list, roots: dict[str, Path], dpi: int, slides: frozenset[str]
                 ) -> Iterator[tuple[Any, tuple[dict, float, list[str]]]]:
    """Draw ``specs`` (each into its root; a slide variant too for those in ``slides``, the
    deck's, passed in so that the deck's text is no figure's code), yielding (spec, _save_one's
    result) in order. Many are drawn by a pool of worker processes (matplotlib is
    single-threaded, and the stage's time budget is for a 2-core laptop); a few are drawn here,
    computing only what they read."""
    if len(specs) >= POOL_FROM:
        data.prepare()  # every decode happens here, before forking: workers never touch torch
    _JOB.update(specs={s.id: s for s in specs}, data=data, roots=roots, dpi=dpi, slides=slides)
    pool = _pool(min(len(specs), os.cpu_count() or 1)) if len(specs) >= POOL_FROM else None
    futures = {s.id: pool.submit(_save_one, s.id) for s in specs} if pool else {}
    try:
        for spec in specs:
            yield spec, (futures[spec.id].result() if pool else _save_one(spec.id))
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        _JOB.clear()

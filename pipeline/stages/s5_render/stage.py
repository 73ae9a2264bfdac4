"""Render stage: every figure (PNG 2x, SVG, PDF; 16:9 slide variants of the key figures), the
figure manifest, the slide decks (PowerPoint and PDF), the interpolation GIFs, then the widgets'
tiles/explorer/toy data.

What each figure shows, its caption and its page live in ``figures/catalogue.py``; this module
only loads, orders and saves. Output bytes depend only on the inputs (fixed metadata and seeds).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

import matplotlib.pyplot as plt

from pipeline.core.io import save_json
from pipeline.core.context import StageContext
from pipeline.core.sample_sets import PATH_KINDS, PATH_TITLES


# Set in the parent before the worker pool forks, so workers share the loaded arrays for free.
_JOB: dict[str, Any] = {}


def _save_one(spec_id: str) -> tuple[dict, float]:
    """Draw and save one figure's web variant (its phone variant if it has one, and its slide
    variant if it is key or in the deck); its manifest entry."""
    from .deck_slides import SLIDE_FIGURES
    from .figures.deck import draw_slide
    from .figures.save import FORMATS, save_figure
    from .figures.style import PHONE_MAX_PX

    spec, data, out, dpi = _JOB["specs"][spec_id], _JOB["data"], _JOB["out"], _JOB["dpi"]
    t0 = time.perf_counter()
    fig = spec.build(data, "web")
    files = save_figure(fig, out, spec.id, dpi, title=spec.title, data_csv=True)
    plt.close(fig)
    if spec.phone:  # the page's picture below style.PHONE_MAX_PX: a PNG is all it needs
        fig = spec.build(data, "phone")
        files.update(save_figure(fig, out, f"{spec.id}-phone", dpi, prefix="phone_",
                                 title=spec.title, formats=("png",)))
        files["phone_png"]["max_px"] = PHONE_MAX_PX  # the screen widths it is for
        plt.close(fig)
    if spec.key or spec.id in SLIDE_FIGURES:
        fig = draw_slide(spec, data)  # the slide layout, under an empty title band
        # A key figure's slide comes in every format for the gallery; the deck's other slides
        # only as the PNG the decks are made of.
        files.update(save_figure(fig, out, f"{spec.id}-slide", dpi, prefix="slide_",
                                 title=spec.title, formats=FORMATS if spec.key else ("png",)))
        plt.close(fig)
    entry = {"id": spec.id, "title": spec.title, "caption": spec.caption(data),
             "alt": spec.alt, "key": spec.key, "page": spec.page, "files": files}
    return entry, time.perf_counter() - t0


def _pool(workers: int) -> Executor | None:
    """A fork-based process pool (workers inherit the loaded data); None where fork is missing
    or only one core is available, and then everything is drawn in this process."""
    if workers < 2 or "fork" not in mp.get_all_start_methods():
        return None
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))


def render_figures(ctx: StageContext, data: Any, timings: dict[str, float]) -> list[dict]:
    """Draw, save and describe every figure whose inputs exist. Figures are drawn by a pool of
    worker processes (matplotlib is single-threaded, and the stage's time budget is for a 2-core
    laptop); the decks are then made from the saved slide variants."""
    from .figures.catalogue import catalogue

    specs = [s for s in catalogue() if s.ready(data)]
    data.prepare()  # every decode happens here, before forking: workers never touch torch
    _JOB.update(specs={s.id: s for s in specs}, data=data, out=ctx.out, dpi=ctx.cfg.render.dpi)
    workers = max(1, min(len(specs), (os.cpu_count() or 1)))
    pool = _pool(workers)
    futures = {s.id: pool.submit(_save_one, s.id) for s in specs} if pool else {}
    try:
        entries = []
        for spec in specs:
            entry, seconds = futures[spec.id].result() if pool else _save_one(spec.id)
            entries.append(entry)
            timings[spec.id] = seconds
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        _JOB.clear()
    return entries


def render_gifs(ctx: StageContext, data: Any) -> list[dict]:
    """One GIF per interpolation pair: AE linear | VAE linear | VAE spherical, side by side."""
    from .figures import gifs

    p = data.inp.paths
    (ctx.out / "gifs").mkdir(exist_ok=True)
    kinds = [(kind, PATH_TITLES[kind], kind.split("_")[0]) for kind in PATH_KINDS
             if f"{kind}_frames" in p]
    out = []
    for i in range(len(p["pairs"])):
        columns = [{"label": label, "model": model, "frames": p[f"{kind}_frames"][i],
                    "class": p[f"{kind}_class"][i], "confidence": p[f"{kind}_confidence"][i]}
                   for kind, label, model in kinds]
        pid = data.pair_id(i)
        frames = gifs.gif_frames(columns, f"interpolation {data.pair_label(i)}")
        rel = f"gifs/{pid}.gif"
        gifs.write_gif(ctx.out / rel, frames, ctx.cfg.render.gif_fps)
        out.append({"id": pid, "title": f"Interpolation {data.pair_label(i)}", "path": rel,
                    "width": frames[0].width, "height": frames[0].height,
                    "frames": len(frames), "kinds": [k[0] for k in kinds]})
    return out


def run(ctx: StageContext) -> str:
    from .figures import style
    from .figures.figdata import FigureData
    from .figures.inputs import RenderInputs

    style.apply()
    t0 = time.perf_counter()
    data = FigureData(RenderInputs(ctx.inputs, "cpu"), ctx.cfg)
    timings: dict[str, float] = {}
    entries = render_figures(ctx, data, timings)
    save_json(ctx.out / "figures.json", entries)
    from .deck_slides import write_decks
    n_slides = write_decks(ctx, data, entries)  # deck.pptx and deck.pdf, the same slides
    t_fig = time.perf_counter() - t0
    gif_list = render_gifs(ctx, data)
    if gif_list:
        save_json(ctx.out / "gifs" / "index.json", gif_list)
    from .kit import write_kit
    write_kit(ctx.out, entries, gif_list)  # the "download all" zip and kit.json
    t_gif = time.perf_counter() - t0 - t_fig
    from .explorer_data import write_explorer_data
    widgets = write_explorer_data(ctx)  # the widgets' tiles/, explorer/ and toy/
    slowest = max(timings, key=timings.get) if timings else "-"
    n_key = sum(e["key"] for e in entries)
    return (f"{len(entries)} figures ({n_key} key; decks of {n_slides} slides) in {t_fig:.1f}s, slowest "
            f"{slowest} {timings.get(slowest, 0):.1f}s; {len(gif_list)} GIFs in {t_gif:.1f}s; {widgets}")

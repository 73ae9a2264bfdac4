"""Render stage: every figure (PNG 2x, SVG, PDF; 16:9 slide variants of the key figures), the
figure manifest, the slide decks (PowerPoint and PDF), the interpolation GIFs, then the widgets'
tiles/explorer/toy data.

What each figure shows, its caption and its page live in ``figures/catalogue.py``; this module
only loads, orders and saves. Output bytes depend only on the inputs (fixed metadata and seeds).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from pipeline.core.io import save_json
from pipeline.core.context import StageContext
from pipeline.core.sample_sets import PATH_KINDS
from pipeline.core.set_names import PATH_TITLES


def render_figures(ctx: StageContext, data: Any, timings: dict[str, float]) -> list[dict]:
    """Draw, save and describe every figure whose inputs exist; a figure whose reads are all
    as they were when it was last drawn is taken from the stage's cache (``figure_jobs.py``)."""
    from .deck_slides import SLIDE_FIGURES
    from .figure_draw import draw_figures
    from .figure_jobs import FigureJobs, restore
    from .figures.catalogue import catalogue

    specs = [s for s in catalogue() if s.ready(data)]
    jobs = FigureJobs(ctx.cfg, ctx.manifest, data.inp, ctx.cache) if ctx.cache else None
    found = {s.id: jobs.find(s.id) if jobs else None for s in specs}
    todo = [s for s in specs if found[s.id] is None]
    roots = {s.id: _scratch(ctx, s.id) if jobs else ctx.out for s in todo}
    entries: dict[str, dict] = {}
    drawn = draw_figures(data, todo, roots, ctx.cfg.render.dpi, SLIDE_FIGURES)
    for spec, (entry, seconds, reads) in drawn:
        timings[spec.id] = seconds
        entries[spec.id] = entry
        if jobs:
            found[spec.id] = jobs.commit(spec.id, reads, roots[spec.id], entry)
    if jobs:
        entries = {s.id: restore(found[s.id], ctx.out) for s in specs}
    return [entries[s.id] for s in specs]


def _scratch(ctx: StageContext, figure_id: str) -> Path:
    """A fresh folder for one figure's files (the runner empties the scratch area every run)."""
    folder = ctx.cache.scratch / f"figure-{figure_id}-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


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
                    "frames": len(frames), "steps": len(columns[0]["frames"]),
                    "kinds": [k[0] for k in kinds]})
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
    from .deck_write import figure_slides, write_decks
    slides = write_decks(ctx, data, entries)  # deck.pptx and deck.pdf, the same slides
    t_fig = time.perf_counter() - t0
    gif_list = render_gifs(ctx, data)
    if gif_list:
        save_json(ctx.out / "gifs" / "index.json", gif_list)
    from .kit import write_kit
    # the "download all" zip and kit.json
    write_kit(ctx.out, entries, gif_list, figure_slides(slides))
    t_gif = time.perf_counter() - t0 - t_fig
    from .explorer_data import write_explorer_data
    widgets = write_explorer_data(ctx)  # the widgets' tiles/, explorer/ and toy/
    slowest = max(timings, key=timings.get) if timings else "-"
    n_key = sum(e["key"] for e in entries)
    return (f"{len(entries)} figures ({n_key} key; {len(timings)} drawn, {len(entries) - len(timings)} "
            f"cached; decks of {len(slides)} slides) in {t_fig:.1f}s, slowest {slowest} "
            f"{timings.get(slowest, 0):.1f}s; {len(gif_list)} GIFs in {t_gif:.1f}s; {widgets}")

"""Figure text as drawn: no two texts overlap in any web, phone or slide figure; slide text is at
least style.SLIDE_MIN_PT (18 pt) at the slide's true size and style.SLIDE_MARGIN_IN (0.3 in)
clear of the slide's edges; web text is at least 12 px at the width the site shows it
(style.WEB_MIN_PT), on a phone too (style.PHONE_MIN_PT, for the figures with a phone variant)."""

from __future__ import annotations

import os

import matplotlib.pyplot as plt
import pytest

from pipeline.core.config import Config, load_config
from pipeline.core.store import Store
from pipeline.stages.s5_render.figures import style, textcheck


def test_overlap_check_finds_overlapping_text_and_passes_separate_text() -> None:
    style.apply()
    fig = plt.figure(figsize=(6, 3))
    fig.text(0.1, 0.5, "AE: linear grid over its window", fontsize=16)
    fig.text(0.1, 0.9, "far away", fontsize=16)
    assert textcheck.text_overlaps(fig) == []
    fig.text(0.3, 0.5, "VAE: linear grid", fontsize=16)  # runs into the first text
    assert textcheck.text_overlaps(fig) == [("AE: linear grid over its window", "VAE: linear grid")]
    plt.close(fig)


def test_overlap_check_ignores_tick_labels_outside_the_view_and_hidden_text() -> None:
    style.apply()
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.set_xticks([0, 1, 2, 50])  # 50 is outside the view: never drawn, so never counted
    ax.set_xlim(0, 2)
    ax.text(0.5, 0.5, "hidden", visible=False)
    ax.text(0.5, 0.5, "shown")
    drawn = [t.text for t in textcheck.drawn_texts(fig)]
    assert "50" not in drawn and "hidden" not in drawn and "shown" in drawn
    plt.close(fig)


def test_text_near_an_edge_is_reported_with_its_distance() -> None:
    fig = plt.figure(figsize=(4, 3), dpi=100)
    fig.text(0.01, 0.5, "edge", fontsize=12)
    fig.text(0.5, 0.5, "middle", fontsize=12)
    assert [t for t, _ in textcheck.edge_texts(fig, 0.3)] == ["edge"]
    plt.close(fig)


def test_small_text_is_reported_with_its_size() -> None:
    fig = plt.figure(figsize=(4, 3))
    fig.text(0.1, 0.1, "tiny", fontsize=9)
    fig.text(0.1, 0.5, "big", fontsize=20)
    assert textcheck.small_texts(fig, 14) == [("tiny", 9.0)]
    plt.close(fig)


def figure_text_problems(cfg: Config) -> tuple[int, list[str]]:
    """Every figure of a built config (its web layout, its phone layout if it has one, and as
    its slide for those the deck shows: key figures and the lecture's others): how many were
    drawn, and what is wrong."""
    from pipeline.stages.s5_render.deck_slides import SLIDE_FIGURES
    from pipeline.stages.s5_render.figures.catalogue import catalogue
    from pipeline.stages.s5_render.figures.deck import add_title, draw_slide
    from pipeline.stages.s5_render.figures.figdata import FigureData
    from pipeline.stages.s5_render.figures.inputs import RenderInputs

    store = Store(cfg)
    inputs = {name: store.stage_dir(name) for name in ("data", "train", "encode", "analyse")}
    data = FigureData(RenderInputs(inputs, "cpu"), cfg)
    data.prepare()
    style.apply()
    problems, checked = [], 0
    for spec in [s for s in catalogue() if s.ready(data)]:
        layouts = ("web",) + (("slide",) if spec.key or spec.id in SLIDE_FIGURES else ()) + \
            (("phone",) if spec.phone else ())
        for layout in layouts:
            if layout == "slide":  # as on the deck's slide: the title over the empty band
                fig = draw_slide(spec, data)
                add_title(fig, spec.title)
            else:
                fig = spec.build(data, layout)
            fig.set_dpi(cfg.render.dpi)
            overlaps = textcheck.text_overlaps(fig)
            # A slide's text: 18 pt, 0.3 in clear of the edges. A web figure's: 12 px in the
            # content column (style.WEB_MIN_PT) and inside the figure; a phone variant's: 12 px
            # in a phone's column (style.PHONE_MIN_PT).
            slide = layout == "slide"
            min_pt = {"slide": style.SLIDE_MIN_PT, "phone": style.PHONE_MIN_PT}.get(layout, style.WEB_MIN_PT)
            small = textcheck.small_texts(fig, min_pt)
            edge = textcheck.edge_texts(fig, style.SLIDE_MARGIN_IN if slide else 0.0)
            plt.close(fig)
            checked += 1
            if overlaps or small or edge:
                problems.append(f"{spec.id} ({layout}): overlapping {overlaps[:3]}, "
                                f"too small {sorted(set(small))[:3]}, too near an edge {edge[:3]}")
    return checked, problems


@pytest.mark.slow
def test_no_figure_of_the_smoke_build_has_overlapping_or_small_slide_text(smoke_build: Config) -> None:
    checked, problems = figure_text_problems(smoke_build)
    assert checked >= 20, f"only {checked} figures drawn"
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not os.environ.get("HC_FIGURES_PROFILE"),
                    reason="set HC_FIGURES_PROFILE to a built profile (e.g. default) to check it")
def test_no_figure_of_a_given_build_has_overlapping_or_small_slide_text() -> None:
    """The same check on the full-size figures, whose data lay out otherwise than the smoke
    build's (longer numbers, wider ranges): HC_FIGURES_PROFILE=default after ./build.sh."""
    checked, problems = figure_text_problems(load_config(os.environ["HC_FIGURES_PROFILE"]))
    assert checked >= 20, f"only {checked} figures drawn"
    assert not problems, "\n".join(problems)


def test_seed_spread_on_a_short_log_range_has_no_overlapping_tick_labels() -> None:
    """FIDs from 12 to 410 (the default build's): a log axis whose default minor labels
    (2×10², 3×10², ...) ran into each other."""
    from pipeline.stages.s5_render.figures.quality import seed_spread_figure
    style.apply()
    scores = {"FID vs reconstructions, CNN judge": {"AE, N(0, I)": [166.8, 181.6, 175.0],
                                                     "AE, box": [367.1, 410.1, 390.0],
                                                     "VAE, N(0, I)": [12.2, 19.0, 20.5]}}
    fig = seed_spread_figure(scores)
    assert fig.axes[0].get_xscale() == "log"
    assert textcheck.text_overlaps(fig) == []
    plt.close(fig)


def test_gap_numbers_of_close_gap_points_do_not_overlap() -> None:
    from pipeline.stages.s5_render.figures.holes import mark_gaps
    import numpy as np
    style.apply()
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.set_xlim(-3, 3)
    ax.set_ylim(-3, 3)
    mark_gaps(ax, np.array([[2.6, 2.1], [2.85, 1.55], [3.0, 1.7], [-1.0, 0.0]]))
    assert textcheck.text_overlaps(fig) == []
    plt.close(fig)


def test_gap_numbers_stay_apart_when_the_layout_shrinks_the_map_after_marking() -> None:
    """The default build's VAE gap points, eight crosses in one corner, on the hole map's slide
    layout: the numbers are placed before the layout engine shrinks the map (a strip of decodes
    below, the deck's title band above), and must be apart on the slide as drawn."""
    from pipeline.stages.s5_render.figures.deck import TITLE_BAND, add_title
    from pipeline.stages.s5_render.figures.holes import hole_map_figure
    from pipeline.stages.s5_render.figures.style import SLIDE_SIZE
    import numpy as np
    style.apply()
    counts = np.zeros((64, 64))
    counts[16:48, 16:48] = 5
    gaps = np.array([[2.02, 3.28], [2.95, 2.75], [2.72, 2.05], [3.0, 1.6], [2.32, 2.85],
                     [2.92, 2.98], [2.85, 2.9], [-3.42, -1.15]])
    model = {"name": "vae", "counts": counts, "window": np.array([-3.6, 3.6, -3.2, 4.0]),
             "holes": counts == 0, "gaps": gaps, "gap_images": np.zeros((8, 28, 28), np.uint8)}
    fig = hole_map_figure([{**model, "name": "ae"}, model], "slide")
    fig.get_layout_engine().set(rect=(0.0, 0.0, 1.0, 1.0 - TITLE_BAND / SLIDE_SIZE[1]))
    add_title(fig, "Holes: code density, empty cells and gap points")
    assert textcheck.text_overlaps(fig) == []
    plt.close(fig)


def test_every_slide_title_fits_the_title_band() -> None:
    """The PDF deck draws a title on one line at TITLE_PT: a longer one runs off the slide."""
    from pipeline.stages.s5_render.figures import deck
    from pipeline.stages.s5_render.figures.catalogue import catalogue
    fig = plt.figure(figsize=deck.SLIDE_SIZE)
    renderer = fig.canvas.get_renderer()
    left, _, width, _ = deck.TITLE_BOX
    too_long = []
    for spec in [s for s in catalogue() if s.key]:
        text = fig.text(left / deck.SLIDE_SIZE[0], 0.5, spec.title, fontsize=deck.TITLE_PT,
                        weight="bold")
        if text.get_window_extent(renderer).width / fig.dpi > width:
            too_long.append(spec.title)
    plt.close(fig)
    assert not too_long, too_long

"""Figures as cached render jobs (``s5_render/figure_jobs.py``): what a figure reads is recorded
while it is drawn, values made once pass their reads on, and no figure reads its inputs around
the recorder (a read it does not record would let a changed input leave a stale figure)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from pipeline.core.config import REPO_ROOT, Config
from pipeline.stages.s5_render.figures.reads import ReadTrace, Traced, TracedArrays

FIGURES = REPO_ROOT / "pipeline" / "stages" / "s5_render" / "figures"
RECORDERS = {"inputs.py", "figdata.py", "reads.py"}  # the modules that read and record
# What reads an input without recording it: the loaders, the raw report and arrays, file paths.
UNRECORDED = re.compile(r"\bartifacts\.|\.dirs\b|_loaded|\.report\(\)|\.arrays\(|\.checkpoint\(|"
                        r"np\.load\(|torch\.load\(")


def test_a_value_made_once_passes_its_reads_to_every_figure_that_uses_it():
    trace = ReadTrace()
    made = []
    def make() -> int:
        trace.note("codes:ae2", "model:ae2")
        made.append(1)
        return 7
    with trace.frame() as first:
        assert trace.memo("grid", make) == 7
    with trace.frame() as second:  # drawn later (or in a forked worker): made already
        assert trace.memo("grid", make) == 7
    assert made == [1] and first == second == {"codes:ae2", "model:ae2"}


def test_frames_nest_and_a_read_outside_any_frame_is_dropped():
    trace = ReadTrace()
    trace.note("data")
    with trace.frame() as outer:
        with trace.frame() as inner:
            trace.note("report.holes")
        trace.note("cfg.seed")
    assert inner == {"report.holes"} and outer == {"report.holes", "cfg.seed"}


def test_a_report_or_config_read_names_the_field_one_level_into_a_block():
    trace = ReadTrace()
    cfg = Traced(Config(), "cfg", trace, depth=1)
    with trace.frame() as reads:
        hidden = cfg.train.hidden
        seed = cfg.seed
    assert hidden == Config().train.hidden and seed == Config().seed
    assert reads == {"cfg.train.hidden", "cfg.seed"}  # not all of cfg.train: one more β is no change


def test_an_arrays_file_notes_each_key_read_and_the_whole_file_when_listed():
    trace = ReadTrace()
    arrays = TracedArrays({"ae2_window": np.zeros(4), "vae2-beta4_counts": np.ones(2)}, "holes", trace)
    with trace.frame() as reads:
        _ = arrays["ae2_window"]
        assert "vae2_cnn_realism" not in arrays
    assert reads == {"arrays:holes/ae2_window", "arrays:holes/vae2_cnn_realism"}
    with trace.frame() as reads:
        assert sorted(arrays) == ["ae2_window", "vae2-beta4_counts"]
    assert reads == {"arrays:holes"}


def test_no_figure_reads_an_input_around_the_recorder():
    offenders = []
    for path in sorted(FIGURES.rglob("*.py")):
        if path.name in RECORDERS:
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            if UNRECORDED.search(code):
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{n}: {line.strip()}")
    assert not offenders, "figures must read through RenderInputs/FigureData:\n" + "\n".join(offenders)


def test_a_damaged_or_foreign_read_index_means_drawing_again_not_failing(tmp_path):
    from types import SimpleNamespace

    from pipeline.stages.s5_render.figure_jobs import READS_INDEX, FigureJobs
    from pipeline.stages.s5_render.figures.inputs import RenderInputs

    cache = SimpleNamespace(home=tmp_path, job=lambda name, parts: None)
    (tmp_path / READS_INDEX).write_text('{"holes": [["cfg.seed"], "cfg.seed", [3]], "umap": 7}')
    dirs = {stage: tmp_path / stage for stage in ("data", "train", "encode", "analyse")}
    jobs = FigureJobs(Config(), {}, RenderInputs(dirs), cache)
    assert jobs.read_sets("holes") == [["cfg.seed"]] and jobs.read_sets("umap") == []
    jobs._index["holes"] = [["weather:today"]]  # a read kind this code does not know
    assert jobs.find("holes") is None


def test_a_figure_keys_on_its_group_and_the_drawing_code_not_on_other_groups_the_deck_or_widget_colours():
    # A figure's code key: figure_draw.py's and its group module's import closures. Editing one
    # group must not redraw another's figures, nor a widget-only colour (widget_palette.py) any.
    from pipeline.core.codekeys import code_files
    from pipeline.stages.s5_render.figure_jobs import DRAW_MODULE
    from pipeline.stages.s5_render.figures.catalogue import catalogue
    drawing = set(code_files(REPO_ROOT, DRAW_MODULE))
    # the deck's text (slide notes, glossary) is no figure's code: editing it redraws nothing
    assert not {p.name for p in drawing} & {"deck_slides.py", "deck_glossary.py"}
    for spec in catalogue():
        files = {p.relative_to(REPO_ROOT).as_posix() for p in
                 drawing | set(code_files(REPO_ROOT, spec.build.__module__))}
        groups = {f for f in files if "/figures/groups/" in f and not f.endswith(("__init__.py", "common.py"))}
        assert groups == {spec.build.__module__.replace(".", "/") + ".py"}, (spec.id, groups)
        assert "pipeline/core/palette.py" in files and "pipeline/core/widget_palette.py" not in files

"""The hole maps of the main pair: each 2-D model's density grid over its window, summarised
(hole shares, where N(0, I) finds no code). The grids themselves go to holes.npz with the gap
points (``gaps.py``)."""

from __future__ import annotations

from typing import Any

from pipeline.core.grids import WINDOW_RULE
from ..analysis import Analysis
from ..section import Result, Section


def hole_maps(a: Analysis) -> dict[str, Any]:
    """{model id: hole summary} of the main AE and VAE, with the window rule in words."""
    return {mid: {"window_rule": WINDOW_RULE, **a.hole_summary(mid)}
            for mid in a.roles.main_pair.values()}


SECTION = Section("holes", lambda a, _: Result(hole_maps(a)), models=lambda r: (r.ae, r.vae))

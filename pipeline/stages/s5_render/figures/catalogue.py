"""Every figure of the run: stable id, title, page, key flag, how to draw it, and its caption and
alt text written from this run's numbers (a caption never states a number the run did not give).

Ids are stable file names and the site's references (``figure("holes")`` in site_src/pages).
The figures themselves live in ``groups/``, one module per theme; this module only lists the
groups in story order (the deck shows the key figures in this order).
"""

from __future__ import annotations

from .groups import (beyond_2d, claims, clouds_scale, holes_and_samples,
                     models_and_codes, robustness, side_by_side, story, vae_clouds)
from .groups.common import FigureSpec

GROUPS = (story, models_and_codes, robustness, holes_and_samples, vae_clouds, clouds_scale,
          side_by_side, beyond_2d, claims)


def catalogue() -> list[FigureSpec]:
    return [spec for group in GROUPS for spec in group.FIGURES]

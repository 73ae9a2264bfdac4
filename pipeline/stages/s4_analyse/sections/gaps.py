"""Gap points in the holes of the 2-D maps: where they lie and what the judge makes of their decodes."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import batched
from .. import holes
from ..analysis import Analysis
from ..section import Result, Section


def gaps(a: Analysis) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    metrics, arrays = {}, {}
    for mid in a.roles.main_pair.values():
        h = a.hole_map(mid)
        pts, clearance = holes.gap_points(h.holes, h.hull, a.windows[mid], a.cfg.n_gap_points)
        images = batched.decode(a.model(mid), pts, a.device)
        probs = (batched.judge(a.judge, images, a.device)[0] if len(pts)
                 else np.zeros((0, a.judge.head.out_features)))
        metrics[mid] = {
            "points": [{"x": p[0], "y": p[1], "clearance": c, "class": int(q.argmax()),
                        "confidence_fraction": float(q.max())}
                       for p, c, q in zip(pts, clearance, probs)],
            "confidence_mean_fraction": float(probs.max(1).mean()) if len(pts) else None,
        }
        arrays.update({f"{mid}_counts": h.counts, f"{mid}_window": a.windows[mid],
                       f"{mid}_holes": h.holes, f"{mid}_hull": h.hull, f"{mid}_gaps": pts,
                       f"{mid}_gap_clearance": clearance, f"{mid}_gap_images": images})
    return metrics, arrays



def _run(a: Analysis, _: dict) -> Result:
    block, arrays = gaps(a)
    return Result(block, {"holes": arrays})


SECTION = Section("gaps", _run, models=lambda r: (r.ae, r.vae))

"""Analyse stage: measures the holes and the clouds and writes every number the site prints.

Reads the MNIST arrays, the checkpoints and the codes; writes ``metrics.json`` (the typed
``pipeline.core.report.AnalysisReport``: named numbers with units, plus config and seed),
``holes.npz``, ``samples.npz``, ``paths.npz`` and ``claims.npz`` (layouts in ARCHITECTURE.md).
The shared inputs are ``analysis.Analysis``; each group of measurements is one ``Section``
(``section.py``) in a module under ``sections/``, declaring the sections it reads; this module
lists them and saves what they return. A new measurement is a new section module and one line
in ``SECTIONS``.
"""

from __future__ import annotations

import dataclasses

from pipeline.core import report
from pipeline.core.context import StageContext
from pipeline.core.io import save_npz
from .analysis import Analysis
from .section import Result, Section, merged_arrays, run_all
from .sections import (beta_sweep, claims, clouds, gaps, high_dim, hole_maps,
                       holes_excess, interpolation, reference, robustness, samples, vae_terms)

# The report's blocks in the order their arrays go into the npz files (each section runs after
# the ones it needs, whatever its place here).
SECTIONS: list[Section] = [
    reference.SECTION,
    samples.SECTION,
    hole_maps.SECTION,
    gaps.SECTION,
    vae_terms.SECTION,
    interpolation.SECTION,
    beta_sweep.SECTION,
    high_dim.SECTION,
    robustness.SECTION,
    claims.SECTION,
    holes_excess.SECTION,
    clouds.SECTION,
]
NPZ_FILES = ("holes", "samples", "paths", "claims")  # written when a section keeps arrays there


def run(ctx: StageContext) -> str:
    a = Analysis(ctx)
    results = run_all(a, SECTIONS)
    rep = build_report(a, results)
    report.write(ctx.out / "metrics.json", rep)
    arrays = merged_arrays(results)
    unknown = set(arrays) - set(NPZ_FILES)
    if unknown:
        raise ValueError(f"analyse sections keep arrays for unknown files: {sorted(unknown)}")
    for name in NPZ_FILES:
        if name in arrays:
            save_npz(ctx.out / f"{name}.npz", **arrays[name])
    ae, vae = rep.holes[a.roles.ae], rep.holes[a.roles.vae]
    return (f"holes: AE {ae.hole_fraction_hull:.0%} / VAE {vae.hole_fraction_hull:.0%} of hull; "
            f"FID prior AE {rep.samples['ae_prior'].fid:.0f} / VAE "
            f"{rep.samples['vae_prior'].fid:.0f} (test floor "
            f"{rep.reference.test_vs_train.fid:.1f})")


def build_report(a: Analysis, results: dict[str, Result]) -> report.AnalysisReport:
    """The typed report from the sections' blocks (checked field by field: a section that
    drops or adds a number fails here, naming it). A block of None is written as the report's
    field says: null (``high_dim``) or left out (``claims``)."""
    blocks = {name: r.block for name, r in results.items()}
    metrics = {"config": {"analyse": dataclasses.asdict(a.cfg)}, "seed": a.seed,
               "units": report.UNITS, "train": a.train_metrics, **blocks}
    return report.from_json(report.tidy(report.dump(metrics)), "analyse report")

"""Analyse stage: measures the holes and the clouds and writes every number the site prints.

Reads the MNIST arrays, the checkpoints and the codes; writes ``metrics.json`` (the typed
``pipeline.core.report.AnalysisReport``: named numbers with units, plus config and seed),
``holes.npz``, ``samples.npz`` and ``paths.npz`` (layouts in ARCHITECTURE.md). The shared inputs are ``analysis.Analysis``; each group of measurements is one
module under ``sections/``; this module only runs them in order and saves what they return.
A new measurement is a new section module and one line here.
"""

from __future__ import annotations

import dataclasses

from pipeline.core.context import StageContext
from pipeline.core.grids import WINDOW_RULE
from pipeline.core import report
from pipeline.core.io import save_npz
from .analysis import Analysis
from .sections import (beta_sweep, claims, evidence, gaps, high_dim, interpolation, reference,
                       samples, vae_terms)


def run(ctx: StageContext) -> str:
    a = Analysis(ctx)
    ref = reference.reference(a)
    sample_metrics, sample_arrays = samples.main_samples(a)
    gap_metrics, hole_arrays = gaps.gaps(a)
    path_metrics, path_arrays = interpolation.interpolation(a)
    sweep_entries, sweep_samples, sweep_holes = beta_sweep.beta_sweep(a, sample_metrics["vae_prior"])
    high_metrics, high_samples = high_dim.high_dim(a)
    evidence_metrics, realism_maps = evidence.evidence(a)
    metrics = {
        "config": {"analyse": dataclasses.asdict(a.cfg)},
        "seed": a.seed,
        "units": report.UNITS,
        "train": a.train_metrics,
        "holes": {mid: {"window_rule": WINDOW_RULE, **a.hole_summary(mid)} for mid in ("ae2", "vae2")},
        "gaps": gap_metrics,
        "samples": sample_metrics,
        "reference": ref,
        "surgery": {"vae2": vae_terms.surgery_of(a, "vae2")},
        "paths": path_metrics,
        "beta_sweep": sweep_entries,
        "high_dim": high_metrics,
        "evidence": evidence_metrics,
    }
    metrics["surgery"]["vae2"].update(vae_terms.vae_test_terms(a, "vae2"))
    claims_arrays: dict = {}
    if claims.trained(a):  # after the rest: its verdicts read the paths, sweep and surgery numbers
        metrics["claims"], claims_arrays = claims.measure(a, metrics)
    report.write(ctx.out / "metrics.json", build_report(metrics))
    save_npz(ctx.out / "holes.npz", **hole_arrays, **sweep_holes, **realism_maps)
    save_npz(ctx.out / "samples.npz", **sample_arrays, **sweep_samples, **high_samples)
    save_npz(ctx.out / "paths.npz", **path_arrays)
    if claims_arrays:
        save_npz(ctx.out / "claims.npz", **claims_arrays)
    s = sample_metrics
    return (f"holes: AE {a.grids['ae2'].summary['hole_fraction_hull']:.0%} / VAE "
            f"{a.grids['vae2'].summary['hole_fraction_hull']:.0%} of hull; FID prior AE "
            f"{s['ae_prior']['fid']:.0f} / VAE {s['vae_prior']['fid']:.0f} (test floor "
            f"{ref['test_vs_train']['fid']:.1f})")


def build_report(blocks: dict) -> report.AnalysisReport:
    """The typed report from the sections' blocks (checked field by field: a section that
    drops or adds a number fails here, naming it)."""
    return report.from_json(report.tidy(report.dump(blocks)), "analyse report")

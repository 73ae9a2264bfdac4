"""The analysis report: the typed hand-off from analyse to render, the explorer data and the
pages (``analyse/metrics.json``).

One dataclass per block, a docstring per field giving its meaning and unit. Analyse builds an
:class:`AnalysisReport` and writes it with :func:`write`; ``read``
reads it back with :func:`from_json` into the same objects, failing with the path of a missing
or unexpected field. Dict-of-id blocks stay mappings (``report.holes["ae2"]``), so templates read
``m.holes.ae2.hole_fraction_hull`` through Jinja's attribute-or-item lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.core.io import save_json
from .baselines import BaselineHoles, Clouds, HolesExcess
from .blocks import (Gaps, GapPoint, HighDim, HoleSummary, Reference, ReferenceScores, ReconErrors,
                     ScoreBlock, Surgery, SweepEntry, VaeTestTerms)
from .claims import Anomaly, Check, ClaimCases, ClaimVerdict, ClaimVerdicts, Claims
from .paths import PairPath, PathPair, Paths, PathSummary
from .codec import ReportError, describe, dump, field_docs, optional, parse
from .robustness import (Comparison, IwaeBound, JudgeRanges, JudgeResult, PcaJudge, QualityMap, Robustness,
                         SeedVerdicts, SetScores, Spread, ThresholdCheck, VsScores)
from .units import UNITS, tidy


@dataclass
class AnalysisReport:
    """Every number the site prints, named, with units (analyse/metrics.json)."""

    config: dict[str, Any]
    """{"analyse": the analyse config section} the numbers were measured with."""
    seed: int
    """The run's seed."""
    units: dict[str, str]
    """Key (or key suffix) -> unit of every number in the file."""
    train: dict[str, Any]
    """A copy of train/metrics.json ({"models": {id: {kind, latent_dim, beta, epochs, params,
    precision, test}}})."""
    holes: dict[str, HoleSummary]
    """Per main 2-D model id (ae2, vae2)."""
    gaps: dict[str, Gaps]
    """Per main 2-D model id."""
    samples: dict[str, ScoreBlock]
    """Per sample set of the main pair (the sample-set registry's scored sets)."""
    reference: Reference
    """The floor: real test images against real training images."""
    surgery: dict[str, Surgery]
    """The main VAE's ELBO surgery and test terms ("vae2")."""
    paths: Paths
    """Interpolation paths of the main pair."""
    beta_sweep: list[SweepEntry]
    """One entry per β of ``train.beta_sweep``, in that order."""
    high_dim: HighDim | None
    """The higher-dimensional pair (null when ``train.high_latent_dim == 0``)."""
    robustness: Robustness
    """Robustness across seeds and judges: per-case numbers, spreads, comparisons."""
    holes_excess: dict[str, HolesExcess]
    """Per main 2-D model id: its holes against smooth baselines of the same size and spread."""
    clouds: Clouds
    """The main VAE's clouds at the scale where they overlap, and its aggregate posterior."""
    claims: Claims | None = optional()
    """The textbook claims (absent unless ``train.claims`` trained the variants)."""

    @property
    def main_quality_maps(self) -> dict[str, QualityMap]:
        """The main seed's quality maps under the CNN judge ({"ae", "vae"})."""
        return self.robustness.main_quality_maps

    @property
    def main_pair(self) -> dict[str, str]:
        """{"ae": main AE id, "vae": main VAE id}: the first seed's pair."""
        ae, vae = self.robustness.models[self.robustness.main_seed]
        return {"ae": ae, "vae": vae}


def field_table(depth: int = 1) -> str:
    """The report's fields down to ``depth`` levels as a Markdown table (path, type, meaning):
    the contract ARCHITECTURE.md prints, generated from the docstrings."""
    rows = [r for r in describe(AnalysisReport) if r[0].count(".") < depth]
    lines = ["| field | type | meaning |", "|---|---|---|"]
    lines += [f"| `{path}` | `{tp.replace(' | ', ' or ')}` | {doc} |" for path, tp, doc in rows]
    return "\n".join(lines)


def from_json(data: Any, name: str = "metrics.json") -> AnalysisReport:
    """The typed report from metrics.json's data; ReportError "<name>: <field path> is
    missing" (or unexpected, or of the wrong kind)."""
    try:
        return parse(AnalysisReport, data, "")
    except ReportError as e:
        raise ReportError(f"{name}: {e}") from None


def to_json(report: AnalysisReport) -> Any:
    """The report as metrics.json's data (floats rounded by ``tidy``)."""
    return tidy(dump(report))


def read(analyse_dir: Path) -> AnalysisReport:
    """analyse/metrics.json as the typed report: the one reader of it. A missing, unexpected or
    mistyped field is an ArtifactError naming its path ("metrics.json: holes.ae2.hole_fraction_hull
    is missing"). It lives here, not in ``core/artifacts.py``, so that the train stage's code key
    (which holds artifacts.py) does not hold the report's types: editing a report field must
    not retrain every model."""
    from pipeline.core.artifacts import ArtifactError, read_artifact
    from pipeline.core.io import load_json
    data = read_artifact(analyse_dir / "metrics.json", "analyse", load_json)
    try:
        return from_json(data)
    except ReportError as e:
        raise ArtifactError(f"{e}. Its analyse stage wrote another layout: run `python -m "
                            "pipeline run analyse --force` to write it again.") from None


def write(path: Path, report: AnalysisReport) -> None:
    """Write metrics.json: the one writer of the report."""
    save_json(path, to_json(report))


__all__ = [
    "AnalysisReport", "Anomaly", "BaselineHoles", "Clouds", "HolesExcess", "Check", "ClaimCases", "ClaimVerdict", "ClaimVerdicts", "Claims",
    "Comparison", "GapPoint", "Gaps", "HighDim", "HoleSummary", "IwaeBound", "JudgeRanges", "JudgeResult",
    "PairPath", "PathPair", "PathSummary", "Paths", "PcaJudge", "QualityMap", "ReconErrors", "Reference",
    "ReferenceScores", "ReportError", "Robustness", "ScoreBlock", "SeedVerdicts", "SetScores",
    "Spread", "Surgery", "SweepEntry", "ThresholdCheck", "UNITS", "VaeTestTerms", "VsScores",
    "describe", "dump", "field_docs", "field_table", "from_json", "parse", "tidy", "to_json", "write",
]

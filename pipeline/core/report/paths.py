"""The interpolation paths block of the analysis report: straight (and, for the VAE,
spherical) paths between test-image pairs, their frames' judge classes, the density they cross
and their pixel steps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PathPair:
    """A pair of test images the paths run between."""

    id: str
    """Pair id "<digit>-<digit>" (the GIFs' file names)."""
    digits: list[int]
    """The two digits."""
    kind: str
    """"look-alike" or "far"."""
    test_index: list[int]
    """Indices of the two test images."""


@dataclass
class PathSummary:
    """One path kind over all pairs."""

    model: str
    """Model id."""
    confidence_mean_fraction: float
    """The judge's mean confidence on the frames (0..1)."""
    confidence_min_fraction: float
    """Its lowest confidence on any frame (0..1)."""
    steps_in_holes_fraction: float
    """Share of steps in a hole cell or outside the window (0..1)."""
    step_mean: float
    """Mean pixel-space L2 step between frames (pixels 0..1)."""
    step_max: float
    """Largest step (pixels 0..1)."""
    step_max_over_mean: float
    """Mean over pairs of largest step / mean step (1 = evenly spaced frames)."""


@dataclass
class PairPath:
    """One path kind between one pair, step by step."""

    classes: list[int]
    """The judge's class per frame (digit 0..9)."""
    confidence: list[float]
    """The judge's confidence per frame (0..1)."""
    density: list[float]
    """Codes in the grid cell under each frame (count; 0 = hole or outside the window)."""
    step: list[float]
    """Pixel step from the previous frame (pixels 0..1), one per frame after the first."""
    confidence_min_fraction: float
    """Lowest confidence on the path (0..1)."""
    steps_in_holes_fraction: float
    """Share of its steps in holes (0..1)."""
    step_max: float
    """Largest step (pixels 0..1)."""
    step_max_over_mean: float
    """Largest over mean step (ratio)."""


@dataclass
class Paths:
    """Interpolation paths between test-image pairs (linear for both models, spherical for the
    VAE)."""

    n_steps: int
    """Frames per path (count)."""
    kinds: list[str]
    """Path kinds in order (the sample-set registry's PATH_KINDS)."""
    pairs: list[PathPair]
    """The pairs, in order."""
    summary: dict[str, PathSummary]
    """Per path kind, over all pairs."""
    per_pair: dict[str, dict[str, PairPath]]
    """Per pair id, per path kind."""

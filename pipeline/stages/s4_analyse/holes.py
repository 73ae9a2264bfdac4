"""Holes in a 2-D latent space: a density grid of the codes over a window, the empty cells, how
much of the window and of the prior N(0, I) they cover, and the centres of the largest empty
regions ("gap points").

Grid convention (ARCHITECTURE.md): ``counts[row, col]`` with row = y from low to high and col = x;
window = (xmin, xmax, ymin, ymax).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage
from scipy.spatial import ConvexHull, Delaunay
from scipy.special import ndtr


def cell_index(points: np.ndarray, window: np.ndarray, grid: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, col, inside) of the grid cell holding each point; row/col are clipped, so use
    ``inside`` to tell points outside the window."""
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    p = np.asarray(points, dtype=np.float64)
    col = np.floor((p[:, 0] - xmin) / (xmax - xmin) * grid).astype(np.int64)
    row = np.floor((p[:, 1] - ymin) / (ymax - ymin) * grid).astype(np.int64)
    inside = (col >= 0) & (col < grid) & (row >= 0) & (row < grid)
    return np.clip(row, 0, grid - 1), np.clip(col, 0, grid - 1), inside


def density_grid(codes: np.ndarray, window: np.ndarray, grid: int) -> np.ndarray:
    """int32 [grid, grid] count of codes per cell; codes outside the window are not counted."""
    row, col, inside = cell_index(codes, window, grid)
    counts = np.zeros((grid, grid), dtype=np.int64)
    np.add.at(counts, (row[inside], col[inside]), 1)
    return counts.astype(np.int32)


def lookup(counts: np.ndarray, window: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Codes in the grid cell at each point (0 outside the window)."""
    return lookup_inside(counts, window, points)[0]


def lookup_inside(counts: np.ndarray, window: np.ndarray, points: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(codes in the grid cell at each point, 0 outside the window; whether it is inside)."""
    row, col, inside = cell_index(points, window, counts.shape[0])
    return np.where(inside, counts[row, col], 0), inside


def prior_cell_mass(window: np.ndarray, grid: int) -> np.ndarray:
    """float64 [grid, grid]: probability mass of N(0, I) in each cell (exact, via the normal CDF,
    since the prior factorises over the two axes)."""
    xmin, xmax, ymin, ymax = (float(v) for v in window)
    px = np.diff(ndtr(np.linspace(xmin, xmax, grid + 1)))
    py = np.diff(ndtr(np.linspace(ymin, ymax, grid + 1)))
    return py[:, None] * px[None, :]


def hull_mask(counts: np.ndarray) -> np.ndarray:
    """bool [grid, grid]: cells whose centre lies in the convex hull of the occupied cells' centres.

    Emptiness outside the cloud (the window's corners) is not a hole *between* codes; measuring
    inside the hull asks the question the textbook picture asks.
    """
    g = counts.shape[0]
    rows, cols = np.nonzero(counts > 0)
    rr, cc = np.mgrid[0:g, 0:g]
    if len(rows) < 3:
        return counts > 0
    pts = np.column_stack([cols, rows]).astype(np.float64)
    try:
        # Triangulating only the hull's vertices is enough to test membership, and far cheaper.
        tri = Delaunay(pts[ConvexHull(pts).vertices])
    except Exception:  # all occupied cells on one line: no 2-D hull (QhullError)
        return counts > 0
    return (tri.find_simplex(np.column_stack([cc.ravel(), rr.ravel()]).astype(np.float64)) >= 0
            ).reshape(g, g)


@dataclass
class HoleStats:
    counts: np.ndarray       # int32 [G, G]
    holes: np.ndarray        # bool [G, G]
    hull: np.ndarray         # bool [G, G]
    summary: dict[str, float]


def hole_stats(codes: np.ndarray, window: np.ndarray, grid: int, hole_max_count: int) -> HoleStats:
    """Density grid, hole map (cells with <= hole_max_count codes) and the hole fractions: of the
    window's area, of the codes' convex hull, and of the prior's mass."""
    counts = density_grid(codes, window, grid)
    holes = counts <= hole_max_count
    hull = hull_mask(counts)
    mass = prior_cell_mass(window, grid)
    in_window = float(mass.sum())
    cell = float(window[1] - window[0]) / grid
    summary = {
        "grid_cells_per_axis": grid,
        "cell_size": cell,
        "n_codes": int(len(codes)),
        "codes_outside_window_fraction": float(1 - counts.sum() / max(len(codes), 1)),
        "hole_fraction_window": float(holes.mean()),
        "hole_fraction_hull": float(holes[hull].mean()) if hull.any() else 0.0,
        "hull_fraction_window": float(hull.mean()),
        "prior_mass_in_holes_fraction": float(mass[holes].sum()),
        "prior_mass_outside_window_fraction": float(max(1 - in_window, 0.0)),
        # Holes plus outside: the share of prior draws that land where no code is.
        "prior_mass_uncovered_fraction": float(mass[holes].sum() + max(1 - in_window, 0.0)),
    }
    return HoleStats(counts, holes, hull, summary)


def gap_points(holes: np.ndarray, hull: np.ndarray, window: np.ndarray, k: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the k largest empty regions inside the codes' hull.

    Clearance = distance from a hole cell to the nearest occupied cell or the hull's edge
    (Euclidean distance transform of the hole cells inside the hull): the largest empty discs
    that fit inside the cloud. Candidates are local maxima of the clearance; taken greatest
    first, a candidate is dropped if it lies within the clearance radius of one already taken
    (non-maximum suppression), so each point marks a different gap.
    Returns (points float32 [m, 2] in latent coordinates, clearance float32 [m] in latent units),
    m <= k (fewer when the space has fewer gaps).
    """
    g = holes.shape[0]
    cell = float(window[1] - window[0]) / g
    inner = holes & hull
    if not inner.any():
        return np.zeros((0, 2), np.float32), np.zeros(0, np.float32)
    # Pad with non-hole cells so the window's border also bounds the discs.
    clear = ndimage.distance_transform_edt(np.pad(inner, 1))[1:-1, 1:-1]
    peaks = (clear == ndimage.maximum_filter(clear, size=3)) & inner
    rows, cols = np.nonzero(peaks)
    # Greatest clearance first. Between straight hull edges the clearance has flat ridges; among
    # equals prefer the cell nearest the hull's centre (the middle of the gap), then position,
    # so the order is deterministic.
    hr, hc = np.nonzero(hull)
    centre_dist = (rows - hr.mean()) ** 2 + (cols - hc.mean()) ** 2
    order = np.lexsort((cols, rows, centre_dist, -clear[rows, cols]))
    chosen: list[tuple[int, int]] = []
    for i in order:
        r, c = int(rows[i]), int(cols[i])
        if any((r - r2) ** 2 + (c - c2) ** 2 < max(clear[r2, c2], clear[r, c]) ** 2
               for r2, c2 in chosen):
            continue
        chosen.append((r, c))
        if len(chosen) == k:
            break
    rc = np.array(chosen, dtype=np.float64).reshape(-1, 2)
    pts = np.column_stack([window[0] + (rc[:, 1] + 0.5) * cell, window[2] + (rc[:, 0] + 0.5) * cell])
    radii = np.array([clear[r, c] for r, c in chosen], dtype=np.float64) * cell
    return pts.astype(np.float32), radii.astype(np.float32)

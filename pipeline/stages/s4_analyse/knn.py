"""Nearest-neighbour distances in chunks: the full distance matrix of two 10,000-point sets in a
128-d feature space would be 400 MB, so rows are processed a block at a time in float32.

Blocks hold *squared* distances from one matrix product, |q|² + |r|² − 2 q·r (``torch.addmm``),
and every rule here is decided on them: ranks and "within radius r" are the same on squares
(against r²), so only the few distances returned are square-rooted. ``torch.cdist`` computes the
same product but then clamps and square-roots every entry, which took longer. The larger gain
was the block size (CHUNK).

The product itself runs near the matmul peak; what cost as much again were the passes over each
block after it (adding |q|², comparing, reducing). So a row constant is added after a row's
reduction, not to the block (min and top-k commute with adding a constant to a row: rounding is
monotone, the values are the same bits), and the coverage test folds the radii into the product's
bias and one in-place add, leaving two min reductions. The timings behind both choices are in
BENCHMARKS.md ("Numbers behind code choices").
"""

from __future__ import annotations

import numpy as np
import torch
from scipy.spatial import cKDTree

CHUNK = 256  # rows per block: 256 x 10,000 float32 distances = 10 MB, cache-sized (faster than
#               2048-row blocks of 80 MB: BENCHMARKS.md)
KD_TREE_MAX_DIM = 16  # up to here (latent codes) a k-d tree beats brute force by far


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))


def _sq_norms(x: torch.Tensor) -> torch.Tensor:
    return (x * x).sum(1)


def _sq_dists_less_q(q: torch.Tensor, r: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    """[len(q), len(r)]: bias_j − 2 q_i·r_j, the squared distances less each row's |q_i|² when
    ``bias`` is |r_j|² (added back after a row's reduction, which is cheaper than a pass)."""
    return torch.addmm(bias[None, :], q, r.T, alpha=-2)


def _skip_own_rows(d: torch.Tensor, first: int) -> None:
    """Set each block row's own entry (block row r is row ``first`` + r of the set) to +inf. Its
    squared distance is 0 only up to rounding, and a near-duplicate's can round lower, so a row
    is excluded by position, not by rank."""
    rows = torch.arange(d.shape[0])
    d[rows, rows + first] = float("inf")


def _sqrt(sq: torch.Tensor) -> np.ndarray:
    return sq.clamp_min(0).sqrt().numpy()


def kth_nn_radius(x: np.ndarray, k: int) -> np.ndarray:
    """Distance from each row of ``x`` to its k-th nearest *other* row of ``x``."""
    return own_neighbours(x, k)[0]


def own_neighbours(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(distance from each row of ``x`` to its k-th nearest other row, to its nearest other row):
    one pass gives both, as a row's k smallest squared distances to the others hold both."""
    xt = _t(x)
    x_sq = _sq_norms(xt)
    kth = np.empty(len(x), dtype=np.float32)
    nearest = np.empty(len(x), dtype=np.float32)
    for i in range(0, len(x), CHUNK):
        d = _sq_dists_less_q(xt[i:i + CHUNK], xt, x_sq)
        _skip_own_rows(d, i)
        smallest = torch.topk(d, k, dim=1, largest=False).values
        row_sq = x_sq[i:i + CHUNK]
        kth[i:i + CHUNK] = _sqrt(smallest[:, k - 1] + row_sq)
        nearest[i:i + CHUNK] = _sqrt(smallest[:, 0] + row_sq)
    return kth, nearest


def nn_distance(queries: np.ndarray, refs: np.ndarray, exclude_self: bool = False) -> np.ndarray:
    """Distance from each query to its nearest row of ``refs`` (if ``exclude_self``, queries are
    refs[:len(queries)] and the identical row is skipped).

    Latent codes (d <= 16) go to a k-d tree on both cores: 10,000 queries among 60,000 codes in
    well under a second, where a brute-force block costs ~10 s of CPU. Judge features (128- to
    256-d, where a tree is no faster than brute force) go through squared-distance blocks.
    """
    if np.shape(refs)[1] <= KD_TREE_MAX_DIM:
        return _tree_nn_distance(queries, refs, exclude_self)
    q, r = _t(queries), _t(refs)
    r_sq = _sq_norms(r)
    out = np.empty(len(q), dtype=np.float32)
    for i in range(0, len(q), CHUNK):
        block = q[i:i + CHUNK]
        d = _sq_dists_less_q(block, r, r_sq)
        if exclude_self:
            _skip_own_rows(d, i)
        out[i:i + CHUNK] = _sqrt(d.amin(dim=1) + _sq_norms(block))
    return out


def _tree_nn_distance(queries: np.ndarray, refs: np.ndarray, exclude_self: bool) -> np.ndarray:
    tree = cKDTree(np.asarray(refs, dtype=np.float64))
    q = np.asarray(queries, dtype=np.float64)
    if not exclude_self:
        return tree.query(q, k=1, workers=-1)[0].astype(np.float32)
    dist, idx = tree.query(q, k=2, workers=-1)
    # The query itself is normally the first hit; with duplicates it may be the second.
    own = idx[:, 0] == np.arange(len(q))
    return np.where(own, dist[:, 1], dist[:, 0]).astype(np.float32)


def mutual_coverage(a: np.ndarray, b: np.ndarray, rad_a: np.ndarray, rad_b: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """One pass over the a-by-b distances, giving both directions at once (half the work of
    two separate passes): (rows of ``a`` inside some ball of ``b``, rows of ``b`` inside some ball
    of ``a``)."""
    at, bt = _t(a), _t(b)
    ra2, rb2 = _t(rad_a) ** 2, _t(rad_b) ** 2
    bias = _sq_norms(bt) - rb2  # e_ij = d_ij − |a_i|² − rb_j²
    a_in_b = np.empty(len(a), dtype=bool)
    b_slack = torch.full((len(b),), float("inf"))  # min over rows i of d_ij − ra_i² − rb_j²
    for i in range(0, len(a), CHUNK):
        block = at[i:i + CHUNK]
        a_sq = _sq_norms(block)
        e = _sq_dists_less_q(block, bt, bias)
        a_in_b[i:i + CHUNK] = (e.amin(dim=1) <= -a_sq).numpy()  # d_ij <= rb_j² for some j
        e.add_((a_sq - ra2[i:i + CHUNK])[:, None])  # d_ij − ra_i² − rb_j²
        torch.minimum(b_slack, e.amin(dim=0), out=b_slack)
    return a_in_b, (b_slack + rb2 <= 0).numpy()  # rb_j² added after the min over rows

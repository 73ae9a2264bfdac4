"""Nearest-neighbour distances in chunks: the full distance matrix of two 10,000-point sets in a
128-d feature space would be 400 MB, so rows are processed a block at a time in float32."""

from __future__ import annotations

import numpy as np
import torch
from scipy.spatial import cKDTree

CHUNK = 2048  # rows per block: 2048 x 10,000 float32 distances = 80 MB


def _t(a: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32))


def kth_nn_radius(x: np.ndarray, k: int) -> np.ndarray:
    """Distance from each row of ``x`` to its k-th nearest *other* row of ``x``."""
    xt = _t(x)
    out = np.empty(len(x), dtype=np.float32)
    for i in range(0, len(x), CHUNK):
        d = torch.cdist(xt[i:i + CHUNK], xt)
        # The point itself is at distance 0 and is the first of the k+1 smallest; skip it.
        out[i:i + CHUNK] = torch.topk(d, k + 1, dim=1, largest=False).values[:, k].numpy()
    return out


def nn_distance(queries: np.ndarray, refs: np.ndarray, exclude_self: bool = False) -> np.ndarray:
    """Distance from each query to its nearest row of ``refs`` (if ``exclude_self``, queries are
    refs[:len(queries)] and the identical row is skipped).

    For latent codes (d <= 16) a k-d tree answers 10,000 queries among 60,000 codes in well under
    a second, where a brute-force distance block costs ~10 s of CPU.
    """
    tree = cKDTree(np.asarray(refs, dtype=np.float64))
    q = np.asarray(queries, dtype=np.float64)
    if not exclude_self:
        return tree.query(q, k=1)[0].astype(np.float32)
    dist, idx = tree.query(q, k=2)
    # The query itself is normally the first hit; with duplicates it may be the second.
    own = idx[:, 0] == np.arange(len(q))
    return np.where(own, dist[:, 1], dist[:, 0]).astype(np.float32)


def mutual_coverage(a: np.ndarray, b: np.ndarray, rad_a: np.ndarray, rad_b: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """One pass over the a-by-b distances, giving both directions at once (half the work of
    two separate passes): (rows of ``a`` inside some ball of ``b``, rows of ``b`` inside some ball
    of ``a``)."""
    at, bt = _t(a), _t(b)
    ra, rb = _t(rad_a), _t(rad_b)
    a_in_b = np.empty(len(a), dtype=bool)
    b_in_a = torch.zeros(len(b), dtype=torch.bool)
    for i in range(0, len(a), CHUNK):
        d = torch.cdist(at[i:i + CHUNK], bt)
        a_in_b[i:i + CHUNK] = (d <= rb[None, :]).any(dim=1).numpy()
        b_in_a |= (d <= ra[i:i + CHUNK, None]).any(dim=0)
    return a_in_b, b_in_a.numpy()

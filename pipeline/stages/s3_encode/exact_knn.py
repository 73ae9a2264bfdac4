"""Exact nearest neighbours for UMAP, from a k-d tree, in place of pynndescent's approximate ones.

Why: pynndescent's ``nn_descent`` cannot be cached by numba ("uses dynamic globals"), so every
build paid about 27 s compiling it in its first UMAP fit, more than the fits themselves. A k-d
tree (scipy) finds the exact neighbours of 16-D codes in well under a second, and UMAP takes them
through its documented ``precomputed_knn`` argument. UMAP's ``transform`` asks the fit's search
index for the neighbours of the new points (``index.query(X, k, epsilon=...)``); the
:class:`ExactIndex` given in ``precomputed_knn`` answers from the same tree.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

# UMAP warns that transform is unavailable when the index is not pynndescent's own class; this
# index has the one method transform calls, so the warning does not apply.
NOT_NNDESCENT = r"precomputed_knn\[2\] \(knn_search_index\) is not an NNDescent object"


class ExactIndex:
    """The k nearest rows of ``fitted`` (Euclidean), exactly, for UMAP's fit and transform."""

    _angular_trees = False  # read by UMAP's transform to pick pynndescent's epsilon; unused here

    def __init__(self, fitted: np.ndarray):
        self.fitted = np.asarray(fitted, dtype=np.float64)
        self.tree = cKDTree(self.fitted)

    def query(self, queries: np.ndarray, k: int,
              epsilon: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """(indices int32 [n, k], distances float32 [n, k]) of each query's k nearest fitted rows,
        nearest first (a fitted row's own first neighbour is itself, at 0, as in pynndescent).
        ``epsilon`` is pynndescent's search slack: an exact search needs none."""
        dists, indices = self.tree.query(np.asarray(queries, dtype=np.float64), k=k, workers=-1)
        return indices.astype(np.int32), dists.astype(np.float32)

    def precomputed_knn(self, k: int) -> tuple[np.ndarray, np.ndarray, "ExactIndex"]:
        """UMAP's ``precomputed_knn`` argument for a fit on the fitted rows: (their k nearest
        fitted rows, the distances, this index for ``transform``)."""
        return (*self.query(self.fitted, k), self)

"""Array code for the textbook-claims tests: PCA as the linear baseline, k-NN label accuracy of
codes, reconstruction error in the units the models report, and PSNR. No file I/O.

Units match the train stage's test metrics: BCE is summed over an image's pixels (nats)
and averaged over images; MSE is per pixel with pixels in [0, 1]."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy.spatial import cKDTree
from sklearn.decomposition import PCA

from .knn import KD_TREE_MAX_DIM

# PCA reconstructions are not probabilities and can leave [0, 1]; they are clipped to
# [BCE_EPS, 1 - BCE_EPS] before the BCE, so a pixel predicted fully wrong costs log(1/1e-4) = 9.2
# nats instead of infinity. The AE's BCE comes from logits and needs no clipping.
BCE_EPS = 1e-4
KNN_CHUNK = 1024  # query rows per distance block: 1024 x 60,000 float32 = 245 MB


@dataclass
class PcaResult:
    """PCA fitted on the training images: test codes [n, k] and reconstructions [n, pixels]."""

    codes: np.ndarray
    train_codes: np.ndarray
    reconstructions: np.ndarray
    explained_variance_fraction: float


def pca_fit(train_x: np.ndarray, test_x: np.ndarray, components: int, seed: int = 0) -> PcaResult:
    """PCA with ``components`` axes fitted on ``train_x``; codes and reconstructions of
    ``test_x``. Exact, via the eigendecomposition of the pixels x pixels covariance: for 60,000 rows
    that is one matrix product, where the full SVD of the data took ~8x as long (measured)."""
    if components < 1 or components > min(train_x.shape):
        raise ValueError(f"PCA needs 1 <= components <= {min(train_x.shape)}, got {components}")
    pca = PCA(n_components=components, svd_solver="covariance_eigh", random_state=seed)
    train_codes = pca.fit_transform(np.asarray(train_x, dtype=np.float64))
    codes = pca.transform(np.asarray(test_x, dtype=np.float64))
    return PcaResult(codes=codes.astype(np.float32), train_codes=train_codes.astype(np.float32),
                     reconstructions=pca.inverse_transform(codes).astype(np.float32),
                     explained_variance_fraction=float(pca.explained_variance_ratio_.sum()))


def bce_nats(reconstruction: np.ndarray, x: np.ndarray, eps: float = BCE_EPS) -> float:
    """Mean over images of the BCE summed over pixels (nats), probabilities clipped to
    [eps, 1 - eps]."""
    p = np.clip(np.asarray(reconstruction, dtype=np.float64), eps, 1 - eps)
    x = np.asarray(x, dtype=np.float64)
    return float(-(x * np.log(p) + (1 - x) * np.log1p(-p)).sum(axis=1).mean())


def mse_per_pixel(reconstruction: np.ndarray, x: np.ndarray) -> float:
    """Mean squared error per pixel, pixels in [0, 1]."""
    diff = np.asarray(reconstruction, dtype=np.float64) - np.asarray(x, dtype=np.float64)
    return float(np.mean(diff ** 2))


def psnr_db(estimate: np.ndarray, clean: np.ndarray) -> float:
    """Peak signal-to-noise ratio (peak 1) in dB, computed per image and averaged over images;
    an exact copy is capped at 100 dB so the mean stays finite."""
    mse = np.mean((np.asarray(estimate, np.float64) - np.asarray(clean, np.float64)) ** 2, axis=1)
    return float(np.mean(np.minimum(10 * np.log10(1.0 / np.maximum(mse, 1e-10)), 100.0)))


def knn_predict(train_codes: np.ndarray, train_labels: np.ndarray, test_codes: np.ndarray,
                k: int = 5) -> np.ndarray:
    """Majority label of the k nearest training codes (Euclidean) for each test code; a tie goes
    to the smallest label. Codes of up to ``KD_TREE_MAX_DIM`` dimensions go to a k-d tree on both
    cores (a 2-D block search over 60,000 codes is memory-bound, and trees took less than half
    its time: BENCHMARKS.md); raw pixels go through matrix-product blocks."""
    if k < 1 or k > len(train_codes):
        raise ValueError(f"k-NN needs 1 <= k <= {len(train_codes)} training points, got k={k}")
    labels = torch.from_numpy(np.asarray(train_labels, dtype=np.int64))
    if np.shape(train_codes)[1] <= KD_TREE_MAX_DIM:
        tree = cKDTree(np.asarray(train_codes, dtype=np.float64))
        idx = tree.query(np.asarray(test_codes, dtype=np.float64), k=k, workers=-1)[1]
        return _vote(labels[torch.from_numpy(idx.reshape(len(idx), k))], labels)
    ref = torch.from_numpy(np.ascontiguousarray(train_codes, dtype=np.float32))
    queries = torch.from_numpy(np.ascontiguousarray(test_codes, dtype=np.float32))
    out = np.empty(len(queries), dtype=np.int64)
    ref_sq = (ref * ref).sum(1)
    for i in range(0, len(queries), KNN_CHUNK):
        q = queries[i:i + KNN_CHUNK]
        # |q - r|² without the |q|² term (the same for every r of one query): one matmul.
        d = torch.addmm(ref_sq[None, :], q, ref.T, alpha=-2)
        nearest = torch.topk(d, k, dim=1, largest=False).indices
        out[i:i + KNN_CHUNK] = _vote(labels[nearest], labels)
    return out


def _vote(neighbour_labels: torch.Tensor, labels: torch.Tensor) -> np.ndarray:
    """Each row's most frequent label; argmax returns the first maximum, so a tie goes to the
    smallest label."""
    n_classes = int(labels.max()) + 1
    return torch.nn.functional.one_hot(neighbour_labels, n_classes).sum(1).argmax(1).numpy()


def knn_accuracy(train_codes: np.ndarray, train_labels: np.ndarray, test_codes: np.ndarray,
                 test_labels: np.ndarray, k: int = 5) -> float:
    """Share of test codes whose k-NN majority label (train codes → test codes) is right."""
    pred = knn_predict(train_codes, train_labels, test_codes, k)
    return float(np.mean(pred == np.asarray(test_labels)))


def chance_accuracy(train_labels: np.ndarray, test_labels: np.ndarray) -> float:
    """Accuracy of always guessing the most frequent training label: the floor a code must beat."""
    guess = np.bincount(np.asarray(train_labels)).argmax()
    return float(np.mean(np.asarray(test_labels) == guess))

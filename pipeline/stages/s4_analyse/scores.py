"""Scores of a set of images, all in the judge's terms: FID in its feature space, improved
precision/recall (Kynkäänniemi et al. 2019) in the same space, and its class probabilities."""

from __future__ import annotations

import numpy as np

from .knn import kth_nn_radius, mutual_coverage


def fid(feat_a: np.ndarray, feat_b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to two feature sets:
    |μa − μb|² + tr(Σa + Σb − 2 (Σa Σb)^½).

    tr((Σa Σb)^½) is computed as Σ √λ of the symmetric PSD matrix Σa^½ Σb Σa^½ (same eigenvalues
    as Σa Σb), via two symmetric eigendecompositions in float64: no complex parts, no sqrtm
    iterations, and tiny negative eigenvalues from round-off are clipped to zero.
    """
    a = np.asarray(feat_a, dtype=np.float64)
    b = np.asarray(feat_b, dtype=np.float64)
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(cov_a)
    sqrt_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    lam = np.linalg.eigvalsh(sqrt_a @ cov_b @ sqrt_a)
    tr_covmean = np.sqrt(np.clip(lam, 0, None)).sum()
    value = ((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * tr_covmean
    return float(max(value, 0.0))


def precision_recall(real: np.ndarray, fake: np.ndarray, k: int,
                     real_radii: np.ndarray | None = None) -> tuple[float, float]:
    """Improved precision and recall: each set's manifold is the union of balls reaching each
    point's k-th nearest neighbour in that set. Precision = share of fake points inside the real
    manifold (are the samples realistic?); recall = share of real points inside the fake manifold
    (is the data's variety covered?). ``real_radii`` may be passed to reuse them across sets."""
    if real_radii is None:
        real_radii = kth_nn_radius(real, k)
    fake_radii = kth_nn_radius(fake, k)
    fake_in_real, real_in_fake = mutual_coverage(fake, real, fake_radii, real_radii)
    return float(fake_in_real.mean()), float(real_in_fake.mean())


def class_histogram(classes: np.ndarray, n_classes: int) -> np.ndarray:
    """Share of each of the ``n_classes`` predicted classes (sums to 1)."""
    return np.bincount(np.asarray(classes, dtype=np.int64), minlength=n_classes) / len(classes)


def judge_summary(probs: np.ndarray) -> dict[str, object]:
    """Mean confidence (max class probability), mean entropy (nats), the predicted-class
    histogram, and its distance from uniform: total variation (0 = balanced, 0.9 = one class) and
    KL(hist || uniform) in nats (0 = balanced, log(classes) = one class; 2.30 for ten)."""
    p = np.asarray(probs, dtype=np.float64)
    n_classes = p.shape[1]
    hist = class_histogram(p.argmax(1), n_classes)
    entropy = -(p * np.log(np.clip(p, 1e-12, None))).sum(1)
    nz = hist[hist > 0]
    return {
        "confidence_mean_fraction": float(p.max(1).mean()),
        "entropy_mean_nats": float(entropy.mean()),
        "class_hist_fraction": [float(h) for h in hist],
        "class_tv_from_uniform_fraction": float(0.5 * np.abs(hist - 1 / n_classes).sum()),
        "class_kl_from_uniform_nats": float((nz * np.log(nz * n_classes)).sum()),
    }

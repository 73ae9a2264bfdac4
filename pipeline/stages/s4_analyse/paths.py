"""Interpolation paths between two test images: which pairs, the latent path itself (linear, or
spherical for the VAE), and what changes from frame to frame."""

from __future__ import annotations

import numpy as np

from pipeline.core.imaging import to_unit

# MNIST's look-alike digits, whose codes may be near, and far pairs, whose path must cross other
# classes: chosen by eye, and kept so that the default build's paths stay those it published.
PAIR_DIGITS: tuple[tuple[int, int, str], ...] = (
    (4, 9, "look-alike"), (3, 8, "look-alike"), (1, 7, "look-alike"),
    (0, 1, "far"), (6, 7, "far"), (2, 5, "far"),
)
PAIRS_PER_KIND = 3


Pairs = tuple[tuple[int, int, str], ...]  # (class, class, "look-alike" | "far") per path


def class_pairs(dataset: str, images: np.ndarray, labels: np.ndarray) -> Pairs:
    """(class, class, "look-alike" | "far") of each path: MNIST's pairs chosen by eye
    (``PAIR_DIGITS``); for another data set, the pairs of classes whose mean images are nearest
    (look-alike) and farthest (far) in pixel space, up to ``PAIRS_PER_KIND`` of each, none twice."""
    if dataset == "mnist":
        return PAIR_DIGITS
    classes = np.unique(labels)
    x = to_unit(images).reshape(len(images), -1)
    means = np.stack([x[labels == c].mean(0) for c in classes])
    dist = np.linalg.norm(means[:, None] - means[None], axis=-1)
    ranked = sorted((float(dist[i, j]), int(classes[i]), int(classes[j]))
                    for i in range(len(classes)) for j in range(i + 1, len(classes)))
    if len(ranked) == 1:  # two classes: one path, between them
        return ((ranked[0][1], ranked[0][2], "far"),)
    k = min(PAIRS_PER_KIND, len(ranked) // 2)
    return (tuple((a, b, "look-alike") for _, a, b in ranked[:k])
            + tuple((a, b, "far") for _, a, b in ranked[len(ranked) - k:][::-1]))


def choose_pairs(labels: np.ndarray, judged: np.ndarray, rng: np.random.Generator,
                 digits: tuple[tuple[int, int, str], ...]) -> np.ndarray:
    """int64 [P, 2] test indices, one random image of each digit of each pair, chosen among the
    images whose ``judged`` class is their label (so each path starts and ends on a clean digit;
    any image of the digit where none is)."""
    pairs = []
    for a, b, _ in digits:
        ends = []
        for digit in (a, b):
            ok = np.nonzero((labels == digit) & (judged == digit))[0]
            if len(ok) == 0:
                ok = np.nonzero(labels == digit)[0]
            ends.append(int(rng.choice(ok)))
        pairs.append(ends)
    return np.array(pairs, dtype=np.int64)


def linear(z0: np.ndarray, z1: np.ndarray, steps: int) -> np.ndarray:
    """[steps, d]: (1 − t) z0 + t z1 for t evenly spaced in [0, 1]."""
    t = np.linspace(0.0, 1.0, steps)[:, None]
    return ((1 - t) * z0[None].astype(np.float64) + t * z1[None].astype(np.float64)).astype(np.float32)


def slerp(z0: np.ndarray, z1: np.ndarray, steps: int) -> np.ndarray:
    """[steps, d]: spherical interpolation (Shoemake 1985; White 2016 for generative models).
    Under a Gaussian prior, a linear path's midpoint has a smaller norm than typical samples;
    slerp keeps to the shell where the prior's mass lies. Falls back to linear for (anti)parallel
    endpoints, where the great circle is undefined."""
    a, b = z0.astype(np.float64), z1.astype(np.float64)
    na, nb = np.linalg.norm(a), np.linalg.norm(b)
    if na == 0 or nb == 0:
        return linear(z0, z1, steps)
    cos = np.clip(a @ b / (na * nb), -1.0, 1.0)
    omega = np.arccos(cos)
    if np.sin(omega) < 1e-6:
        return linear(z0, z1, steps)
    t = np.linspace(0.0, 1.0, steps)[:, None]
    out = (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)
    return out.astype(np.float32)


def pixel_steps(frames: np.ndarray) -> np.ndarray:
    """float32 [..., S]: pixel-space L2 distance of each frame to the previous one (images scaled
    to 0..1; the first frame gets 0). Even steps = a smooth morph; one big jump = a cut."""
    x = to_unit(frames).reshape(*frames.shape[:-2], -1)
    d = np.zeros(x.shape[:-1], dtype=np.float32)
    d[..., 1:] = np.linalg.norm(np.diff(x, axis=-2), axis=-1)
    return d

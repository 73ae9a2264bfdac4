"""Interpolation paths between two test images: which pairs, the latent path itself (linear, or
spherical for the VAE), and what changes from frame to frame."""

from __future__ import annotations

import numpy as np

from pipeline.core.imaging import to_unit

# Look-alike digits, whose codes may be near, and far pairs, whose path must cross other classes.
PAIR_DIGITS: tuple[tuple[int, int, str], ...] = (
    (4, 9, "look-alike"), (3, 8, "look-alike"), (1, 7, "look-alike"),
    (0, 1, "far"), (6, 7, "far"), (2, 5, "far"),
)


def choose_pairs(labels: np.ndarray, judged: np.ndarray, rng: np.random.Generator,
                 digits: tuple[tuple[int, int, str], ...] = PAIR_DIGITS) -> np.ndarray:
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

"""The digit palette under colour-vision deficiency, and digit labels readable on white.

Machado, Oliveira & Fernandes (2009) full-severity matrices on linear RGB, then CIELAB distances
(ΔE 1976). Measured for Petroff's ten colours: the closest pair is 3/8 (the two greys) in every
simulation, ΔE 17-19; deuteranopia also brings 0/4 and 1/6 to about 18-20. No pair collapses, but
small scatter dots of the near-twins are hard to tell apart, so every code scatter writes each
digit on its cluster (code_labels.label_clusters) instead of leaving the reader to a legend."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np

from pipeline.core.palette import DIGIT_COLORS, DIGIT_TEXT_COLORS, contrast, rgb

MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
MIN_DELTA_E = 15.0  # below this, two colours of small dots read as one


def _lab(color: str, matrix: list[list[float]]) -> np.ndarray:
    c = np.array(rgb(color)) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    simulated = np.clip(np.array(matrix) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ simulated / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_no_two_digit_colours_collapse_under_colour_vision_deficiency() -> None:
    for kind, matrix in MACHADO.items():
        labs = [_lab(c, matrix) for c in DIGIT_COLORS]
        closest = min((float(np.linalg.norm(labs[i] - labs[j])), i, j)
                      for i, j in itertools.combinations(range(10), 2))
        assert closest[0] >= MIN_DELTA_E, f"{kind}: digits {closest[1]} and {closest[2]} ΔE {closest[0]:.1f}"


def test_digit_label_colours_are_readable_on_white_and_keep_their_hue() -> None:
    for color, text in zip(DIGIT_COLORS, DIGIT_TEXT_COLORS):
        assert contrast(text) >= 4.5, (color, text)
        if contrast(color) >= 4.5:
            assert text == color  # dark enough already: unchanged


def test_code_scatters_label_each_cluster_with_its_digit() -> None:
    from pipeline.stages.s5_render.figures import codes, style
    style.apply()
    rng = np.random.default_rng(0)
    angles = np.repeat(np.arange(10) * 2 * np.pi / 10, 200)
    r = rng.uniform(1, 5, len(angles))
    z = np.stack([r * np.cos(angles), r * np.sin(angles)], 1) + rng.normal(0, 0.1, (len(angles), 2))
    labels = np.repeat(np.arange(10), 200).astype(np.uint8)
    fig, ax = plt.subplots(figsize=(5, 5))
    codes.scatter_codes(ax, z, labels)
    names = sorted(t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("label"))
    plt.close(fig)
    assert names == [str(d) for d in range(10)]


def test_a_label_sits_where_its_digit_is_the_most_common_and_none_on_a_mix() -> None:
    """An AE-like map: ten rays out of one hub, where every digit mixes. Each label must sit out
    on its own ray (where that digit is nearly all of the codes around), and a digit that is only
    ever in the mix (here 9) gets no label at all."""
    from pipeline.stages.s5_render.figures import code_labels
    rng = np.random.default_rng(1)
    zs, labels = [], []
    for d in range(9):
        angle = d * 2 * np.pi / 9
        r = np.concatenate([rng.uniform(0, 1, 300), rng.uniform(1, 8, 100)])  # most at the hub
        zs.append(np.stack([r * np.cos(angle), r * np.sin(angle)], 1) + rng.normal(0, 0.1, (400, 2)))
        labels.append(np.full(400, d))
    zs.append(rng.normal(0, 0.5, (400, 2)))  # digit 9: only in the hub
    labels.append(np.full(400, 9))
    z, labels = np.concatenate(zs), np.concatenate(labels).astype(np.uint8)
    fig, ax = plt.subplots(figsize=(5, 5))
    code_labels.label_clusters(ax, z, labels)
    placed = {int(t.get_text()): np.array(t.get_position()) for t in ax.texts}
    plt.close(fig)
    assert sorted(placed) == list(range(9))
    for d, (x, y) in placed.items():
        angle = d * 2 * np.pi / 9
        assert np.hypot(x, y) > 1.5, (d, x, y)  # out of the hub
        assert abs(x * np.sin(angle) - y * np.cos(angle)) < 0.5, (d, x, y)  # on its own ray


def test_a_label_under_the_panel_s_legend_is_hidden() -> None:
    from pipeline.stages.s5_render.figures import code_labels
    rng = np.random.default_rng(2)
    z = np.concatenate([rng.normal((-3, 3), 0.3, (200, 2)), rng.normal((3, -3), 0.3, (200, 2))])
    labels = np.repeat([0, 1], 200).astype(np.uint8)
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.set_xlim(-4, 4)
    ax.set_ylim(-4, 4)
    code_labels.label_clusters(ax, z, labels)
    ax.plot([], [], label="a legend wide enough to cover the lower right corner")
    ax.legend(loc="lower right")
    fig.canvas.draw()
    shown = sorted(t.get_text() for t in ax.texts if t.get_visible())
    plt.close(fig)
    assert shown == ["0"]  # the 1s' label sat under the legend


def test_a_label_at_the_edge_of_its_panel_is_moved_inside() -> None:
    from pipeline.stages.s5_render.figures import code_labels
    rng = np.random.default_rng(3)
    z = np.concatenate([rng.normal((-2, 0), 0.3, (300, 2)), rng.normal((3.9, 0), 0.3, (300, 2))])
    labels = np.repeat([0, 1], 300).astype(np.uint8)
    fig, ax = plt.subplots(figsize=(3, 3))
    code_labels.label_clusters(ax, z, labels, fontsize=30)
    ax.set_xlim(-4, 4)  # the 1s' far end lies on the right edge
    ax.set_ylim(-4, 4)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.bbox
    for t in ax.texts:
        box = t.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 + 0.5, t.get_text()
    plt.close(fig)

"""PCA, k-NN accuracy, reconstruction units, PSNR, AUROC and the OOD sets, on synthetic arrays."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.stages.s4_analyse import anomaly, baselines as b


def test_pca_reconstructs_points_on_a_line_exactly():
    rng = np.random.default_rng(0)
    direction = rng.normal(size=784)
    train = np.outer(rng.normal(size=200), direction) + 0.3
    test = np.outer(rng.normal(size=50), direction) + 0.3
    res = b.pca_fit(train, test, components=1)
    assert np.allclose(res.reconstructions, test, atol=1e-4)
    assert res.codes.shape == (50, 1) and res.train_codes.shape == (200, 1)
    assert res.explained_variance_fraction == pytest.approx(1.0)
    assert b.mse_per_pixel(res.reconstructions, test) < 1e-8


def test_pca_with_too_few_components_loses_variance_and_rejects_bad_sizes():
    rng = np.random.default_rng(1)
    train = rng.random((100, 784))
    res = b.pca_fit(train, train[:10], components=2)
    assert b.mse_per_pixel(res.reconstructions, train[:10]) > 0.01
    with pytest.raises(ValueError, match="components"):
        b.pca_fit(train, train, components=0)


def test_bce_nats_is_summed_over_pixels_and_clipped():
    x = np.zeros((3, 784))
    x[:, :10] = 1.0
    half = np.full((3, 784), 0.5)
    assert b.bce_nats(half, x) == pytest.approx(784 * math.log(2))
    # Fully wrong on 10 pixels, and outside [0, 1] elsewhere: finite, 10 × log(1/eps) + tiny.
    wrong = np.full((3, 784), -0.2)
    assert b.bce_nats(wrong, x) == pytest.approx(10 * math.log(1 / b.BCE_EPS) + 774 * -math.log1p(-b.BCE_EPS))


def test_psnr_of_known_errors():
    clean = np.zeros((2, 784))
    assert b.psnr_db(clean + 0.1, clean) == pytest.approx(20.0)  # MSE 0.01 -> 20 dB
    assert b.psnr_db(clean, clean) == 100.0  # capped


def test_knn_accuracy_on_separated_and_on_shuffled_clusters():
    rng = np.random.default_rng(2)
    centres = np.array([[0, 0], [10, 0], [0, 10]], float)
    train_y, test_y = rng.integers(0, 3, 300), rng.integers(0, 3, 60)
    train = centres[train_y] + rng.normal(0, 0.5, (300, 2))
    test = centres[test_y] + rng.normal(0, 0.5, (60, 2))
    assert b.knn_accuracy(train, train_y, test, test_y, k=5) == 1.0
    shuffled = rng.permutation(train_y)  # labels unrelated to position: about chance
    assert b.knn_accuracy(train, shuffled, test, test_y, k=5) < 0.6
    with pytest.raises(ValueError, match="k-NN"):
        b.knn_accuracy(train[:3], train_y[:3], test, test_y, k=5)


def test_knn_tie_goes_to_the_smallest_label():
    train = np.array([[0.0], [1.0], [-1.0], [2.0]])
    labels = np.array([3, 1, 1, 3])
    assert b.knn_predict(train, labels, np.array([[0.5]]), k=4).tolist() == [1]


def test_chance_is_the_majority_guess():
    assert b.chance_accuracy(np.array([0, 1, 1, 1]), np.array([1, 2, 2, 2])) == 0.25


def test_auroc_identical_lists_is_a_coin_and_separated_lists_are_perfect():
    s = np.array([0.1, 0.5, 0.9, 0.3])
    assert anomaly.auroc(s, s) == 0.5
    assert anomaly.auroc(s, s + 10) == 1.0
    assert anomaly.auroc(s + 10, s) == 0.0


def test_ood_sets_are_deterministic_mnist_shaped_images():
    a, b2 = anomaly.letters(60, seed=3), anomaly.letters(60, seed=3)
    assert np.array_equal(a, b2) and a.shape == (60, 784) and a.dtype == np.float32
    assert not np.array_equal(a, anomaly.letters(60, seed=4))  # the jitter follows the seed
    assert 0 <= a.min() and a.max() <= 1
    ink = a.reshape(-1, 28, 28)
    border = ink.sum() - ink[:, 2:-2, 2:-2].sum()
    assert border < 0.01 * ink.sum()  # almost no ink in a 2-pixel margin, as in MNIST
    assert all(img.sum() > 20 for img in a)  # every glyph has ink
    noise = anomaly.uniform_noise(5, seed=0)
    assert np.array_equal(noise, anomaly.uniform_noise(5, seed=0)) and noise.shape == (5, 784)


def test_upside_down_turns_by_180_degrees():
    img = np.zeros((1, 784), np.float32)
    img[0, 0] = 1.0  # top-left pixel
    turned = anomaly.upside_down(img)
    assert turned[0, 783] == 1.0 and turned.sum() == 1.0
    assert np.array_equal(anomaly.upside_down(turned), img)


def test_knn_tree_and_block_paths_agree(monkeypatch):
    """Codes (k-d tree) and pixels (matrix-product blocks) take different paths to one answer."""
    rng = np.random.default_rng(5)
    train, test = rng.normal(size=(300, 3)), rng.normal(size=(50, 3))
    labels = rng.integers(0, 4, 300)
    by_tree = b.knn_predict(train, labels, test, k=5)
    monkeypatch.setattr(b, "KD_TREE_MAX_DIM", 0)
    by_blocks = b.knn_predict(train, labels, test, k=5)
    d = np.linalg.norm(test[:, None] - train[None], axis=2)
    expected = [np.bincount(labels[np.argsort(row)[:5]], minlength=4).argmax() for row in d]
    assert by_tree.tolist() == by_blocks.tolist() == expected

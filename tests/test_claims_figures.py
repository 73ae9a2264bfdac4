"""The claims figures build in both layouts from synthetic arrays."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.stages.s5_render.figures import claims_plots as c


@pytest.mark.parametrize("layout", ["web", "slide"])
def test_claims_figures_have_one_panel_per_input(layout):
    rng = np.random.default_rng(0)
    z, y = rng.normal(size=(300, 2)), rng.integers(0, 10, 300)
    fig = c.code_panels_figure([("AE-2", z), ("PCA-2", z * 5)], y, layout=layout)
    assert [ax.get_title() for ax in fig.axes[:2]] == ["AE-2", "PCA-2"]
    rows = c.digit_rows_figure([("clean", rng.random((6, 784))), ("noisy", rng.random((6, 784)))], layout)
    assert len(rows.axes) == 2
    scores = {"ae2": {"test": rng.gamma(5, 20, 200), "letters": rng.gamma(9, 20, 100)}}
    hist = c.ood_histograms_figure(scores, {"ae2": {"letters": 0.83}}, {"ae2": "BCE (nats)"}, layout)
    labels = [t.get_text() for t in hist.axes[0].get_legend().get_texts()]
    assert labels == ["test digits", "letters (AUC 0.83)"]
    assert hist.axes[0].get_xscale() == "log"


def test_digit_rows_labels_stay_inside_the_saved_figure():
    """The claims-denoising figure cut "trained: noisy" off at the left edge: the layout made room
    for the row labels only from its second pass, and saving runs one."""
    import io

    rng = np.random.default_rng(0)
    fig = c.digit_rows_figure([("trained: noisy", rng.random((8, 784))), ("clean", rng.random((8, 784)))])
    fig.savefig(io.BytesIO(), format="png")
    lefts = [ax.yaxis.label.get_window_extent().x0 for ax in fig.axes]
    assert min(lefts) >= 0, lefts

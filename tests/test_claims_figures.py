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

"""The analyse sections of issue 24 (holes with a baseline, clouds at their scale) on synthetic
codes: their blocks fit the typed report and come back through the one loader, their arrays
have the documented names and shapes, and the same seed gives the same numbers."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from pipeline.core import artifacts, report
from pipeline.core.grids import latent_window
from pipeline.core.report import Clouds, HolesExcess
from pipeline.stages.s4_analyse import holes
from pipeline.stages.s4_analyse.sections import clouds, holes_excess
from tests.report_examples import example


class StubAnalysis:
    """The few shared inputs the two sections read, for 2-D synthetic codes."""

    def __init__(self) -> None:
        rng = np.random.default_rng(0)
        ring = 4 * np.stack([np.cos(np.arange(10) * 0.628), np.sin(np.arange(10) * 0.628)], 1)
        ae = ring[rng.integers(0, 10, 6000)] + rng.normal(0, 0.3, (6000, 2))
        vae = rng.standard_normal((6000, 2))
        self._codes = {"ae2": {"train_z": ae.astype(np.float32)},
                       "vae2": {"train_z": vae.astype(np.float32),
                                "train_logvar": np.full((6000, 2), -6.0, np.float32)}}
        self.cfg = SimpleNamespace(grid=32, hole_max_count=0, n_gap_points=4)
        self.seed, self.device = 0, "cpu"
        self.roles = SimpleNamespace(main_pair={"ae": "ae2", "vae": "vae2"})
        self.judge = SimpleNamespace(head=SimpleNamespace(out_features=10))
        self.windows: dict[str, np.ndarray] = {}
        self._maps: dict[str, holes.HoleStats] = {}

    def codes(self, mid: str) -> dict[str, np.ndarray]:
        return self._codes[mid]

    def model(self, mid: str) -> str:
        return mid

    def hole_summary_stub(self, mid: str) -> dict:
        """The few hole-summary fields the macros read."""
        return {"hole_max_count": 0, "n_codes": len(self._codes[mid]["train_z"]),
                **self.hole_map(mid).summary}

    def hole_map(self, mid: str) -> holes.HoleStats:
        if mid not in self._maps:
            z = self._codes[mid]["train_z"]
            self.windows[mid] = latent_window(z)
            self._maps[mid] = holes.hole_stats(z, self.windows[mid], self.cfg.grid, 0)
        return self._maps[mid]


@pytest.fixture
def no_torch(monkeypatch):
    """Decodes are blank images; the judge says "7" with confidence 0.9."""
    probs = lambda k: np.tile(np.where(np.arange(10) == 7, 0.9, 0.1 / 9), (k, 1))
    monkeypatch.setattr(holes_excess.batched, "decode",
                        lambda model, z, device: np.zeros((len(z), 28, 28), np.uint8))
    monkeypatch.setattr(holes_excess.batched, "judge",
                        lambda judge, images, device: (probs(len(images)), None))


def test_the_blocks_round_trip_through_the_loader(tmp_path, no_torch):
    a = StubAnalysis()
    excess = holes_excess.SECTION.run(a, {})
    cl = clouds.SECTION.run(a, {})
    rep = example(report.AnalysisReport)
    rep.holes_excess = report.parse(dict[str, HolesExcess], report.tidy(report.dump(excess.block)))
    rep.clouds = report.parse(Clouds, report.tidy(report.dump(cl.block)))
    report.write(tmp_path / "metrics.json", rep)
    back = report.read(tmp_path)
    assert back == rep
    ae, vae = back.holes_excess["ae2"], back.holes_excess["vae2"]
    assert set(ae.baselines) == {"gauss"} and set(vae.baselines) == {"gauss", "prior"}
    # Ten clusters on a ring are far emptier than their fitted Gaussian; N(0, I) codes are not.
    assert ae.baselines["gauss"].excess_hole_fraction_hull > 0.2
    assert abs(vae.baselines["prior"].excess_hole_fraction_hull) < 0.05
    assert ae.gaps.points and all(p.x ** 2 + p.y ** 2 <= ae.prior_radius ** 2 for p in ae.gaps.points)
    assert ae.gaps.points[0].class_ == 7 and ae.gaps.confidence_mean_fraction == pytest.approx(0.9)
    assert back.clouds.model == "vae2" and back.clouds.overlap_count_median >= 0
    assert 0 <= back.clouds.aggregate_vs_prior_tv_fraction <= 1


def test_the_arrays_have_their_names_shapes_and_are_seeded(no_torch):
    a, b = StubAnalysis(), StubAnalysis()
    first = {**holes_excess.SECTION.run(a, {}).arrays["holes"], **clouds.SECTION.run(a, {}).arrays["holes"]}
    again = {**holes_excess.SECTION.run(b, {}).arrays["holes"], **clouds.SECTION.run(b, {}).arrays["holes"]}
    for mid in ("ae2", "vae2"):
        assert first[f"{mid}_excess_cells"].shape == (32, 32) and first[f"{mid}_excess_cells"].dtype == bool
        k = len(first[f"{mid}_excess_gaps"])
        assert first[f"{mid}_excess_gap_images"].shape == (k, 28, 28) and len(first[f"{mid}_excess_gap_clearance"]) == k
    agg = first["vae2_aggregate_mass"]
    assert agg.shape == (32, 32) and agg.dtype == np.float32 and 0.95 < agg.sum() <= 1.0 + 1e-5
    assert set(first) == set(again) and all(np.array_equal(first[k], again[k]) for k in first)


def test_the_measures_macros_print_the_blocks_numbers(no_torch):
    """site_src/measures.j2 renders with the site's filters from these blocks (a missing field
    fails under StrictUndefined) and prints their numbers."""
    import jinja2
    from pipeline.core.config import REPO_ROOT
    from pipeline.stages.s6_site import helpers
    a = StubAnalysis()
    parse = lambda tp, block: report.parse(tp, report.tidy(report.dump(block)))
    holes_blocks = {mid: SimpleNamespace(**a.hole_summary_stub(mid)) for mid in ("ae2", "vae2")}
    m = SimpleNamespace(holes=holes_blocks, main_pair={"ae": "ae2", "vae": "vae2"},
                        holes_excess=parse(dict[str, HolesExcess], holes_excess.SECTION.run(a, {}).block),
                        clouds=parse(Clouds, clouds.SECTION.run(a, {}).block))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO_ROOT / "site_src"),
                             undefined=jinja2.StrictUndefined)
    helpers.install(env)
    text = env.from_string(
        '{%- import "measures.j2" as ms -%}{{ ms.excess_holes_sentence(m) }} {{ ms.excess_gaps_sentence(m) }} '
        '{{ ms.excess_holes_how(m) }} {{ ms.clouds_overlap_sentence(m) }} {{ ms.aggregate_sentence(m) }}'
    ).render(m=m)
    assert helpers.pct(m.holes_excess["ae2"].baselines["gauss"].excess_hole_fraction_hull, 0) in text
    assert helpers.num(m.clouds.overlap_count_median, 0) in text
    assert "  " not in text and " ." not in text and " :" not in text

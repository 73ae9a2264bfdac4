"""Issue 13's measurements on synthetic arrays: decoder-relative scores, the decoded-quality
map, the IWAE bound, the all-seeds-and-judges rule, and the second judge."""

from __future__ import annotations

import html
from types import SimpleNamespace
import math

import numpy as np
import pytest
import torch

from pipeline.core import robust
from pipeline.core.artifacts import ModelRoles
from pipeline.core.report import Spread
from pipeline.core.grids import latent_window
from pipeline.core.judges import JudgeMLP
from pipeline.core.models import VariationalAutoencoder, load_checkpoint, checkpoint_dict
from pipeline.stages.s4_analyse import decoder_relative, holes, iwae, knn, quality_map
from pipeline.stages.s4_analyse.analysis import Analysis
from pipeline.stages.s4_analyse.jobs import AnalyseJobs


def blobs(n: int, centre: float, spread: float, seed: int, d: int = 8) -> np.ndarray:
    return (centre + spread * np.random.default_rng(seed).standard_normal((n, d))).astype(np.float32)


# ------------------------------------------------------------------------------ decoder-relative

def test_recall_is_zero_against_a_shifted_reference_and_high_against_the_near_one():
    """The failure the issue reports, reproduced: tight 'blurry' samples far from a spread 'real'
    set cover none of it; against a reference drawn like the samples, recall is high."""
    real = blobs(600, 0.0, 1.0, 0)
    recon = blobs(600, 3.0, 0.2, 1)
    samples = blobs(600, 3.0, 0.2, 2)
    real_ref, recon_ref = (decoder_relative.make_reference(f, 3) for f in (real, recon))
    out = {name: decoder_relative.score_against(ref, samples)
           for name, ref in (("vs_recon", recon_ref), ("vs_real", real_ref))}
    assert out["vs_real"]["recall_fraction"] == 0.0
    assert out["vs_recon"]["recall_fraction"] > 0.8
    assert out["vs_recon"]["fid"] < 0.1 * out["vs_real"]["fid"]


def test_samples_off_the_decoders_manifold_lose_precision_against_recon():
    recon_ref = decoder_relative.make_reference(blobs(500, 0.0, 1.0, 0), 3)
    on = decoder_relative.score_against(recon_ref, blobs(500, 0.0, 1.0, 1))
    off = decoder_relative.score_against(recon_ref, blobs(500, 4.0, 1.0, 2))
    assert on["precision_fraction"] > 0.8 > 0.1 > off["precision_fraction"]


def test_reference_too_small_for_k_is_an_error():
    with pytest.raises(ValueError, match="k = 3"):
        decoder_relative.make_reference(blobs(3, 0.0, 1.0, 0), 3)


# ------------------------------------------------------------------------------ quality map

def test_cell_centres_follow_the_hole_grid_convention():
    window = np.array([0.0, 4.0, 10.0, 12.0], np.float32)
    pts = quality_map.cell_centres(window, 4)
    row, col, inside = holes.cell_index(pts, window, 4)
    assert inside.all()
    assert (row * 4 + col == np.arange(16)).all()


@pytest.mark.parametrize("d", [8, 40])  # the k-d tree (codes) and the block (features) paths
def test_nearest_distance_excludes_self_and_matches_brute_force(monkeypatch, d):
    monkeypatch.setattr(knn, "CHUNK", 7)
    x, y = blobs(30, 0, 1, 0, d), blobs(20, 0, 1, 1, d)
    dxy = np.linalg.norm(x[:, None] - y[None], axis=2)
    assert np.allclose(knn.nn_distance(x, y), dxy.min(1), atol=1e-4)
    dx = np.linalg.norm(x[:, None] - x[None], axis=2) + np.diag(np.full(30, np.inf))
    assert np.allclose(knn.nn_distance(x, x, exclude_self=True), dx.min(1), atol=1e-4)


def test_quality_map_flags_far_cells_and_sums_shares():
    g = 4
    recon = blobs(400, 0.0, 1.0, 0)
    cell_feats = blobs(g * g, 0.0, 1.0, 1)
    cell_feats[:4] += 50.0                       # the bottom row decodes to nothing like a recon
    counts = np.ones((g, g), np.int32)
    counts[0] = 0                                # ... and it is the row of hole cells
    counts[1, 0] = 0
    mass = holes.prior_cell_mass(np.array([-2, 2, -2, 2], np.float32), g)
    metrics, score = quality_map.quality_map(cell_feats, quality_map.manifold(recon, 99), counts, 0, mass)
    assert score.shape == (g, g) and (score[0] > metrics["threshold_realism"]).all()
    assert metrics["off_manifold_in_holes_fraction"] >= 0.8         # 4 (or 5) of 5 hole cells
    assert metrics["off_manifold_in_occupied_fraction"] <= 0.1
    off = score > metrics["threshold_realism"]
    assert metrics["prior_mass_off_manifold_fraction"] == pytest.approx(mass[off].sum())
    assert metrics["off_manifold_in_window_fraction"] == pytest.approx(off.mean())


def test_quality_map_without_holes_reports_none_and_rejects_bad_shapes():
    counts = np.ones((2, 2), np.int32)
    mass = np.full((2, 2), 0.25)
    recon = quality_map.manifold(blobs(50, 0, 1, 0))
    metrics, _ = quality_map.quality_map(blobs(4, 0, 1, 1), recon, counts, 0, mass)
    assert metrics["off_manifold_in_holes_fraction"] is None
    with pytest.raises(ValueError, match="grid"):
        quality_map.quality_map(blobs(5, 0, 1, 1), recon, counts, 0, mass)
    with pytest.raises(ValueError, match="identical"):
        quality_map.manifold(np.zeros((10, 8), np.float32))


def test_manifold_threshold_and_share_follow_the_percentile():
    recon = blobs(400, 0.0, 1.0, 0)
    m90, m99 = quality_map.manifold(recon, 90), quality_map.manifold(recon, 99)
    assert m90.threshold < m99.threshold
    assert np.mean(m90.own > m90.threshold) == pytest.approx(0.10, abs=0.01)
    near, far = recon[:100] + 1e-3, recon[:100] + 50.0
    assert quality_map.off_manifold_share(m99, near) == 0.0
    assert quality_map.off_manifold_share(m99, far) == 1.0


# ------------------------------------------------------------------------------------- IWAE

def tiny_vae() -> VariationalAutoencoder:
    torch.manual_seed(0)
    return VariationalAutoencoder(latent_dim=2, hidden=[16]).eval()


def test_iwae_bound_sits_above_the_elbo_and_grows_with_k():
    images = (np.random.default_rng(0).random((12, 28, 28)) * 255).astype(np.uint8)
    model = tiny_vae()
    one = iwae.iwae_bound(model, images, 1, seed=0)
    assert one["iwae_nats"] == pytest.approx(one["elbo_same_draws_nats"])
    big = iwae.iwae_bound(model, images, 200, seed=0)
    assert big["iwae_nats"] > big["elbo_same_draws_nats"]
    assert big["iwae_nats"] > one["iwae_nats"]
    assert big["iwae_se_nats"] > 0 and big["n_images"] == 12 and big["k"] == 200


def test_iwae_blocks_do_not_change_the_result(monkeypatch):
    images = (np.random.default_rng(1).random((9, 28, 28)) * 255).astype(np.uint8)
    model = tiny_vae()
    whole = iwae.iwae_bound(model, images, 10, seed=3)
    monkeypatch.setattr(iwae, "DECODES_PER_BLOCK", 20)   # two images per block
    assert iwae.iwae_bound(model, images, 10, seed=3)["iwae_nats"] == pytest.approx(whole["iwae_nats"])


def test_log_weights_match_a_hand_computation_for_one_draw():
    model = tiny_vae()
    x = torch.rand(2, 784)
    eps = torch.randn((2, 1, 2), generator=torch.Generator().manual_seed(5))
    w = iwae.log_weights(model, x, eps)[:, 0]
    mu, logvar = model.encode(x)
    z = mu + (0.5 * logvar).exp() * eps[:, 0]
    log_px = -torch.nn.functional.binary_cross_entropy_with_logits(
        model.decode_logits(z), x, reduction="none").sum(1)
    log_pz = torch.distributions.Normal(0.0, 1.0).log_prob(z).sum(1)
    log_qz = torch.distributions.Normal(mu, (0.5 * logvar).exp()).log_prob(z).sum(1)
    assert torch.allclose(w.float(), (log_px + log_pz - log_qz).detach(), atol=1e-3)


def test_iwae_needs_a_sample():
    with pytest.raises(ValueError, match="at least one"):
        iwae.iwae_bound(tiny_vae(), np.zeros((2, 28, 28), np.uint8), 0, seed=0)


# ------------------------------------------------------------------------- the robustness rule

CASES = [f"seed{s}/{j}" for s in (0, 1, 2) for j in ("cnn", "mlp")]


@pytest.mark.parametrize("a, b, verdict", [
    (100.0, 200.0, "better"), (200.0, 100.0, "worse"), (100.0, 104.0, "level"),
])
def test_compare_holds_when_every_case_agrees(a, b, verdict):
    out = robust.compare({c: a for c in CASES}, {c: b for c in CASES})
    assert out.verdict == verdict and out.cases == 6 and out.counts[verdict] == 6
    assert out.level_within == robust.LEVEL_WITHIN  # the threshold is stored with the verdict


def test_one_dissenting_case_leaves_it_unsettled():
    a = {c: 100.0 for c in CASES}
    b = {c: 200.0 for c in CASES}
    a["seed2/mlp"] = 250.0      # one seed under one judge ranks them the other way
    out = robust.compare(a, b)
    assert out.verdict == "unsettled" and not out.settled
    assert out.counts == {"better": 5, "worse": 1, "level": 0}
    assert out.a_range == [100.0, 250.0]


def test_level_in_some_cases_and_better_in_others_is_unsettled():
    a = {c: 100.0 for c in CASES}
    b = {c: (103.0 if c.endswith("cnn") else 150.0) for c in CASES}
    assert robust.compare(a, b).verdict == "unsettled"


def test_higher_is_better_flips_the_direction():
    assert robust.compare({"x": 0.9}, {"x": 0.5}, lower_is_better=False).verdict == "better"
    assert robust.case_verdict(0.5, 0.9, lower_is_better=False) == "worse"


def test_compare_rejects_mismatched_or_empty_cases():
    with pytest.raises(ValueError, match="different cases"):
        robust.compare({"a": 1.0}, {"b": 1.0})
    with pytest.raises(ValueError, match="at least one"):
        robust.compare({}, {})


def test_spread_gives_main_value_and_range():
    assert robust.spread({0: 246.7, 1: 231.0, 2: 262.0}, 0) == Spread(
        main=246.7, min=231.0, max=262.0, n_seeds=3)
    with pytest.raises(ValueError, match="main seed"):
        robust.spread({1: 1.0}, 0)


# ----------------------------------------------------------------------------- second judge

def test_judge_mlp_features_logits_and_checkpoint_round_trip():
    torch.manual_seed(0)
    judge = JudgeMLP(hidden=(32, 16)).eval()
    x = torch.rand(5, 784)
    assert judge.features(x).shape == (5, 16) and judge(x).shape == (5, 10)
    loss = judge.loss(x, torch.arange(5))
    assert math.isfinite(loss["loss"].item()) and 0 <= loss["accuracy"].item() <= 1
    import io
    buf = io.BytesIO()
    torch.save(checkpoint_dict(judge), buf)
    buf.seek(0)
    loaded, _ = load_checkpoint(buf)
    assert torch.equal(loaded(x), judge(x))


# -------------------------------------------------------------------------- evidence, end to end

class FakeAnalysis(Analysis):
    """analyse's Analysis on tiny random models (built here, not loaded from a train stage): its
    own methods (the draws, decodes and judge passes made once, the scoring) run unchanged."""

    def __init__(self):
        from types import SimpleNamespace
        from pipeline.core.judges import JudgeCNN
        from pipeline.core.models import Autoencoder
        torch.manual_seed(0)
        rng = np.random.default_rng(0)
        self.seed, self.device = 0, "cpu"
        self.cfg = SimpleNamespace(n_samples=40, gmm_components=2, pr_k=3, hole_max_count=0, grid=6,
                                   iwae_k=5, iwae_images=20, quality_percentile=99.0, n_steps=5)
        self.sweep = {"seeds": {"seed0": ["ae2", "vae2"], "seed1": ["ae2-seed1", "vae2-seed1"]},
                      "judges": {"cnn": "judge", "mlp": "judge_mlp"},
                      "beta_sweep": [{"beta": 1.0, "id": "vae2"}], "high": {"ae": "ae2-seed1", "vae": "vae2-seed1"}}
        self.roles = ModelRoles.from_sweep(self.sweep)  # as Analysis: the models' roles
        self.dataset = SimpleNamespace(name="mnist")  # as the data stage's dataset.json: MNIST's path pairs
        x = (rng.random((120, 28, 28)) * 255).astype(np.uint8)
        self.data = {"test_x": x[:50], "train_x": x[50:], "test_y": np.arange(50) % 10,
                     "train_y": np.arange(70) % 10}
        self.test_probs = np.eye(10)[rng.integers(0, 10, 50)]  # the paths' pairs read the judge's classes
        self._models = {"judge": JudgeCNN(channels=(4, 8), features=12).eval(),
                        "judge_mlp": JudgeMLP(hidden=(16, 10)).eval()}
        for s in ("", "-seed1"):
            self._models["ae2" + s] = Autoencoder(hidden=[16]).eval()
            self._models["vae2" + s] = VariationalAutoencoder(hidden=[16]).eval()
        from pipeline.core import batched
        self._codes = {mid: {"train_z": batched.encode(m, self.data["train_x"])[0],
                             "test_z": batched.encode(m, self.data["test_x"])[0]}
                       for mid, m in self._models.items() if not mid.startswith("judge")}
        self.windows, self.grids, self._once = {}, {}, {}
        self._nn_threshold = {}
        # As Analysis: no running job yet, and jobs that simply run (no cache here).
        self._guards, self._reads = [], []
        self.jobs = AnalyseJobs(SimpleNamespace(), {}, frozenset({"judge"}))
        # As Analysis: the main judge and its features and k-NN radii of the real test images.
        self.judge = self._models["judge"]
        self.test_feats = batched.judge(self.judge, self.data["test_x"])[1]
        self.test_radii = knn.kth_nn_radius(self.test_feats, self.cfg.pr_k)

    def model(self, mid):
        return self._models[mid]

    def codes(self, mid):
        return self._codes[mid]

    def hole_map(self, mid):
        if mid not in self.grids:
            z = self._codes[mid]["train_z"]
            self.windows[mid] = latent_window(z)
            self.grids[mid] = holes.hole_stats(z, self.windows[mid], self.cfg.grid, 0)
        return self.grids[mid]


def test_the_main_judges_real_reference_is_analyses_own_and_equals_a_fresh_one():
    from pipeline.core import batched
    a = FakeAnalysis()
    own = a.real("judge")
    assert own.feats is a.test_feats and own.radii is a.test_radii  # not computed again
    fresh = decoder_relative.make_reference(batched.judge(a.judge, a.data["test_x"])[1], a.cfg.pr_k)
    np.testing.assert_array_equal(own.feats, fresh.feats)
    np.testing.assert_array_equal(own.radii, fresh.radii)
    other = a.real("judge_mlp")
    assert other.feats.shape[0] == len(a.data["test_x"]) and other.k == a.cfg.pr_k


def test_evidence_gathers_every_seed_and_judge():
    from pipeline.stages.s4_analyse.sections import robustness
    metrics, arrays = robustness.robustness(FakeAnalysis())
    assert metrics["models"] == {"seed0": ["ae2", "vae2"], "seed1": ["ae2-seed1", "vae2-seed1"]}
    for seed in metrics["seeds"]:
        for j in ("cnn", "mlp", "pca"):  # the PCA of pixels is the third judge
            res = metrics["per_seed"][seed][j]
            assert set(res["sets"]) == {*robustness.SAMPLE_SETS, "ae_recon", "vae_recon"}
            assert 0 <= res["sets"]["ae_gmm"]["vs_recon"]["recall_fraction"] <= 1
            assert res["sets"]["ae_recon"]["vs_recon"] is None
            assert 0 <= res["quality_map"]["vae"]["off_manifold_in_window_fraction"] <= 1
            assert set(res["prior_off_manifold_fraction"]) == {"ae", "vae"}
            assert all(0 <= v <= 1 for v in res["prior_off_manifold_fraction"].values())
        assert metrics["iwae"][seed]["k"] == 5 and metrics["iwae"][seed]["n_images"] == 20
    assert arrays["ae2-seed1_mlp_realism"].shape == (6, 6)
    assert "off_manifold_in_holes_fraction" in metrics["beta_sweep_quality_map"]["vae2"]["mlp"]
    sp = metrics["spread"]["mlp"]["ae_gmm"]["vs_recon"]["fid"]
    fids = [metrics["per_seed"][s]["mlp"]["sets"]["ae_gmm"]["vs_recon"]["fid"] for s in ("seed0", "seed1")]
    assert sp == Spread(main=fids[0], min=min(fids), max=max(fids), n_seeds=2)
    assert "vs_recon" not in metrics["spread"]["cnn"]["ae_recon"]
    high = metrics["high_dim"]["sets"]["mlp"]["ae2-seed1_gmm"]
    assert list(high) == ["vs_recon", "vs_real"] and high["vs_recon"]["fid"] >= 0
    assert set(metrics["high_dim"]["prior_off_manifold_fraction"]["cnn"]) == {"ae", "vae"}
    comp = metrics["comparisons"]["gmm_vs_vae_fid_vs_recon"]
    # 2 seeds x 3 judges (cnn, mlp and the PCA of pixels); which judges agreed is kept per judge.
    assert comp.cases == 6 and comp.verdict in robust.VERDICTS
    assert set(comp.by_judge) == {"cnn", "mlp", "pca"}
    assert metrics["judges"]["pca"] == "judge-pca" and arrays["ae2_pca_realism"].shape == (6, 6)
    assert "pca" not in metrics["beta_sweep_quality_map"]["vae2"]  # description: trained judges only
    for block in ("holes", "paths"):  # judge-free: one case per seed
        for name, c in metrics[block]["comparisons"].items():
            assert c.cases == 2 and c.verdict in robust.VERDICTS, (block, name)
    assert set(metrics["paths"]["per_seed"]["seed1"]["vae"]) == {"steps_in_holes_fraction", "step_max_over_mean"}


# ---------------------------------------------------------------------------------- figures

@pytest.mark.parametrize("layout", ["web", "slide"])
def test_quality_map_figure_draws_one_panel_per_model_and_a_colour_bar(layout):
    import matplotlib.pyplot as plt
    from pipeline.stages.s5_render.figures import quality
    g = 8
    counts = np.zeros((g, g), int)
    counts[2:6, 2:6] = 3
    realism = np.linspace(0.5, 20, g * g).reshape(g, g)
    models = [dict(name=n, realism=realism, counts=counts, window=np.array([-2, 2, -2, 2.0]),
                   threshold=3.0, gaps=np.array([[0.0, 0.0]]), off_in_holes=0.5,
                   off_in_occupied=0.1) for n in ("ae", "vae")]
    fig = quality.quality_map_figure(models, layout)
    titles = [ax.get_title() for ax in fig.axes]
    # the slide's title gives the holes' share only (its notes give the rest: three lines ran
    # too tall at 18 pt); the web title gives both
    expected = ("AE\noff-manifold: 50% of holes,\n10% of occupied cells" if layout == "web"
                else "AE\noff-manifold: 50% of holes")
    assert expected in titles and len(fig.axes) == 3
    plt.close(fig)
    fig = quality.seed_spread_figure({"FID": {"a": [1.0, 2.0, 3.0], "b": [4.0, 5.0, 6.0]}}, layout,
                                     seeds=("seed 0", "seed 1", "seed 2"))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a", "b"]
    # a marker shape per seed, named in the legend, so two rows compare seed by seed
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["seed 0", "seed 1", "seed 2"]
    shapes = {line.get_label(): line.get_marker() for line in fig.axes[0].lines if line.get_label().startswith("seed")}
    assert len(set(shapes.values())) == 3 and list(fig.axes[0].lines[-1].get_xdata()) == [3.0, 6.0]
    plt.close(fig)


# ---------------------------------------------------------------- sentences chosen by the rule

@pytest.fixture(scope="module")
def say():
    from pipeline.stages.s6_site.stage import template_env
    from .report_examples import mnist_words
    return template_env(mnist_words()).get_template("robustness.j2").module


def comparison(a_vals, b_vals, lower_is_better=True):
    cases = [f"seed{i}/{j}" for i in range(len(a_vals) // 2) for j in ("cnn", "mlp")]
    return robust.compare(dict(zip(cases, a_vals)), dict(zip(cases, b_vals)), lower_is_better)


@pytest.mark.parametrize("a_vals, b_vals, expected", [
    ([10, 11, 12, 13], [20, 21, 22, 23], "score better than"),
    ([30, 31, 32, 33], [20, 21, 22, 23], "score worse than"),
    ([20, 21, 22, 23], [20.5, 21, 22, 23.5], "are level"),
    ([10, 11, 30, 13], [20, 21, 22, 23], "It is not settled whether the AE's GMM samples score "
     "better than the VAE against reconstructions: of 4 cases (seeds × judges), 3 say better, 1 worse"),
])
def test_compare_sentence_has_one_branch_per_verdict(say, a_vals, b_vals, expected):
    text = html.unescape(str(say.compare(comparison(a_vals, b_vals), "The AE's GMM samples",
                                         "the VAE", "against reconstructions")))
    assert expected in text
    # The numbers, judge by judge (cases alternate cnn, mlp): judges' FID scales differ.
    for judge, a_j, b_j in (("CNN", a_vals[0::2], b_vals[0::2]), ("MLP", a_vals[1::2], b_vals[1::2])):
        assert (f"{judge} {min(a_j):.2f}–{max(a_j):.2f} against {min(b_j):.2f}–{max(b_j):.2f}") in text


def evidence_metrics(ae_holes, vae_holes, ae_mass=(0.17, 0.2), vae_mass=(0.08, 0.09)) -> dict:
    """Synthetic metrics.robustness with two seeds x two judges; the first value of each tuple is
    seed 0, the second seed 1 (the same under both judges unless a third value is given)."""
    def qm(holes, mass, i):
        return {"off_manifold_in_holes_fraction": holes[i], "off_manifold_in_occupied_fraction": 0.04,
                "prior_mass_off_manifold_fraction": mass[i]}
    per_seed = {f"seed{i}": {j: {"quality_map": {"ae": qm(ae_holes, ae_mass, i),
                                                 "vae": qm(vae_holes, vae_mass, i)}}
                             for j in ("cnn", "mlp")} for i in (0, 1)}
    comps = {}
    for key in ("off_manifold_in_holes_fraction", "prior_mass_off_manifold_fraction"):
        vals = {k: {f"{s}/{j}": per_seed[s][j]["quality_map"][k][key] for s in per_seed for j in ("cnn", "mlp")}
                for k in ("ae", "vae")}
        comps[f"ae_vs_vae_{key}"] = robust.compare(vals["ae"], vals["vae"])
    # main_seed and main_quality_maps: the typed report's properties (Robustness), as plain keys
    return {"seeds": ["seed0", "seed1"], "per_seed": per_seed, "comparisons": comps,
            "main_seed": "seed0", "main_quality_maps": per_seed["seed0"]["cnn"]["quality_map"],
            "iwae": {"seed0": {"k": 500, "n_images": 1000, "iwae_nats": -135.2, "iwae_se_nats": 0.81,
                               "elbo_same_draws_nats": -139.9},
                     "seed1": {"k": 500, "n_images": 1000, "iwae_nats": -136.0, "iwae_se_nats": 0.8,
                               "elbo_same_draws_nats": -140.5}}}


@pytest.mark.parametrize("ae_holes, vae_holes, expected", [
    ((0.26, 0.30), (0.10, 0.12), "more often off-manifold than the VAE's in every seed"),
    ((0.10, 0.12), (0.36, 0.30), "Against the textbook picture"),
    ((0.30, 0.30), (0.30, 0.31), "about equally often"),
    ((0.26, 0.10), (0.20, 0.20), "is not settled"),
])
def test_off_manifold_sentence_follows_the_rule(say, ae_holes, vae_holes, expected):
    text = str(say.off_manifold(evidence_metrics(ae_holes, vae_holes)))
    assert expected in text and f"{100 * ae_holes[0]:.0f}" in text


@pytest.mark.parametrize("ae_mass, vae_mass, expected", [
    ((0.17, 0.2), (0.08, 0.09), "the wrong question to ask an AE"),
    ((0.05, 0.06), (0.08, 0.09), "Against the textbook picture"),
    ((0.08, 0.09), (0.08, 0.09), "level (within 5\u00a0%)"),
    ((0.17, 0.05), (0.08, 0.09), "not settled"),
])
def test_prior_mass_sentence_follows_the_rule(say, ae_mass, vae_mass, expected):
    assert expected in str(say.prior_mass(evidence_metrics((0.3, 0.3), (0.1, 0.1), ae_mass, vae_mass)))


def test_iwae_line_gives_range_and_says_it_is_not_the_papers_likelihood(say):
    text = str(say.iwae_line(evidence_metrics((0.3, 0.3), (0.1, 0.1))))
    assert "\u2212135.2 nats" in text and "0.81; range \u2212136.0 to \u2212135.2 over 2 seeds)" in text
    assert "\u2013\u2212" not in text and "((" not in text.replace(" ", "")  # no "a–−b", no nested brackets
    assert "not the binarized-MNIST likelihood papers report" in text


def test_pct_tiny_filter():
    from pipeline.stages.s6_site.helpers import pct_tiny
    assert pct_tiny(0.0) == "0\u00a0%" and pct_tiny(0.00001) == "less than 0.01\u00a0%"
    assert pct_tiny(0.0833) == "8.33\u00a0%" and pct_tiny(None) == "n/a"


def test_ranged_filter():
    from pipeline.stages.s6_site.helpers import ranged
    assert ranged([246.7, 231.0, 262.0], 246.7) == "246.7 (range 231.0\u2013262.0 over 3 seeds)"
    assert ranged({"seed0": 0.5}, 0.5, 0, percent=True) == "50\u00a0%"
    assert ranged([-137.0, -136.2], -136.2) == "\u2212136.2 (range \u2212137.0 to \u2212136.2 over 2 seeds)"
    from pipeline.stages.s6_site.helpers import span
    assert span(Spread(main=0.2, min=0.1, max=0.3, n_seeds=3), 0, True) == \
        "20\u00a0% (range 10\u00a0%\u201330\u00a0% over 3 seeds)"
    assert span(Spread(main=2.0, min=2.0, max=2.0, n_seeds=1)) == "2.0" and span(None) == "n/a"
    assert span(Spread(main=181.6, min=166.8, max=181.6, n_seeds=3), short=True) == \
        "181.6 (166.8\u2013181.6)"


def test_score_against_matches_improved_precision_recall():
    from pipeline.stages.s4_analyse import scores
    real, fake = blobs(300, 0.0, 1.0, 0), blobs(200, 0.5, 1.2, 1)
    ref = decoder_relative.make_reference(real, 3)
    out = decoder_relative.score_against(ref, fake)
    assert (out["precision_fraction"], out["recall_fraction"]) == scores.precision_recall(real, fake, 3)
    assert out["fid"] == pytest.approx(scores.fid(fake, real))


def test_hole_evidence_compares_ae_and_vae_over_every_seed():
    """metrics.robustness.holes: the judge-free hole numbers per seed pair, their spread, and the
    AE-against-VAE verdict over the seeds ("worse" = the AE's number is higher in every seed)."""
    from types import SimpleNamespace
    from pipeline.stages.s4_analyse.sections.robustness import hole_evidence
    numbers = {"ae2": (0.6, 0.01), "vae2": (0.4, 0.02), "ae2-seed1": (0.55, 0.03),
               "vae2-seed1": (0.41, 0.02)}
    a = SimpleNamespace(hole_map=lambda mid: SimpleNamespace(summary={
        "hole_fraction_hull": numbers[mid][0], "prior_mass_uncovered_fraction": numbers[mid][1],
        "n_codes": 10}))
    out = hole_evidence(a, {"seed0": ["ae2", "vae2"], "seed1": ["ae2-seed1", "vae2-seed1"]})
    assert out["per_seed"]["seed1"]["ae"] == {"hole_fraction_hull": 0.55, "prior_mass_uncovered_fraction": 0.03}
    holes = out["comparisons"]["ae_vs_vae_hole_fraction_hull"]
    assert holes.verdict == "worse" and holes.cases == 2 and holes.a_range == [0.55, 0.6]
    mass = out["comparisons"]["ae_vs_vae_prior_mass_uncovered_fraction"]
    assert mass.verdict == "unsettled" and mass.counts == {"better": 1, "level": 0, "worse": 1}
    assert out["spread"]["vae"]["hole_fraction_hull"] == Spread(main=0.4, min=0.4, max=0.41, n_seeds=2)


def test_the_main_sample_sets_are_the_evidence_s_seed0_sets_decoded_once(monkeypatch):
    from pipeline.core import batched
    from pipeline.stages.s4_analyse.sections import robustness, samples
    a = FakeAnalysis()
    decodes = []
    real_decode = batched.decode

    def counting(model, z, *args, **kwargs):
        decodes.append((model, len(z)))
        return real_decode(model, z, *args, **kwargs)

    monkeypatch.setattr(batched, "decode", counting)
    metrics, _ = samples.main_samples(a)
    ev, _ = robustness.robustness(a)
    for name in (*robustness.SAMPLE_SETS, "ae_recon", "vae_recon"):
        got = {k: metrics[name][k] for k in ("fid", "precision_fraction", "recall_fraction")}
        assert got == ev["per_seed"]["seed0"]["cnn"]["sets"][name]["vs_real"], name
    # The AE's four latent sets (40 points each) and its reconstructions (50): one decode each.
    ae = a.model("ae2")
    assert sum(1 for m, n in decodes if m is ae and n == a.cfg.n_samples) == 4
    assert sum(1 for m, n in decodes if m is ae and n == len(a.data["test_x"])) == 1


def test_a_set_name_given_to_two_different_point_sets_is_an_error():
    # Decodes, judge passes and scores are shared by (model, name) across sections whose jobs key
    # on different code: another section's points under the same name must not get these decodes.
    a = FakeAnalysis()
    z = np.zeros((5, 2), np.float32)
    first = a.decoded("ae2", "ae_prior", z)
    assert a.decoded("ae2", "ae_prior", z.copy()) is first  # the same points: decoded once
    with pytest.raises(ValueError, match="two different latent sets of ae2 are both named 'ae_prior'"):
        a.decoded("ae2", "ae_prior", z + 1)


def test_the_seed_spread_charts_split_by_what_the_samples_are_scored_against() -> None:
    """The story's chart scores against each model's own reconstructions, the robustness page's
    against the real images: one panel per judge, one dot per seed, each from its own field."""
    from pipeline.stages.s5_render.figures.groups import robustness as group
    from pipeline.core.sample_sets import PRIOR_SETS, RECON_SETS, SCORED_SETS
    from pipeline.core.set_names import SHORT_TITLES

    def scores(base: float) -> SimpleNamespace:
        return SimpleNamespace(sets={key: SimpleNamespace(vs_recon=SimpleNamespace(fid=base + k),
                                                          vs_real=SimpleNamespace(fid=100 * base + k))
                                     for k, key in enumerate(SCORED_SETS)})
    judges = {"cnn": None, "mlp": None}
    e = SimpleNamespace(seeds=[0, 1], judges=judges,
                        per_seed={s: {j: scores(1 + s) for j in judges} for s in (0, 1)})
    d = SimpleNamespace(m=SimpleNamespace(robustness=e))
    recon, real = group._spread_scores(d, "vs_recon"), group._spread_scores(d, "vs_real")
    assert list(recon) == list(real) == ["CNN judge", "MLP judge"]
    first = SHORT_TITLES[PRIOR_SETS[0]]
    assert recon["CNN judge"][first] == [1.0, 2.0] and real["CNN judge"][first] == [100.0, 200.0]
    # against the real images the reconstructions are scored too, as the caption's "blur" needs
    assert len(recon["CNN judge"]) == len(PRIOR_SETS)
    assert list(real["CNN judge"])[-len(RECON_SETS):] == [SHORT_TITLES[k] for k in RECON_SETS]
    pages = {spec.id: spec.page for spec in group.FIGURES}
    assert pages["seed-spread"] == "side-by-side" and pages["seed-spread-real"] == "robustness"

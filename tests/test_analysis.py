"""The analysis code on synthetic point sets, where the right answer is known."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.linalg

from pipeline.core.grids import latent_window
from pipeline.stages.s4_analyse import holes, knn, paths, samplers, scores, surgery
from pipeline.core.report import tidy


def blobs(n: int = 20000, centres=((-3.0, 0.0), (3.0, 0.0)), std: float = 0.3, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = np.array(centres)[rng.integers(len(centres), size=n)]
    return (c + std * rng.standard_normal((n, 2))).astype(np.float32)


# ------------------------------------------------------------------------------------------ holes

def test_window_is_square_robust_and_padded():
    z = blobs()
    z[0] = (1e4, 1e4)  # one far outlier must not stretch the window
    w = latent_window(z)
    assert w[1] - w[0] == pytest.approx(w[3] - w[2])
    assert w[1] < 10 and w[0] < -3 and w[1] > 3


def test_density_grid_counts_and_orientation():
    w = np.array([0, 4, 0, 2], np.float32)  # cells are 1 wide in x, 0.5 in y on a 4-grid
    pts = np.array([[0.5, 0.1], [3.5, 1.9], [3.6, 1.8], [9, 9]], np.float32)
    c = holes.density_grid(pts, w, 4)
    assert c.dtype == np.int32 and c.sum() == 3  # the point outside is not counted
    assert c[0, 0] == 1 and c[3, 3] == 2  # row = y from low to high, column = x
    assert list(holes.lookup(c, w, np.array([[3.9, 1.9], [-1, 0]]))) == [2, 0]


def test_two_blobs_leave_a_hole_between_them():
    z = blobs()
    w = latent_window(z)
    h = holes.hole_stats(z, w, grid=64, hole_max_count=0)
    centre = holes.lookup(h.counts, w, np.array([[0.0, 0.0], [-3.0, 0.0], [3.0, 0.0]]))
    assert centre[0] == 0 and centre[1] > 0 and centre[2] > 0
    assert h.summary["hole_fraction_hull"] > 0.3
    pts, clearance = holes.gap_points(h.holes, h.hull, w, k=3)
    assert len(pts) >= 1
    assert abs(pts[0, 0]) < 0.5 and abs(pts[0, 1]) < 0.5  # the largest gap is the middle
    assert clearance[0] > 0.5
    assert np.all(np.diff(clearance) <= 0)


def test_uniform_cloud_has_almost_no_holes():
    z = np.random.default_rng(1).random((100000, 2)).astype(np.float32)
    w = latent_window(z)
    h = holes.hole_stats(z, w, grid=32, hole_max_count=0)
    assert h.summary["hole_fraction_hull"] < 0.01
    # Only the padding margin around the cloud is empty.
    assert h.summary["hole_fraction_window"] == pytest.approx(1 - (1 / 1.1) ** 2, abs=0.08)


def test_prior_mass_over_cells():
    big = holes.prior_cell_mass(np.array([-10, 10, -10, 10]), 50)
    assert big.sum() == pytest.approx(1.0, abs=1e-9)
    unit = holes.prior_cell_mass(np.array([-1, 1, -1, 1]), 8)
    assert 1 - unit.sum() == pytest.approx(1 - math.erf(1 / math.sqrt(2)) ** 2, abs=1e-9)
    # All of the window empty: every bit of the prior is uncovered.
    h = holes.hole_stats(np.array([[50.0, 50.0]] * 3), np.array([-4, 4, -4, 4]), 16, 0)
    assert h.summary["prior_mass_uncovered_fraction"] == pytest.approx(1.0)


# ---------------------------------------------------------------------------------------- scores

def test_fid_zero_on_itself_and_grows_with_shift():
    x = np.random.default_rng(0).standard_normal((2000, 8))
    assert scores.fid(x, x) == pytest.approx(0.0, abs=1e-6)
    shifts = [scores.fid(x, x + s) for s in (0.5, 1.0, 2.0)]
    assert shifts == sorted(shifts)
    assert shifts[1] == pytest.approx(8 * 1.0 ** 2, rel=1e-6)  # a pure shift adds |δ|²


def test_fid_matches_the_sqrtm_formula():
    rng = np.random.default_rng(2)
    a = rng.standard_normal((500, 6))
    b = rng.standard_normal((500, 6)) @ rng.standard_normal((6, 6)) + 1
    ca, cb = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    ref = ((a.mean(0) - b.mean(0)) ** 2).sum() + np.trace(ca + cb - 2 * scipy.linalg.sqrtm(ca @ cb).real)
    assert scores.fid(a, b) == pytest.approx(ref, rel=1e-6)


def test_precision_recall_toy_cases():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1000, 4)).astype(np.float32)
    assert scores.precision_recall(x, x, k=3) == (1.0, 1.0)
    p, r = scores.precision_recall(x, rng.standard_normal((1000, 4)).astype(np.float32), k=3)
    assert p > 0.8 and r > 0.8  # another draw of the same distribution
    assert scores.precision_recall(x, x + 100, k=3) == (0.0, 0.0)
    # Samples collapsed onto part of the data: realistic (precision) but no variety (recall).
    part = x[x[:, 0] > 1]
    p, r = scores.precision_recall(x, part, k=3)
    assert p == 1.0 and r < 0.5


def test_knn_chunking_matches_brute_force(monkeypatch):
    monkeypatch.setattr(knn, "CHUNK", 7)
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((50, 3)), rng.standard_normal((40, 3))
    d_aa = np.linalg.norm(a[:, None] - a[None], axis=2)
    d_ab = np.linalg.norm(a[:, None] - b[None], axis=2)
    np.testing.assert_allclose(knn.kth_nn_radius(a, 2), np.sort(d_aa, 1)[:, 2], rtol=1e-5)
    np.testing.assert_allclose(knn.nn_distance(a, b), d_ab.min(1), rtol=1e-5)
    np.fill_diagonal(d_aa, np.inf)
    np.testing.assert_allclose(knn.nn_distance(a[:20], a, exclude_self=True), d_aa[:20].min(1), rtol=1e-5)
    # one pass, both distances: the k-th and the nearest other row (rows > 16-d: no k-d tree)
    wide = rng.standard_normal((60, 20)).astype(np.float32)
    kth, nearest = knn.own_neighbours(wide, 3)
    np.testing.assert_array_equal(kth, knn.kth_nn_radius(wide, 3))
    np.testing.assert_array_equal(nearest, knn.nn_distance(wide, wide, exclude_self=True))
    ra, rb = rng.random(50), rng.random(40)
    a_in_b, b_in_a = knn.mutual_coverage(a, b, ra, rb)
    np.testing.assert_array_equal(a_in_b, (d_ab <= rb[None]).any(1))
    np.testing.assert_array_equal(b_in_a, (d_ab <= ra[:, None]).any(0))


def test_judge_summary_balance_and_confidence():
    one_class = np.tile(np.eye(10)[3], (100, 1))
    s = scores.judge_summary(one_class)
    assert s["confidence_mean_fraction"] == 1.0 and s["entropy_mean_nats"] == pytest.approx(0, abs=1e-9)
    assert s["class_tv_from_uniform_fraction"] == pytest.approx(0.9)
    assert s["class_kl_from_uniform_nats"] == pytest.approx(math.log(10))
    balanced = scores.judge_summary(np.tile(np.eye(10), (10, 1)) * 0.5 + 0.05)
    assert balanced["class_tv_from_uniform_fraction"] == pytest.approx(0.0)
    assert balanced["class_kl_from_uniform_nats"] == pytest.approx(0.0)
    uniform = scores.judge_summary(np.full((5, 10), 0.1))
    assert uniform["entropy_mean_nats"] == pytest.approx(math.log(10))


# --------------------------------------------------------------------------------------- surgery

def test_surgery_identical_posteriors_carry_no_information():
    n = 500
    s = surgery.elbo_surgery(np.zeros((n, 2)), np.zeros((n, 2)), seed=0)
    assert s["mutual_info_nats"] == pytest.approx(0.0, abs=1e-5)  # float32 blocks
    assert s["avg_kl_nats"] == pytest.approx(0.0, abs=1e-12)
    assert abs(s["marginal_kl_nats"]) < 0.2  # Monte-Carlo noise around 0
    shifted = surgery.elbo_surgery(np.full((n, 2), 1.0), np.zeros((n, 2)), seed=0)
    assert shifted["mutual_info_nats"] == pytest.approx(0.0, abs=1e-5)
    assert shifted["marginal_kl_nats"] == pytest.approx(shifted["avg_kl_nats"], abs=0.2)


def test_surgery_far_apart_tiny_posteriors_reach_log_n():
    n = 400
    mu = np.stack(np.meshgrid(np.arange(20.0), np.arange(20.0)), -1).reshape(n, 2) * 10
    s = surgery.elbo_surgery(mu, np.full((n, 2), -12.0), seed=0, chunk=64)
    assert s["mutual_info_nats"] == pytest.approx(math.log(n), abs=1e-3)
    assert s["log_n_nats"] == pytest.approx(math.log(n))


@pytest.mark.parametrize("d", [2, 8])
def test_surgery_survives_posteriors_narrower_than_float32(d):
    # A β = 0 VAE trained long drives log σ² below -150: 1/σ² overflows float32 and z equals μ
    # to the last bit, so a float32 0 · inf made every term NaN (seen in a default build).
    n = 300
    mu = np.random.default_rng(0).normal(0, 3, (n, d))
    lv = np.full((n, d), -165.0)
    lv[::2, 0] = -40.0  # a mixture of narrow and extremely narrow posteriors
    s = surgery.elbo_surgery(mu, lv, seed=0, chunk=64)
    assert all(math.isfinite(v) for v in s.values())
    assert s["mutual_info_nats"] == pytest.approx(math.log(n), abs=1e-6)
    # z = μ + σε rounds to μ when σ < 1e-35, so the Monte-Carlo sum misses ½ε² per such
    # dimension: a fraction of a nat against an average KL of about 150 nats per dimension
    assert s["avg_kl_mc_nats"] == pytest.approx(s["avg_kl_nats"], rel=1e-2)


def test_surgery_split_adds_up_and_subsamples():
    rng = np.random.default_rng(0)
    mu, lv = rng.standard_normal((3000, 2)), rng.normal(-2, 0.3, (3000, 2))
    s = surgery.elbo_surgery(mu, lv, seed=1)
    assert 0 < s["mutual_info_nats"] <= s["log_n_nats"]
    assert s["avg_kl_mc_nats"] == pytest.approx(s["avg_kl_nats"], rel=0.05)
    sub = surgery.elbo_surgery(mu, lv, seed=1, n_mc=1000)
    assert sub["n_mc_samples"] == 1000
    assert sub["mutual_info_nats"] == pytest.approx(s["mutual_info_nats"], rel=0.1)


# ------------------------------------------------------------------------------- samplers, paths

def test_samplers_are_seeded_and_in_range():
    z = blobs(2000)
    for draw in (samplers.prior, ):
        np.testing.assert_array_equal(draw(50, 2, np.random.default_rng(4)), draw(50, 2, np.random.default_rng(4)))
    b = samplers.box(z, 500, np.random.default_rng(0))
    assert (b >= z.min(0)).all() and (b <= z.max(0)).all()
    g = samplers.gaussian(z, 20000, np.random.default_rng(0))
    np.testing.assert_allclose(g.mean(0), z.mean(0), atol=0.1)
    gmm = samplers.fit_gmm(z, 2, seed=0)
    s1 = samplers.gmm_sample(gmm, 1000, np.random.default_rng(5))
    s2 = samplers.gmm_sample(samplers.fit_gmm(z, 2, seed=0), 1000, np.random.default_rng(5))
    np.testing.assert_array_equal(s1, s2)
    # Shuffled: both blobs already among the first draws, not one component after the other.
    assert (s1[:50, 0] < 0).any() and (s1[:50, 0] > 0).any()
    assert samplers.gaussian_loglik(z, z) < float(gmm.score(z.astype(np.float64)))


def test_linear_and_slerp_paths():
    a, b = np.array([2.0, 0.0], np.float32), np.array([0.0, 2.0], np.float32)
    lin, sph = paths.linear(a, b, 5), paths.slerp(a, b, 5)
    for p in (lin, sph):
        np.testing.assert_allclose(p[0], a, atol=1e-6)
        np.testing.assert_allclose(p[-1], b, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(sph, axis=1), 2.0, rtol=1e-5)  # stays on the shell
    assert np.linalg.norm(lin[2]) < 1.5  # the linear midpoint cuts inside
    np.testing.assert_allclose(paths.slerp(a, 3 * a, 4), paths.linear(a, 3 * a, 4))  # parallel


def test_pixel_steps_and_pair_choice():
    frames = np.zeros((1, 3, 28, 28), np.uint8)
    frames[0, 2] = 255
    np.testing.assert_allclose(paths.pixel_steps(frames), [[0.0, 0.0, 28.0]])
    labels = np.repeat(np.arange(10), 5)
    pairs = paths.choose_pairs(labels, labels, np.random.default_rng(0), paths.PAIR_DIGITS)
    assert pairs.shape == (len(paths.PAIR_DIGITS), 2)
    for (i, j), (da, db, _) in zip(pairs, paths.PAIR_DIGITS):
        assert labels[i] == da and labels[j] == db
    # Only one image of each digit counts as itself (the others: -1, e.g. a 4 that a model
    # redraws as a 9): every pair uses those; a digit with none falls back to any of its images.
    judged = np.full_like(labels, -1)
    judged[::5] = labels[::5]
    judged[labels == 9] = -1
    pairs = paths.choose_pairs(labels, judged, np.random.default_rng(1), paths.PAIR_DIGITS)
    for (i, j), (da, db, _) in zip(pairs, paths.PAIR_DIGITS):
        for k, d in ((i, da), (j, db)):
            assert labels[k] == d and (judged[k] == d or d == 9)


def test_other_data_sets_pair_their_nearest_and_farthest_classes_by_mean_image():
    """MNIST keeps its pairs chosen by eye; another data set's look-alikes are the classes whose
    mean images are nearest, its far pairs those whose are farthest, none twice."""
    assert paths.class_pairs("mnist", np.zeros((4, 28, 28), np.uint8), np.arange(4)) == paths.PAIR_DIGITS
    brightness = np.array([0, 10, 30, 200, 215, 255], np.uint8)  # class c: one flat grey image
    images = np.repeat(brightness, 2)[:, None, None] * np.ones((1, 4, 4), np.uint8)
    labels = np.repeat(np.arange(6), 2)
    pairs = paths.class_pairs("fashion-mnist", images, labels)
    look, far = [p[:2] for p in pairs if p[2] == "look-alike"], [p[:2] for p in pairs if p[2] == "far"]
    assert look == [(0, 1), (3, 4), (1, 2)] and far == [(0, 5), (1, 5), (2, 5)]  # nearest first
    assert len(set(pairs)) == len(pairs)
    assert paths.class_pairs("kmnist", images[:4], labels[:4]) == ((0, 1, "far"),)  # two classes


def test_tidy_rounds_and_is_json_ready():
    out = tidy({"a": np.float32(1 / 3), "b": [np.int64(2), np.bool_(True)], "c": np.array([0.1, -0.0]),
                "d": float("nan")})
    assert out == {"a": 0.333333, "b": [2, True], "c": [0.1, 0.0], "d": None}


def test_log_density_blocks_match_scipy_in_few_and_many_dimensions():
    import torch
    from scipy.stats import multivariate_normal

    rng = np.random.default_rng(0)
    for d, expand in ((2, False), (6, False), (6, True)):  # both forms of the quadratic
        mu, lv = rng.standard_normal((30, d)), rng.normal(-1, 0.5, (30, d))
        z = rng.standard_normal((5, d))
        t = lambda a: torch.from_numpy(a.astype(np.float32))
        got = surgery._log_normal_all(t(z), t(mu), t(np.exp(-lv)), t(lv.sum(1) + d * surgery.LOG_2PI),
                                      expand)
        ref = np.array([[multivariate_normal(mu[n], np.diag(np.exp(lv[n]))).logpdf(z[b])
                         for n in range(30)] for b in range(5)])
        np.testing.assert_allclose(got.numpy(), ref, rtol=1e-4, atol=1e-3)


# ------------------------------------------------------------------------ the section interface

def test_sections_run_after_what_they_need_and_keep_their_listed_order():
    from pipeline.stages.s4_analyse.jobs import STAGE_MODULE, AnalyseJobs
    from pipeline.stages.s4_analyse.section import Result, Section, merged_arrays, run_all
    calls, code = [], {}
    a = SimpleNamespace(jobs=AnalyseJobs(SimpleNamespace(), {}, frozenset()))

    def sec(name, needs=(), arrays=None):
        def run(a, got):
            calls.append(name)
            code[name] = a.jobs.modules  # what a job run here would key its code on
            assert set(got) == set(needs)  # exactly the results it declared
            return Result(f"{name} block", arrays or {})
        run.__module__ = f"sections.{name}"  # as if each were its own module
        return Section(name, run, needs)

    sections = [sec("claims", ("robustness",)), sec("samples", arrays={"samples": {"x": np.zeros(1)}}),
                sec("robustness", ("samples",), arrays={"holes": {"r": np.ones(1)}})]
    results = run_all(a, sections)
    assert calls == ["samples", "robustness", "claims"]         # dependency order
    assert list(results) == ["claims", "samples", "robustness"]  # listed order (npz order)
    assert set(merged_arrays(results)) == {"samples", "holes"}
    # a section's jobs key on its own code and that of every section it reads, directly or not
    assert code == {"samples": ("sections.samples",),
                    "robustness": ("sections.robustness", "sections.samples"),
                    "claims": ("sections.claims", "sections.robustness", "sections.samples")}
    assert a.jobs.modules == (STAGE_MODULE,)  # outside a section: the whole stage's code


def test_section_wiring_errors_name_the_section():
    from pipeline.stages.s4_analyse.section import Result, Section, merged_arrays, ordered
    nothing = lambda a, got: Result(None)  # noqa: E731
    with pytest.raises(ValueError, match="'a' needs 'b', which is not a section"):
        ordered([Section("a", nothing, ("b",))])
    with pytest.raises(ValueError, match="cycle: a -> b -> a"):
        ordered([Section("a", nothing, ("b",)), Section("b", nothing, ("a",))])
    clash = {"a": Result(1, {"holes": {"x": np.zeros(1)}}), "b": Result(2, {"holes": {"x": np.zeros(1)}})}
    with pytest.raises(ValueError, match="section 'b' writes \\['x'\\] into holes.npz again"):
        merged_arrays(clash)


def test_the_stage_lists_every_section_module_once():
    import pkgutil
    from pipeline.stages.s4_analyse import sections, stage
    modules = {m.name for m in pkgutil.iter_modules(sections.__path__)}
    listed = [s.name for s in stage.SECTIONS]
    assert len(listed) == len(set(listed))
    assert len(stage.SECTIONS) == len(modules)  # a section module not wired in is a bug

"""The third judge (a PCA of pixels, issue 24 item 9): deterministic features, no classes, and a
verdict it disagrees with is no longer settled."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.core import robust
from pipeline.core.robust import Case
from pipeline.stages.s4_analyse import pca_judge
from pipeline.stages.s4_analyse.analysis import Analysis, JudgedSet
from pipeline.stages.s4_analyse.claims import rule
from pipeline.stages.s4_analyse.sections import robustness


def _images(n: int, seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).random((n, 28, 28)) * 255).astype(np.uint8)


def test_pca_features_are_byte_identical_from_two_fits():
    train, sets = _images(300, 0), _images(50, 1)
    one, two = pca_judge.fit(train, seed=0), pca_judge.fit(train, seed=0)
    f1, f2 = one.features(sets), two.features(sets)
    assert f1.dtype == np.float32 and f1.shape == (50, pca_judge.COMPONENTS)
    assert f1.tobytes() == f2.tobytes()
    assert one.components.tobytes() == two.components.tobytes()
    assert 0 < one.explained_variance_fraction < 1
    # The projection is the centred pixels on orthonormal components, not whitened.
    gram = one.components @ one.components.T
    np.testing.assert_allclose(gram, np.eye(len(gram)), atol=1e-4)
    assert one.summary() == {"components": 64, "whitened": False,
                             "explained_variance_fraction": one.explained_variance_fraction}


def test_pca_judge_keeps_fewer_components_with_few_images_and_rejects_other_shapes():
    small = pca_judge.fit(_images(20, 0), seed=0)
    assert small.features(_images(3, 1)).shape == (3, 19)
    with pytest.raises(ValueError, match="784 pixels"):
        small.features(np.zeros((2, 14, 14), np.uint8))


def test_nothing_can_ask_the_pca_judge_for_classes():
    judge = pca_judge.fit(_images(100, 0), seed=0)
    with pytest.raises(pca_judge.FeaturesOnlyJudge, match="features only"):
        judge.classes(_images(2, 1))
    feats = judge.features(_images(10, 2))
    judged = JudgedSet(None, feats, np.ones(10, np.float32), np.ones(10, np.float32))
    with pytest.raises(pca_judge.FeaturesOnlyJudge, match="no class probabilities"):
        judged.probs  # what confidence, entropy and class histograms read


def test_analysis_judges_include_the_pca_and_refuse_it_as_a_model():
    from tests.test_robustness_block import FakeAnalysis
    a = FakeAnalysis()
    assert a.judges == {"cnn": "judge", "mlp": "judge_mlp", "pca": "judge-pca"}
    with pytest.raises(pca_judge.FeaturesOnlyJudge, match="not a trained model"):
        Analysis.model(a, pca_judge.JUDGE_ID)  # Analysis's own, not the fake's dict lookup
    feats = a.features("judge-pca", a.data["test_x"][:5])
    assert feats.tobytes() == a.features("judge-pca", a.data["test_x"][:5]).tobytes()
    js = a.judged("judge-pca", "ae2", "ae_prior", a.data["test_x"][:8])
    assert js.class_probs is None and js.feats.shape[0] == 8


def _per_seed(fid: dict[str, tuple[float, float]]) -> dict:
    """Synthetic evidence per_seed: two seeds x three judges; ``fid[judge]`` = (box, ae prior)."""
    quality = {"off_manifold_in_holes_fraction": None, "prior_mass_off_manifold_fraction": 0.1}
    out = {}
    for seed in ("seed0", "seed1"):
        out[seed] = {}
        for judge, (box, prior) in fid.items():
            sets = {name: {"vs_recon": {"fid": 10.0}, "vs_real": {"fid": 10.0}}
                    for name in ("ae_gmm", "vae_prior", "ae_gauss")}
            sets["ae_box"] = {"vs_recon": {"fid": box}, "vs_real": {"fid": box}}
            sets["ae_prior"] = {"vs_recon": {"fid": prior}, "vs_real": {"fid": prior}}
            out[seed][judge] = {"sets": sets, "quality_map": {"ae": quality, "vae": quality}}
    return out


def test_a_verdict_the_pca_judge_disagrees_with_is_unsettled():
    # Issue 24: both trained judges call the box worse than N(0, I) for the AE; a third judge
    # scores them level. The verdict must not stand, and the report says who held it.
    two_agree = {"cnn": (30.0, 20.0), "mlp": (60.0, 40.0)}
    settled = robustness.comparisons(_per_seed(two_agree))["box_vs_ae_prior_fid_vs_recon"]
    assert settled.verdict == "worse" and settled.cases == 4
    got = robustness.comparisons(_per_seed({**two_agree, "pca": (22.89, 22.93)}))
    c = got["box_vs_ae_prior_fid_vs_recon"]
    assert c.verdict == "unsettled" and c.cases == 6
    assert c.by_judge == {"cnn": "worse", "mlp": "worse", "pca": "level"}
    assert c.counts == {"better": 0, "worse": 4, "level": 2}
    assert got["gmm_vs_vae_fid_vs_recon"].by_judge == {"cnn": "level", "mlp": "level", "pca": "level"}


def test_by_judge_of_checks_and_claims_and_none_without_judges():
    values = {Case("seed0", "cnn"): 0.05, Case("seed1", "cnn"): 0.02,
              Case("seed0", "pca"): 0.05, Case("seed1", "pca"): 0.3}
    check = robust.threshold_check(values, 0.1)
    assert not check.holds and check.by_judge == {"cnn": True, "pca": False}
    # Keys of several numbers per case, as robustness.checks makes them: (case, set name).
    pairs = robust.threshold_check({(c, name): v for c, v in values.items() for name in "ab"}, 0.1)
    assert pairs.cases == 8 and pairs.by_judge == {"cnn": True, "pca": False}
    claim = rule.better("A beats B", {"seed0/cnn": 1.0, "seed0/pca": 2.0},
                        {"seed0/cnn": 2.0, "seed0/pca": 2.0}, lower_is_better=True)
    assert not claim.passed and claim.comparison.by_judge == {"cnn": "better", "pca": "level"}
    judge_free = robust.compare({Case("seed0"): 1.0, Case("seed1"): 1.0},
                                {Case("seed0"): 2.0, Case("seed1"): 2.0})
    assert judge_free.verdict == "better" and judge_free.by_judge is None
    assert judge_free.ranges_by_judge is None


def test_ranges_are_kept_per_judge_as_their_scales_differ():
    # The robustness table printed one range over all judges: a PCA FID of 40 and a CNN FID of 2
    # in one "2–40". Each judge keeps its own range over the seeds.
    a = {Case("seed0", "cnn"): 2.0, Case("seed1", "cnn"): 3.0,
         Case("seed0", "pca"): 40.0, Case("seed1", "pca"): 44.0}
    c = robust.compare(a, {k: v / 2 for k, v in a.items()})
    assert c.a_range == [2.0, 44.0]
    assert set(c.ranges_by_judge) == {"cnn", "pca"}
    assert c.ranges_by_judge["cnn"].a_range == [2.0, 3.0] and c.ranges_by_judge["cnn"].b_range == [1.0, 1.5]
    assert c.ranges_by_judge["pca"].a_range == [40.0, 44.0] and c.ranges_by_judge["pca"].b_range == [20.0, 22.0]

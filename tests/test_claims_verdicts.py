"""The verdict rule and every branch of each claim's checks, on hand-made numbers."""

from __future__ import annotations

import pytest

from pipeline.core import robust
from pipeline.stages.s4_analyse.claims import checks as v, rule


def _verdict(checks):
    return rule.verdict(checks)


def test_rule_branches():
    yes, no = rule.Check("a", True), rule.Check("b", False)
    assert rule.verdict([yes, yes]) == rule.HOLDS
    assert rule.verdict([yes, no]) == rule.IN_PART
    assert rule.verdict([no, no]) == rule.NOT_SUPPORTED
    with pytest.raises(ValueError):
        rule.verdict([])
    assert rule.judged([yes, no]) == {"checks": [{"test": "a", "passed": True},
                                              {"test": "b", "passed": False}],
                                   "verdict": rule.IN_PART}


def test_checks_use_the_one_rule_in_every_case_and_need_the_same_cases():
    """Checks are made by pipeline/core/robust.py (issue 23: the claims no longer keep their own
    strict "<"): a threshold must be met in every case, and A beats B only beyond the level band."""
    six = {f"seed{s}/{j}": 0.7 for s in range(3) for j in ("cnn", "mlp")}
    assert rule.on_side("t", six, 0.5, at_least=True).passed
    low = rule.on_side("t", {**six, "seed2/mlp": 0.4}, 0.5, at_least=True)  # one case fails: the check fails
    assert not low.passed and low.threshold.passed == 5 and low.threshold.range == [0.4, 0.7]
    assert rule.better("t", {"seed0": 1.0, "seed1": 2.0}, 3.0, lower_is_better=True).passed  # a float is every case's
    level = rule.better("t", {"seed0": 1.0}, 1.02, lower_is_better=True)  # within 5 %: level, not better
    assert not level.passed and level.comparison.verdict == "level"
    assert level.comparison.level_within == robust.LEVEL_WITHIN
    with pytest.raises(ValueError, match="different cases"):
        rule.better("t", {"seed0": 1.0}, {"seed1": 2.0}, lower_is_better=True)
    assert rule.where(six) == "in 3 seeds × 2 judges"
    assert rule.where({"seed0": 1.0, "seed1": 1.0}) == "in 2 seeds"
    assert rule.where({"seed0/cnn": 1.0, "seed0/mlp": 1.0}) == "in 1 seed × 2 judges"


def one(x: float) -> dict[str, float]:
    """A number measured in one case (the main seed under one judge)."""
    return {"seed0/cnn": x}


def test_a_stored_check_keeps_the_comparison_it_rests_on():
    check = rule.better("AE below PCA", {"seed0": 1.0, "seed1": 1.5}, 2.0, lower_is_better=True)
    stored = rule.judged([check])["checks"][0]
    assert stored["comparison"]["verdict"] == "better" and stored["comparison"]["cases"] == 2
    assert stored["comparison"]["a_range"] == [1.0, 1.5] and "threshold" not in stored


def test_a_check_that_fails_in_one_seed_or_judge_fails():
    holds = {"seed0/cnn": 0.8, "seed0/mlp": 0.8, "seed1/cnn": 0.8, "seed1/mlp": 0.8}
    assert _verdict(v.holes_decode_badly(holds, {k: 0.1 for k in holds}, "AE-2")) == rule.HOLDS
    one_judge_low = {**holds, "seed1/mlp": 0.3}
    checks = v.holes_decode_badly(one_judge_low, {k: 0.1 for k in holds}, "AE-2")
    assert [c.passed for c in checks] == [False, True] and "in 2 seeds × 2 judges" in checks[0].test
    vae = {k: 0.1 for k in holds}
    ae = {**{k: 0.6 for k in holds}, "seed0/mlp": 0.05}  # under one judge the AE does better
    checks = v.vae_prior_is_complete(vae, ae, {"seed0": 2.0, "seed1": 2.0}, {"seed0": 5.0, "seed1": 5.0})
    assert [c.passed for c in checks] == [True, False, True]


@pytest.mark.parametrize("acc, expected", [(0.95, rule.HOLDS), (0.5, rule.IN_PART), (0.15, rule.NOT_SUPPORTED)])
def test_clusters(acc, expected):
    assert _verdict(v.clusters({"seed0": acc}, chance=0.11, pixel_accuracy=0.97, model="AE-2")) == expected


@pytest.mark.parametrize("holes, occupied, expected", [
    (0.8, 0.1, rule.HOLDS), (0.3, 0.1, rule.IN_PART), (0.3, 0.4, rule.NOT_SUPPORTED)])
def test_holes(holes, occupied, expected):
    assert _verdict(v.holes_decode_badly(one(holes), one(occupied), "AE-2")) == expected


@pytest.mark.parametrize("shares, expected", [
    ({"AE-2": 0.7, "AE-16": 0.9}, rule.HOLDS), ({"AE-2": 0.2, "AE-16": 0.9}, rule.IN_PART),
    ({"AE-2": 0.2, "AE-16": 0.4}, rule.NOT_SUPPORTED)])
def test_prior_garbage(shares, expected):
    assert _verdict(v.prior_decodes_are_garbage({m: one(x) for m, x in shares.items()})) == expected


@pytest.mark.parametrize("args, expected", [
    ((0.1, 0.6, 2.0, 5.0), rule.HOLDS), ((0.6, 0.7, 2.0, 5.0), rule.IN_PART),
    ((0.8, 0.7, 6.0, 5.0), rule.NOT_SUPPORTED)])
def test_vae_complete(args, expected):
    vae_off, ae_off, vae_step, ae_step = args
    checks = v.vae_prior_is_complete(one(vae_off), one(ae_off), {"seed0": vae_step}, {"seed0": ae_step})
    assert _verdict(checks) == expected


@pytest.mark.parametrize("variants, ae_off, expected", [
    ({"denoise": 0.6, "sparse": 0.65}, 0.6, rule.HOLDS),       # level with the AE, or above it
    ({"denoise": 0.06, "sparse": 0.062}, 0.061, rule.HOLDS),   # level at a low share: no cure
    ({"denoise": 0.6, "sparse": 0.2}, 0.6, rule.IN_PART),
    ({"denoise": 0.1, "sparse": 0.2}, 0.6, rule.NOT_SUPPORTED)])
def test_variants(variants, ae_off, expected):
    checks = v.variants_stay_autoencoders({m: one(x) for m, x in variants.items()}, one(ae_off))
    assert _verdict(checks) == expected


def test_a_variant_better_than_the_ae_in_one_seed_fails_its_check():
    off = {"seed0": 0.60, "seed1": 0.40}                  # fewer off-manifold in seed1 only
    check, = v.variants_stay_autoencoders({"ae2-denoise": off}, {"seed0": 0.6, "seed1": 0.6})
    assert not check.passed and check.comparison.counts == {"better": 1, "worse": 0, "level": 1}


@pytest.mark.parametrize("pairs, expected", [
    ({"a": (1.0, 2.0), "b": (3.0, 4.0)}, rule.HOLDS), ({"a": (1.0, 2.0), "b": (5.0, 4.0)}, rule.IN_PART),
    ({"a": (2.0, 2.0), "b": (5.0, 4.0)}, rule.NOT_SUPPORTED),
    ({"a": ({"seed0": 1.0, "seed1": 3.0}, 2.0)}, rule.NOT_SUPPORTED),   # below in one seed only
    ({"a": ({"seed0": 1.0, "seed1": 1.5}, 2.0)}, rule.HOLDS)])
def test_lower_is_better(pairs, expected):
    assert _verdict(v.lower_is_better(pairs)) == expected


@pytest.mark.parametrize("psnr, expected", [
    ({"gaussian": {"noisy": 10, "ae": 14, "denoising": 16}}, rule.HOLDS),
    ({"gaussian": {"noisy": 10, "ae": 17, "denoising": 16}}, rule.IN_PART),
    ({"gaussian": {"noisy": 17, "ae": 17, "denoising": 16}}, rule.NOT_SUPPORTED)])
def test_denoiser(psnr, expected):
    cases = {c: {k: {"seed0": x} for k, x in p.items()} for c, p in psnr.items()}
    checks = v.denoiser_cleans(cases)
    assert _verdict(checks) == expected and all(c.test.endswith("in 1 seed") for c in checks)


@pytest.mark.parametrize("auroc, expected", [
    ({"letters": 0.95, "noise": 1.0}, rule.HOLDS), ({"letters": 0.7, "noise": 1.0}, rule.IN_PART),
    ({"letters": 0.7, "noise": 0.5}, rule.NOT_SUPPORTED)])
def test_anomalies(auroc, expected):
    assert _verdict(v.anomalies_flagged({k: {"seed0": x} for k, x in auroc.items()})) == expected


@pytest.mark.parametrize("kl, mi, expected", [
    ({0.0: 9.0, 1.0: 2.0, 4.0: 0.5}, 3.0, rule.HOLDS), ({0.0: 9.0, 1.0: 2.0, 4.0: 0.5}, 8.0, rule.IN_PART),
    ({0.0: 1.0, 1.0: 2.0}, 8.0, rule.NOT_SUPPORTED), ({1.0: 2.0}, 8.0, rule.NOT_SUPPORTED)])
def test_kl(kl, mi, expected):
    assert _verdict(v.kl_pulls_to_prior(kl, {"seed0": mi}, log_n=11.0)) == expected

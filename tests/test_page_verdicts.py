"""The comparisons and threshold checks analyse stores for the pages' remaining sentences: each
verdict branch on synthetic numbers (pipeline/core/robust.py's one rule)."""

from __future__ import annotations

import pytest

from pipeline.stages.s4_analyse import page_verdicts as pv


def high_sets(ae_prior: float, vae_prior: float, gmm: float) -> dict:
    """{judge: {set: scores}} of a 16-D pair, the same numbers under both judges unless a
    number is a (cnn, mlp) tuple."""
    def fid(x, i):
        return x[i] if isinstance(x, tuple) else x
    return {j: {key: {"vs_recon": {"fid": fid(x, i)}, "vs_real": {"fid": fid(x, i)}}
                for key, x in (("ae16_prior", ae_prior), ("vae16_prior", vae_prior), ("ae16_gmm", gmm))}
            for i, j in enumerate(("cnn", "mlp"))}


@pytest.mark.parametrize("ae, vae, gmm, name, verdict", [
    (300.0, 100.0, 80.0, "ae_prior_vs_vae_fid_vs_real", "worse"),
    (100.0, 300.0, 80.0, "ae_prior_vs_vae_fid_vs_real", "better"),
    (100.0, 102.0, 80.0, "ae_prior_vs_vae_fid_vs_real", "level"),
    ((300.0, 90.0), 100.0, 80.0, "ae_prior_vs_vae_fid_vs_real", "unsettled"),
    (300.0, 100.0, 80.0, "gmm_vs_vae_fid_vs_recon", "better"),
    (300.0, 100.0, 200.0, "gmm_vs_ae_prior_fid_vs_real", "better"),
])
def test_high_dim_comparisons_use_the_judges_as_cases(ae, vae, gmm, name, verdict):
    out = pv.high_comparisons(high_sets(ae, vae, gmm), "ae16", "vae16", "seed0")
    assert out[name].verdict == verdict and out[name].cases == 2
    assert set(out) == {f"{n}_fid_{r}" for n, _, _ in pv.HIGH_COMPARISONS for r in ("vs_recon", "vs_real")}


@pytest.mark.parametrize("vae_rec, verdict", [((230.0, 232.0), "worse"), ((170.0, 168.0), "better"),
                                              ((200.0, 201.0), "level"), ((230.0, 170.0), "unsettled")])
def test_the_price_of_the_clouds_is_judged_over_the_seeds(vae_rec, verdict):
    models = {"ae2": {"test": {"bce": 200.0}}, "ae2-seed1": {"test": {"bce": 200.0}},
              "vae2": {"test": {"rec": vae_rec[0]}}, "vae2-seed1": {"test": {"rec": vae_rec[1]}}}
    out = pv.recon_price(models, {"seed0": ("ae2", "vae2"), "seed1": ("ae2-seed1", "vae2-seed1")})
    assert out.verdict == verdict and out.cases == 2


def test_page_checks():
    gaps = {"ae2": {"confidence_mean_fraction": 0.8}, "vae2": {"confidence_mean_fraction": None}}
    surgery = {"vae2": {"marginal_kl_nats": 0.2, "mutual_info_nats": 3.0}}
    out = pv.page_checks(gaps, surgery, "seed0", "ae2", "vae2")
    assert out["ae_gap_decodes_confident"].holds and "vae_gap_decodes_confident" not in out
    assert out["clouds_fill_prior"].holds and out["clouds_fill_prior"].threshold == pv.CLOUDS_FILL_PRIOR
    surgery["vae2"]["marginal_kl_nats"] = 2.0
    gaps["ae2"]["confidence_mean_fraction"] = 0.3
    out = pv.page_checks(gaps, surgery, "seed0", "ae2", "vae2")
    assert not out["clouds_fill_prior"].holds and not out["ae_gap_decodes_confident"].holds

"""The claims block: a model's latent profile, and the verdicts from a hand-made block."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from pipeline.core.models import Autoencoder
from pipeline.stages.s4_analyse.claims import checks as cb, measure, rule


def _pixels(images: np.ndarray) -> np.ndarray:
    """A stand-in judge: the pixels themselves are the features."""
    return images.reshape(len(images), -1).astype(np.float32) / 255.0


def test_latent_profile_of_a_2d_and_a_3d_ae_under_two_judges():
    rng = np.random.default_rng(1)
    images = (rng.random((120, 28, 28)) * 255).astype(np.uint8)
    judges = {"pixels": _pixels, "far": lambda im: _pixels(im) + 1.0}  # shifting moves nothing
    for dim in (2, 3):
        torch.manual_seed(0)
        ae = Autoencoder(latent_dim=dim, hidden=[16]).eval()
        train_z = rng.normal(size=(500, dim)).astype(np.float32)
        prior_z = rng.normal(size=(60, dim)).astype(np.float32)
        out = measure.latent_profile(ae, train_z, images, judges, prior_z, grid=8, hole_max_count=0,
                                percentile=99.0)
        assert out["latent_dim"] == dim and out["n_samples"] == 60 and set(out["by_judge"]) == set(judges)
        shares = [view["prior_off_manifold_fraction"] for view in out["by_judge"].values()]
        assert 0.0 <= shares[0] <= 1.0 and shares[0] == pytest.approx(shares[1])
        assert ("holes" in out) == ("quality" in out["by_judge"]["pixels"]) == (dim == 2)
    assert 0.0 <= out["by_judge"]["pixels"].get("quality", {"x": 0.5}).get("off_manifold_in_window_fraction", 0.5) <= 1.0


def _block(good: bool) -> dict:
    """A synthetic claims block in which every claim holds (good) or none does."""
    hi, lo = (0.9, 0.1) if good else (0.1, 0.9)
    lat = {"ae2": {"latent_dim": 2, "prior_off_manifold_fraction": hi,
                   "quality": {"off_manifold_in_holes_fraction": hi,
                               "off_manifold_in_occupied_fraction": lo}},
           "vae2": {"latent_dim": 2, "prior_off_manifold_fraction": lo},
           "ae16": {"latent_dim": 16, "prior_off_manifold_fraction": hi},
           # AE-like if good; if not, off the manifold less often than the plain AE (a cure)
           "ae2-denoise": {"latent_dim": 2, "prior_off_manifold_fraction": hi if good else 0.05},
           "ae2-sparse": {"latent_dim": 2, "prior_off_manifold_fraction": hi if good else 0.05}}
    a, b = (1.0, 2.0) if good else (2.0, 1.0)
    rec = {m: {"bce_nats": a, "mse_per_pixel": a} for m in ("ae2", "ae16", "ae2-conv")}
    rec.update({m: {"bce_nats": b, "mse_per_pixel": b} for m in ("pca2", "pca16")})
    rec["ae2"] = {"bce_nats": 1.5, "mse_per_pixel": a}  # conv (1.0) below ae2, ae2 below PCA (2.0)
    if not good:
        rec["ae2-conv"] = {"bce_nats": 3.0, "mse_per_pixel": 3.0}
    return {
        "ids": {"ae": "ae2", "vae": "vae2", "ae_high": "ae16", "denoise": "ae2-denoise",
                "sparse": "ae2-sparse", "conv": "ae2-conv"},
        "names": {"ae2": "AE-2", "vae2": "VAE-2", "ae16": "AE-16", "ae2-denoise": "denoising AE-2",
                  "ae2-sparse": "sparse AE-2", "ae2-conv": "conv AE-2"},
        "latent": lat, "reconstruction": rec,
        "clusters": {"accuracy_fraction": {"ae2": 0.95 if good else 0.1, "pca2": 0.4},
                     "chance_fraction": 0.11, "pixels_fraction": 0.97},
        "conv": {"per_class_bce_nats": {"ae2": [5.0] * 9 + [9.0],
                                        "ae2-conv": [4.0] * 10 if good else [9.0] * 10}},
        "denoising": {"trained": {"noisy": {"psnr_db": 10 if good else 20},
                                  "ae2": {"psnr_db": 12 if good else 20},
                                  "ae2-denoise": {"psnr_db": 15}}},
        "anomaly": {"auroc_fraction": {"ae2": {"letters": 0.95 if good else 0.6}}},
        "main_seed": "seed0",
        "cases": _cases(lat, good),
    }


def _cases(lat: dict, good: bool) -> dict:
    """Every number the verdicts read, in two seeds x two judges (seed1 agrees with seed0)."""
    sj = [f"seed{s}/{j}" for s in (0, 1) for j in ("cnn", "mlp")]
    seeds = ["seed0", "seed1"]
    hi, lo = (0.9, 0.1) if good else (0.1, 0.9)
    off = {m: {k: e["prior_off_manifold_fraction"] for k in sj} for m, e in lat.items() if m in ("ae2", "vae2")}
    off.update({m: {k: e["prior_off_manifold_fraction"] for k in sj if k.startswith("seed0")}
                for m, e in lat.items() if m not in off})
    return {"prior_off_manifold": off,
            "off_manifold_in_holes": dict.fromkeys(sj, hi), "off_manifold_in_occupied": dict.fromkeys(sj, lo),
            "step_max_over_mean": {"ae": dict.fromkeys(seeds, 5.0 if good else 1.0),
                                   "vae": dict.fromkeys(seeds, 2.0)},
            "code_knn_accuracy": dict.fromkeys(seeds, 0.95 if good else 0.1),
            "ae_recon": {"bce_nats": dict.fromkeys(seeds, 1.5), "mse_per_pixel": dict.fromkeys(seeds, 1.0 if good else 2.0)},
            "auroc": {"letters": dict.fromkeys(seeds, 0.95 if good else 0.6)},
            "mutual_info_nats": dict.fromkeys(seeds, 2.0 if good else 9.0)}


@pytest.mark.parametrize("good, expected", [(True, rule.HOLDS), (False, rule.NOT_SUPPORTED)])
def test_every_claim_follows_the_rule(good, expected):
    sweep = [{"beta": 0.0, "test_kl_nats": 9.0 if good else 1.0},
             {"beta": 1.0, "test_kl_nats": 3.0}]
    surgery = {"mutual_info_nats": 2.0 if good else 9.0, "log_n_nats": 11.0}
    judged = cb.judge_all(_block(good), sweep, surgery)
    assert judged.pop("rule") == rule.RULE
    assert len(judged) == 10
    assert {name: j["verdict"] for name, j in judged.items()} == {name: expected for name in judged}


def test_the_page_prints_the_block_and_every_verdict():
    """site_src/pages/claims.md.j2 renders all ten rows from a synthetic metrics.json."""
    from pipeline.stages.s6_site.stage import template_env
    from tests.report_examples import mnist_words

    block = _block(True)
    paths = {"ae_linear": {"step_max_over_mean": 5.0}, "vae_linear": {"step_max_over_mean": 2.0}}
    sweep = [{"beta": 0.0, "test_kl_nats": 9.0}, {"beta": 1.0, "test_kl_nats": 3.0}]
    surgery = {"mutual_info_nats": 2.0, "log_n_nats": 11.0}
    block["verdicts"] = cb.judge_all(block, sweep, surgery)
    for m in ("ae2-denoise", "ae2-sparse"):
        block["latent"][m]["holes"] = {"hole_fraction_hull": 0.25}
    block["clusters"]["accuracy_fraction"].update({"vae2": 0.8, "ae16": 0.9})
    block["reconstruction"]["pca2"]["bce_clip"] = 1e-4
    block["conv"].update(matched_by="training time", params={"ae2": 1000, "ae2-conv": 2000},
                         epochs={"ae2": 12, "ae2-conv": 7})
    block["recipes"] = {"denoise": "Gaussian noise", "sparse": "an L1 penalty"}
    block["anomaly"]["auroc_fraction"]["vae2"] = {"letters": 0.9}
    block["denoising"]["trained"].update(corruption="gaussian", level=0.5)
    metrics = {"claims": block, "paths": {"summary": paths}, "beta_sweep": sweep,
               "surgery": {"vae2": surgery},
               "robustness": {"seeds": ["seed0", "seed1"], "judges": {"cnn": "judge", "mlp": "judge-mlp"}}}
    fake = {"files": {"png": {"path": "x.png", "width": 100, "height": 50}}, "title": "t",
            "caption": "c", "alt": "a"}
    figures = {f"claims-{n}": fake for n in ("variant-codes", "pca-maps", "hardest-digits",
                                             "denoising", "ood-histograms")}
    env = template_env(mnist_words())  # the site's own environment, words and all
    text = env.get_template("pages/claims.md.j2").render(m=metrics, figures=figures)
    rows = [line for line in text.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 10 and all(line.rstrip().endswith(") |") for line in rows)
    assert text.count("holds](") == 10 and rule.RULE in text
    assert "95.0" in text and "letters is the hardest" in text
    assert "training time: 7 epochs against AE-2's 12" in text  # the conv AE's epochs, stated
    # models by the names the figures use, never by their ids (the page once mixed ae2 and AE-2)
    prose = re.sub(r"\]\([^)]*\)|id=\"[^\"]*\"|#fig-[a-z-]+", "", text)  # link targets name figures
    assert "AE-2" in prose and not re.search(r"\b(ae2|vae2|ae16)(-[a-z]+)?\b", prose), prose
    assert "each of its 2 seeds" in text and "each of the 2 judges" in text
    assert "in 2 seeds × 2 judges (passed)" in text and "in 1 seed × 2 judges (passed)" in text
    import html
    checks = [c for line in html.unescape(text).splitlines() if line.startswith("- **")
              for c in re.split(r"(?<=\)); ", line.split("**: ", 1)[1])]
    assert len(checks) >= 10 and [c for c in checks if not re.search(r"in \d+ seeds?\b", c)] == []

"""A VAE's test terms (reconstruction and KL) and the ELBO surgery of its training codes."""

from __future__ import annotations

from typing import Any

from pipeline.core import batched, seeding
from .. import surgery
from ..analysis import Analysis
from ..section import Result, Section

SURGERY_MC = 2000          # codes drawn for the ELBO-surgery Monte Carlo (log q(z) uses all N;
                           # the standard error of I(n; z) is reported next to it)
SURGERY_MC_SIDE = 1000     # the same for the β-sweep and high-dimensional VAEs (time budget)


def vae_test_terms(a: Analysis, mid: str) -> dict[str, Any]:
    """Test reconstruction (decode of μ) and closed-form KL per image, in nats."""
    c = a.codes(mid)
    kl = surgery.mean_gaussian_kl(c["test_z"], c["test_logvar"])
    rec = batched.recon_errors(a.model(mid), a.data["test_x"], c["test_z"], a.device)
    return {"test_kl_nats": kl, "test_bce_nats": rec["bce_nats"],
            "test_mse_per_pixel": rec["mse_per_pixel"]}


def surgery_of(a: Analysis, mid: str) -> dict[str, Any]:
    """ELBO surgery of a VAE's training codes (computed once per model)."""
    def make() -> dict[str, Any]:
        c = a.codes(mid)
        n_mc = SURGERY_MC if mid == a.roles.vae else SURGERY_MC_SIDE
        return surgery.elbo_surgery(c["train_z"], c["train_logvar"],
                                    seeding.seed_for(a.seed, f"surgery:{mid}"), n_mc=n_mc)
    s = dict(a.once(("surgery", mid), make))
    # The two parts' shares of the average KL, for the page's "most of the KL is ..." sentence.
    kl = s["avg_kl_nats"]
    s["mutual_info_fraction_of_kl"] = s["mutual_info_nats"] / kl if kl > 0 else None
    s["marginal_kl_fraction_of_kl"] = s["marginal_kl_nats"] / kl if kl > 0 else None
    return s


def main_surgery(a: Analysis, _: dict) -> Result:
    """The main VAE's ELBO surgery with its test terms."""
    vae = a.roles.vae
    return Result({vae: {**surgery_of(a, vae), **vae_test_terms(a, vae)}})


SECTION = Section("surgery", main_surgery, models=lambda r: (r.vae,))

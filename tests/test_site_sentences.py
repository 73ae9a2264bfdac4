"""The result-driven sentences of site_src/macros.j2 pick their wording from the numbers."""

from __future__ import annotations

import jinja2
import pytest

from pipeline.stages.s6_site import helpers
from pipeline.stages.s6_site.stage import SITE_SRC


@pytest.fixture(scope="module")
def say():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SITE_SRC), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    helpers.install(env)
    return env.get_template("macros.j2").module


def samples(gmm: float, vae: float, ae_prior: float = 463.1) -> dict:
    return {"samples": {"ae_gmm": {"fid": gmm, "components": 10}, "vae_prior": {"fid": vae},
                        "ae_prior": {"fid": ae_prior}}}


@pytest.mark.parametrize("gmm, vae, expected", [
    (257.1, 258.0, "brings it level with the VAE"),   # the default build's: within 5 %
    (242.0, 323.8, "rescues it completely"),           # clearly better than the VAE
    (300.0, 258.0, "helps a lot"),                     # better than N(0, I), worse than the VAE
    (480.0, 258.0, "does not help"),
])
def test_gmm_sentence_follows_the_numbers(say, gmm, vae, expected):
    text = str(say.gmm_sentence(samples(gmm, vae)))
    assert expected in text
    assert f"{gmm:.1f}" in text

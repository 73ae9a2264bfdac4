"""What the sample sets and interpolation paths are called in figures, GIFs and the explorers.

Render and the site read these names, analyse never does: the registry in
``core/sample_sets.py`` is imported by analyse, so a chart label kept there reran every analyse
job when it was reworded; here it redraws only the figures that print it.
``tests/test_artifacts.py`` checks that every registered set and path has its names.
"""

from __future__ import annotations

# Titles above a set's panel of decodes, and "real" for the real test images.
TITLES = {
    "ae_prior": "AE, z ~ N(0, I)",
    "ae_box": "AE, z ~ its whole range",
    "ae_gauss": "AE, Gaussian fitted to codes",
    "ae_gmm": "AE, GMM fitted to codes",
    "vae_prior": "VAE, z ~ N(0, I)",
    "ae_recon": "AE reconstructions",
    "vae_recon": "VAE reconstructions",
    "real": "real test images",
}
# Short labels for dense plots, in the pages' words.
SHORT_TITLES = {
    "ae_prior": "AE, N(0, I)",
    "ae_box": "AE, whole range",
    "ae_gauss": "AE, fitted Gaussian",
    "ae_gmm": "AE, fitted GMM",
    "vae_prior": "VAE, N(0, I)",
    "ae_recon": "AE recon.",
    "vae_recon": "VAE recon.",
}
# The interpolation paths (``core.sample_sets.PATH_KINDS``).
PATH_TITLES = {"ae_linear": "AE, straight line", "vae_linear": "VAE, straight line",
               "vae_slerp": "VAE, spherical path"}

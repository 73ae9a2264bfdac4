"""The sample sets the analyse stage scores and the render stage shows: their keys, in order, a
short title for figures and the long description analyse writes into metrics.json."""

from __future__ import annotations

# Decodes of drawn latent points (the AE with four samplers, the VAE from its prior) ...
PRIOR_SETS = ("ae_prior", "ae_box", "ae_gauss", "ae_gmm", "vae_prior")
# ... and the two models' reconstructions of the test images, scored alike.
SCORED_SETS = (*PRIOR_SETS, "ae_recon", "vae_recon")

TITLES = {"ae_prior": "AE, z ~ N(0, I)", "ae_box": "AE, z ~ box of its codes",
          "ae_gauss": "AE, Gaussian fitted to codes", "ae_gmm": "AE, GMM fitted to codes",
          "vae_prior": "VAE, z ~ N(0, I)", "ae_recon": "AE reconstructions",
          "vae_recon": "VAE reconstructions", "real": "real test images"}

SOURCES = {
    "ae_prior": "AE decoder on z ~ N(0, I)",
    "ae_box": "AE decoder on z uniform in the codes' bounding box",
    "ae_gauss": "AE decoder on z ~ Gaussian fitted to the AE codes",
    "ae_gmm": "AE decoder on z ~ Gaussian mixture fitted to the AE codes",
    "vae_prior": "VAE decoder on z ~ N(0, I)",
    "ae_recon": "AE reconstructions of the test images (decode of z)",
    "vae_recon": "VAE reconstructions of the test images (decode of μ)",
}

# The interpolation paths (analyse's paths.npz), in order, and their titles in figures, GIFs
# and the interpolation explorer.
PATH_KINDS = ("ae_linear", "vae_linear", "vae_slerp")
PATH_TITLES = {"ae_linear": "AE, straight line", "vae_linear": "VAE, straight line",
               "vae_slerp": "VAE, spherical path"}

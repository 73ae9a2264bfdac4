"""Stage 2: train the AE/VAE pairs, the judge, the β sweep and the higher-dimensional pair."""

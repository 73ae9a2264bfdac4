"""Holes & Clouds: train an AE and a VAE on MNIST, measure their latent spaces, build the site."""

"""Stage 4, analyse. The array modules work on NumPy/PyTorch arrays, no file I/O, so every
measurement can be unit-tested on synthetic point sets (tests/test_analysis.py).

Modules, one job each:
- ``holes``     latent window, density grid, hole map, prior mass over holes, gap points
- ``knn``       chunked nearest-neighbour distances (float32 torch, bounded memory)
- ``scores``    FID, improved precision/recall, judge confidence/entropy/class balance
- ``surgery``   ELBO surgery: average KL = KL(q(z) || p(z)) + I(n; z)
- ``samplers``  the sample sets (prior, box, Gaussian fit, GMM fit)
- ``paths``     interpolation pairs, linear and spherical paths, per-step measurements
- ``analysis``  the shared inputs (data, judge, models, codes, hole maps) and set scoring
- ``sections/`` the measurement groups, one module each (reference, samples, gaps,
                interpolation, vae_terms, beta_sweep, high_dim)
- ``stage``     the stage: runs the sections in order, writes metrics.json and the npz files
"""

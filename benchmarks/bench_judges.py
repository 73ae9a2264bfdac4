"""One seed pair's robustness work under one judge (CNN, MLP, PCA), on a default build's artifacts
(``A`` below; read only); the shared draws and decodes are made first, so each timing holds only
that judge's passes (the CNN's real-image reference is the Analysis's own, made at start; the
MLP's and the PCA's are made in their timing).

Measured 2026-12-06 on the shared 2-core machine under load (~4-14), best of 2:
CNN 228 s, MLP 105 s, PCA 81 s per seed pair (PCA/CNN 0.35, PCA/MLP 0.77); PCA fit 2.8 s
(60,000 images, 64 components, 86 % of the pixel variance) when the machine was less loaded.
Usage: PYTHONPATH=. python benchmarks/bench_judges.py"""
import time
from pathlib import Path
import torch
from pipeline.core.config import load_config
from pipeline.core.context import StageContext
from pipeline.stages.s4_analyse.analysis import Analysis
from pipeline.stages.s4_analyse.sections import robustness
from pipeline.stages.s4_analyse import quality_map, draws
A = Path("/work/main/artifacts")
torch.set_num_threads(2)
ctx = StageContext(load_config("default"), {k: A / k for k in ("data", "train", "encode")}, Path("/tmp/h24j/none"), {})
t = time.perf_counter(); a = Analysis(ctx); print(f"Analysis init {time.perf_counter()-t:.1f}s", flush=True)
ae, vae = a.roles.seeds["seed0"]
t = time.perf_counter()
for name, (mid, z) in a.pair_draws(ae, vae).sets.items():
    a.decoded(mid, name, z)
for mid in (ae, vae):
    a.decoded(mid, draws.RECON, a.codes(mid)["test_z"])
    h = a.hole_map(mid)
    a.decoded(mid, "grid-cells", quality_map.cell_centres(a.windows[mid], h.counts.shape[0]))
print(f"shared draws+decodes {time.perf_counter()-t:.1f}s", flush=True)
t = time.perf_counter(); a.pca_judge(); print(f"pca fit {time.perf_counter()-t:.1f}s", flush=True)
res = {}
for rep in range(2):
    for j, jid in (("cnn", "judge"), ("pca", "judge-pca"), ("mlp", "judge-mlp")):
        a._once = {k: v for k, v in a._once.items() if k[0] not in ("judged", "vs_real", "real", "manifold")}
        t = time.perf_counter()
        real = {j: a.real(jid)}
        robustness.one_seed(a, ae, vae, {j: jid}, real)
        dt = time.perf_counter() - t
        res.setdefault(j, []).append(dt)
        print(rep, j, f"{dt:.1f}s", flush=True)
best = {j: min(v) for j, v in res.items()}
print("best", best, "pca/cnn %.2f pca/mlp %.2f" % (best["pca"] / best["cnn"], best["pca"] / best["mlp"]))

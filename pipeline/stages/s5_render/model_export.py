"""The main AE-2 and VAE-2 encoders and decoders, exported for the page's own inference.

Each model part becomes one script, ``explorer/model-<id>-<part>.js`` (part = encoder or
decoder), that calls ``HC_DATA_PUT("explorer/model-<id>-<part>", document)``: a <script> tag
loads it from a web server and from a page opened straight from disk alike (browsers refuse
``fetch`` of local files). ``site_src/assets/js/hc-models.js`` runs the document's layers with
plain dense products; the widgets inject both scripts only on first use, so a page's first load
does not carry the weights.

Quantisation: every Linear layer's weight matrix as float16, biases as float32; the page
computes in float32. int8 with one scale per output row would halve the files, but on the
default models it moved decoded pixels by up to 0.08 and VAE codes by up to 0.12 of their
spread; float16 moves them by about 0.002 and 0.003 of the spread. The page's decodes must
match PyTorch within ``PIXEL_TOLERANCE`` per pixel (after the sigmoid, pixels in [0, 1]) and its
codes within ``CODE_TOLERANCE`` times the standard deviation of the model's training codes per
coordinate: ``tests/test_models_browser.py`` asserts both in a real browser.

Only the MLP body (train.body = "mlp": Linear and ReLU layers) is exported; for another body
``export_document`` raises ``ModelExportError`` and the render stage leaves the live widgets out.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from pipeline.core.palette import MODEL_COLORS, MODEL_LABELS, kind_from_id

PIXEL_TOLERANCE = 0.01  # max |page - PyTorch| of one decoded pixel, in [0, 1]
CODE_TOLERANCE = 0.01  # max |page - PyTorch| of one code coordinate / the codes' spread (std)
PARTS = ("encoder", "decoder")


class ModelExportError(ValueError):
    """A model the page cannot run (a body other than Linear + ReLU layers)."""


def dense_layer(linear: nn.Linear, act: str) -> dict[str, Any]:
    """One Linear layer (and the activation after it) as the page reads it: the weight matrix
    [out, in] row-major as little-endian float16 in base64, the bias as float32 numbers."""
    w = linear.weight.detach().cpu().numpy()
    return {"in": int(w.shape[1]), "out": int(w.shape[0]), "act": act,
            "w16": base64.b64encode(w.astype("<f2").tobytes()).decode("ascii"),
            "b": [float(v) for v in linear.bias.detach().cpu().numpy().astype(np.float32)]}


def sequential_layers(seq: nn.Module, last_act: str = "linear") -> list[dict[str, Any]]:
    """Linear/ReLU modules in order -> dense layers (ReLU folds into the Linear before it)."""
    layers: list[dict[str, Any]] = []
    pending: nn.Linear | None = None
    for module in (seq if isinstance(seq, nn.Sequential) else [seq]):
        if isinstance(module, nn.Linear):
            if pending is not None:
                layers.append(dense_layer(pending, "linear"))
            pending = module
        elif isinstance(module, nn.ReLU) and pending is not None:
            layers.append(dense_layer(pending, "relu"))
            pending = None
        else:
            raise ModelExportError(f"cannot export {type(module).__name__} to the page: only the MLP "
                                   "body (train.body = 'mlp', Linear and ReLU layers) runs there")
    if pending is not None:
        layers.append(dense_layer(pending, last_act))
    return layers


def export_document(mid: str, model: nn.Module, part: str) -> dict[str, Any]:
    """The page's document of one model part: its layers and, for the encoder, its heads
    ("z" for the AE; "mu" and "logvar" for the VAE). The decoder ends in a sigmoid, as
    ``model.decode`` does."""
    kind = kind_from_id(mid)
    doc: dict[str, Any] = {"id": mid, "kind": kind, "part": part, "latent_dim": int(model.latent_dim),
                           "label": MODEL_LABELS[kind], "color": MODEL_COLORS[kind],
                           "quantisation": "float16 weights, float32 biases"}
    if part == "decoder":
        doc["layers"] = sequential_layers(model.decoder, last_act="sigmoid")
        return doc
    doc["layers"] = sequential_layers(model.body)
    heads = {"mu": model.fc_mu, "logvar": model.fc_logvar} if kind == "vae" else {"z": model.fc_z}
    doc["heads"] = {name: dense_layer(layer, "linear") for name, layer in heads.items()}
    return doc


def write_model_scripts(folder: Path, models: dict[str, nn.Module]) -> dict[str, Any]:
    """Write explorer/model-<id>-<part>.js for every 2-D model; their meta.json entry
    ({id: {part: file name}}, plus the tolerances). Raises ModelExportError for a body the
    page cannot run."""
    files: dict[str, dict[str, str]] = {}
    for mid, model in models.items():
        files[mid] = {}
        for part in PARTS:
            key = f"explorer/model-{mid}-{part}"
            doc = json.dumps(export_document(mid, model, part), separators=(",", ":"), sort_keys=True)
            (folder / f"model-{mid}-{part}.js").write_text(f"HC_DATA_PUT({json.dumps(key)}, {doc});\n")
            files[mid][part] = f"model-{mid}-{part}.js"
    return {"files": files, "pixel_tolerance": PIXEL_TOLERANCE, "code_tolerance": CODE_TOLERANCE}


def reference_outputs(model: nn.Module, x: np.ndarray, z: np.ndarray) -> dict[str, np.ndarray]:
    """PyTorch's own outputs the page must match: codes of images x (μ and log σ² for a VAE)
    and decodes of points z (the tests' reference)."""
    with torch.no_grad():
        xt, zt = torch.from_numpy(x.astype(np.float32)), torch.from_numpy(z.astype(np.float32))
        enc = model.encode(xt)
        out = {"decoded": model.decode(zt).numpy()}
        if isinstance(enc, tuple):
            out["mu"], out["logvar"] = enc[0].numpy(), enc[1].numpy()
        else:
            out["z"] = enc.numpy()
    return out

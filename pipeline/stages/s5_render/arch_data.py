"""The architecture widget's data: every layer's activation for one example test digit
(``explorer/arch.json``, see ARCHITECTURE.md), read by hc-arch.js."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from pipeline.core.palette import MODEL_COLORS, MODEL_LABELS, kind_from_id
from pipeline.core.widget_palette import (ACTIVATION_NEGATIVE, ACTIVATION_POSITIVE, ACTIVATION_TEXT,
                                          LAYER_COLORS)

ARCH_EXAMPLE_DIGIT = 3  # the example digit of the architecture widget: first test image of this class


def _layer(name: str, t: torch.Tensor, role: str, image: list[int] | None = None) -> dict[str, Any]:
    a = t.detach().float().cpu().numpy()[0]
    entry: dict[str, Any] = {"name": name, "role": role, "size": int(a.size),
                             "shape": list(a.shape)}
    if a.ndim == 3:  # conv feature maps: show the mean over channels
        a = a.mean(0)
        entry["shown"] = "mean over channels"
    flat = a.reshape(-1)
    if image is not None:  # a flat image: shown in its own height x width
        grid = image
    elif a.ndim == 2:
        grid = list(a.shape)
    else:
        cols = int(np.ceil(np.sqrt(flat.size)))
        grid = [int(np.ceil(flat.size / cols)), cols]
    entry["grid"] = grid
    entry["values"] = np.round(flat.astype(np.float64), 3).tolist()
    return entry


def _run_seq(seq: torch.nn.Module, x: torch.Tensor, prefix: str, role: str,
             layers: list[dict[str, Any]]) -> torch.Tensor:
    """Run a Sequential child by child, recording the output after each non-linearity."""
    children = list(seq.children()) if isinstance(seq, torch.nn.Sequential) else [seq]
    for i, mod in enumerate(children):
        x = mod(x)
        if isinstance(mod, (torch.nn.ReLU, torch.nn.Tanh, torch.nn.LeakyReLU)):
            prev = children[i - 1] if i > 0 else mod
            what = (f"Linear {prev.in_features}→{prev.out_features}" if isinstance(prev, torch.nn.Linear)
                    else type(prev).__name__)
            layers.append(_layer(f"{prefix} {what} + {type(mod).__name__}", x, role))
    return x


def activations(model: torch.nn.Module, image: np.ndarray) -> dict[str, Any]:
    """Every layer's activation for one image: input, encoder layers, code, decoder, output."""
    x = torch.from_numpy(image.reshape(1, -1).astype(np.float32) / 255.0)
    hw = list(model.image_shape[1:])
    size = "×".join(map(str, hw))
    layers: list[dict[str, Any]] = [_layer(f"Input image {size}", x, "input", hw)]
    with torch.no_grad():
        h = _run_seq(model.body, x, "Encoder", "encoder", layers)
        if hasattr(model, "fc_mu"):
            mu, logvar = model.fc_mu(h), model.fc_logvar(h)
            layers.append({**_layer("Code mean μ", mu, "code"), "code": "mu"})
            layers.append({**_layer("Code spread σ = exp(½ log σ²)", torch.exp(0.5 * logvar), "code"), "code": "sigma"})
            z = mu  # the page shows the decode of μ, no sampling
        else:
            z = model.fc_z(h)
            layers.append({**_layer("Code z", z, "code"), "code": "z"})
        logits = _run_seq(model.decoder, z, "Decoder", "decoder", layers)
        layers.append(_layer(f"Output image {size} (sigmoid)", torch.sigmoid(logits), "output", hw))
    return {"layers": layers, "params": int(sum(p.numel() for p in model.parameters()))}


def model_layer_colors(kind: str) -> dict[str, str]:
    """A model's bars in the site's colour of that model (AE blue, VAE orange) and its images in
    the digits' neutral grey, so the widget agrees with every figure that compares the two."""
    return {"input": LAYER_COLORS["input"], "output": LAYER_COLORS["output"],
            "encoder": MODEL_COLORS[kind], "code": MODEL_COLORS[kind], "decoder": MODEL_COLORS[kind]}


def arch_document(models: dict[str, torch.nn.Module], test_x: np.ndarray,
                  test_y: np.ndarray) -> dict[str, Any]:
    """arch.json: each model's layers for the first test image of ARCH_EXAMPLE_DIGIT, with the
    colours and names the widget draws them in."""
    example = int(np.flatnonzero(test_y == ARCH_EXAMPLE_DIGIT)[0])
    return {"example": {"test_index": example, "label": int(test_y[example])},
            "models": {mid: {**activations(m, test_x[example]), "label": MODEL_LABELS[kind_from_id(mid)],
                             "colors": model_layer_colors(kind_from_id(mid))}
                       for mid, m in models.items()},
            "layer_colors": LAYER_COLORS,
            "activation_colors": {"positive": ACTIVATION_POSITIVE, "negative": ACTIVATION_NEGATIVE,
                                  "text": ACTIVATION_TEXT}}

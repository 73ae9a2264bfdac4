"""model_export.py: the page's copy of a model computes what the model computes (here in NumPy,
as hc-models.js does), and a body the page cannot run is refused by name."""

from __future__ import annotations

import base64

import numpy as np
import pytest
import torch

from pipeline.core.models import Autoencoder, VariationalAutoencoder
from pipeline.stages.s5_render.model_export import (CODE_TOLERANCE, PIXEL_TOLERANCE, ModelExportError,
                                                    export_document, reference_outputs)


def run_layers(layers: list[dict], h: np.ndarray) -> np.ndarray:
    for L in layers:
        w = np.frombuffer(base64.b64decode(L["w16"]), "<f2").astype(np.float32).reshape(L["out"], L["in"])
        h = h @ w.T + np.asarray(L["b"], np.float32)
        h = np.maximum(h, 0) if L["act"] == "relu" else 1 / (1 + np.exp(-h)) if L["act"] == "sigmoid" else h
    return h


@pytest.mark.parametrize("cls, mid", [(Autoencoder, "ae2"), (VariationalAutoencoder, "vae2")])
def test_exported_layers_compute_the_models_codes_and_decodes(cls, mid):
    torch.manual_seed(0)
    model = cls(latent_dim=2, hidden=[64, 32]).eval()
    x = np.random.default_rng(0).random((8, 784)).astype(np.float32)
    z = np.random.default_rng(1).normal(size=(8, 2)).astype(np.float32) * 2
    ref = reference_outputs(model, x, z)
    enc, dec = export_document(mid, model, "encoder"), export_document(mid, model, "decoder")
    assert [layer["act"] for layer in dec["layers"]] == ["relu", "relu", "sigmoid"]
    h = run_layers(enc["layers"], x)
    head = "mu" if mid == "vae2" else "z"
    assert set(enc["heads"]) == ({"mu", "logvar"} if mid == "vae2" else {"z"})
    codes = run_layers([enc["heads"][head]], h)
    spread = float(np.std(ref[head]))
    assert np.abs(codes - ref[head]).max() <= CODE_TOLERANCE * spread
    assert np.abs(run_layers(dec["layers"], z) - ref["decoded"]).max() <= PIXEL_TOLERANCE


def test_a_conv_body_is_refused_with_a_clear_error():
    with pytest.raises(ModelExportError, match="train.body = 'mlp'"):
        export_document("ae2", Autoencoder(latent_dim=2, hidden=[32, 16], body="conv"), "encoder")

"""The floor of each sample-set score: real test images scored against real training images."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.core import batched
from .. import scores
from ..analysis import Analysis, rng_for
from ..section import Result, Section


def reference(a: Analysis) -> dict[str, Any]:
    """Real test images scored against as many real training images: the floor of each score."""
    n = len(a.data["test_x"])
    idx = np.sort(rng_for(a.seed, "reference").permutation(len(a.data["train_x"]))[:n])
    probs, feats = batched.judge(a.judge, a.data["train_x"][idx], a.device)
    precision, recall = scores.precision_recall(feats, a.test_feats, a.cfg.pr_k)
    acc = float((a.test_probs.argmax(1) == a.data["test_y"]).mean())
    return {"test_vs_train": {
        "source": "real test images, scored against a seeded subset of as many training images",
        "n": n, "fid": scores.fid(a.test_feats, feats), "precision_fraction": precision,
        "recall_fraction": recall, "judge_test_accuracy_fraction": acc,
        **scores.judge_summary(a.test_probs)}}


SECTION = Section("reference", lambda a, _: Result(reference(a)), models=lambda r: ())

"""Synthetic analysis reports for tests: a value of any report type with every field filled,
so a test can set the few fields it is about and write a whole metrics.json."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any


def example(tp: Any) -> Any:
    """A synthetic value of any report type: every field filled (optional ones too)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return {"any": 1}
    if origin in (typing.Union, types.UnionType):
        return example(next(a for a in args if a is not type(None)))
    if origin is typing.Literal:
        return args[0]
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: example(hints[f.name]) for f in dataclasses.fields(tp)})
    if origin is dict:
        return {"ae2": example(args[1])}
    if origin is list:
        return [example(args[0])]
    return {float: 0.25, int: 3, str: "text", bool: True}[tp]


def mnist_words() -> dict:
    """The pages' words for MNIST (``core.data_words``), for templates rendered in tests."""
    from pipeline.core.data_words import data_words
    from pipeline.core.dataset_info import DatasetInfo
    return data_words(DatasetInfo("mnist", "MNIST", (1, 28, 28), 10, tuple("0123456789"), "digit", ""))

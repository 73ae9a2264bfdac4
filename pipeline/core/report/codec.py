"""Typed report blocks to JSON and back, checked against their dataclass fields.

``parse(Type, data, path)`` builds the typed object from metrics.json's plain data and fails
with a :class:`ReportError` naming the field's path when a field is missing, unexpected or of
the wrong kind ("holes.ae2.hole_fraction_hull is missing"). ``dump(obj)`` is the inverse: plain
dicts, lists and numbers, ready for ``tidy`` and ``save_json``.

Two field markers (dataclass field metadata):
- ``optional()``: the key may be absent (a number only some entries have, e.g. the GMM's
  ``components``); absent reads as None, None is not written.
- ``renamed(key)``: the JSON key is not a Python name (``class``).

Field docstrings are attribute docstrings (a string literal right under the field), read from
the source by ``field_docs``: the types document themselves.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import textwrap
import types
import typing
from functools import cache
from typing import Any

ABSENT_WHEN_NONE = "absent_when_none"
JSON_KEY = "json_key"


class ReportError(ValueError):
    """metrics.json does not match the report's types; the message names the field's path."""


def optional(default: Any = None) -> Any:
    """A field whose key may be absent from the JSON (absent <-> None)."""
    return dataclasses.field(default=default, metadata={ABSENT_WHEN_NONE: True})


def renamed(key: str, **kw: Any) -> Any:
    """A field stored under another JSON key (one that is not a Python name)."""
    return dataclasses.field(metadata={JSON_KEY: key}, **kw)


def json_key(f: dataclasses.Field) -> str:
    return f.metadata.get(JSON_KEY, f.name)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def parse(tp: Any, value: Any, path: str = "") -> Any:
    """``value`` (plain JSON data) as type ``tp``; ReportError naming ``path`` where it does
    not fit."""
    if tp is Any:
        return value
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise TypeError(f"{path}: only `X | None` unions are supported, not {tp}")
        return parse(rest[0], value, path)
    if origin is typing.Literal:
        if value not in args:
            raise ReportError(f"{path} is {value!r}, expected one of {', '.join(map(repr, args))}")
        return value
    if dataclasses.is_dataclass(tp):
        return _parse_dataclass(tp, value, path)
    if origin is dict:
        if not isinstance(value, dict):
            raise ReportError(f"{path} is {_kind(value)}, expected a mapping")
        return {k: parse(args[1], v, _join(path, k)) for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise ReportError(f"{path} is {_kind(value)}, expected a list")
        return [parse(args[0], v, _join(path, i)) for i, v in enumerate(value)]
    return _parse_scalar(tp, value, path)


def _parse_scalar(tp: Any, value: Any, path: str) -> Any:
    ok = {float: (int, float), int: (int,), str: (str,), bool: (bool,)}.get(tp)
    if ok is None:
        raise TypeError(f"{path}: unsupported field type {tp!r}")
    if not isinstance(value, ok) or (tp is not bool and isinstance(value, bool)):
        raise ReportError(f"{path} is {_kind(value)}, expected {tp.__name__}")
    return value


def _parse_dataclass(cls: type, value: Any, path: str) -> Any:
    if not isinstance(value, dict):
        raise ReportError(f"{path or 'the report'} is {_kind(value)}, expected a mapping "
                          f"({cls.__name__})")
    hints, kwargs = _hints(cls), {}
    fields = dataclasses.fields(cls)
    known = {json_key(f) for f in fields}
    extra = sorted(set(value) - known)
    if extra:
        raise ReportError(f"{_join(path, extra[0])} is unexpected (not a field of {cls.__name__})")
    for f in fields:
        key = json_key(f)
        if key not in value:
            if f.metadata.get(ABSENT_WHEN_NONE):
                kwargs[f.name] = f.default
                continue
            raise ReportError(f"{_join(path, key)} is missing")
        kwargs[f.name] = parse(hints[f.name], value[key], _join(path, key))
    return cls(**kwargs)


def dump(obj: Any) -> Any:
    """A typed report (or any block of it) as plain JSON data."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if value is None and f.metadata.get(ABSENT_WHEN_NONE):
                continue
            out[json_key(f)] = dump(value)
        return out
    if isinstance(obj, dict):
        return {k: dump(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [dump(v) for v in obj]
    return obj


@cache
def field_docs(cls: type) -> dict[str, str]:
    """{field name: its attribute docstring} of a dataclass, read from its source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # type: ignore[attr-defined]
    docs = {}
    for node, nxt in zip(body, body[1:]):
        if (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
                and isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant)
                and isinstance(nxt.value.value, str)):
            docs[node.target.id] = " ".join(nxt.value.value.split())
    return docs


def describe(cls: type, prefix: str = "") -> list[tuple[str, str, str]]:
    """(path, type, docstring) of every field of a report type, nested blocks expanded once
    (``holes.<id>.hole_fraction_hull``): the generated contract of ARCHITECTURE.md."""
    out, docs, hints = [], field_docs(cls), _hints(cls)
    for f in dataclasses.fields(cls):
        tp, path = hints[f.name], prefix + json_key(f)
        inner, suffix = _unwrap(tp)
        out.append((path, _type_name(tp), docs.get(f.name, "")))
        if dataclasses.is_dataclass(inner):
            out += describe(inner, f"{path}{suffix}.")
    return out


def _unwrap(tp: Any) -> tuple[Any, str]:
    """The block type inside ``X | None``, ``dict[str, X]``, ``list[X]`` and the path suffix."""
    suffix = ""
    while True:
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            tp = next(a for a in args if a is not type(None))
        elif origin is dict:
            tp, suffix = args[1], suffix + ".<key>"
        elif origin is list:
            tp, suffix = args[0], suffix + "[i]"
        else:
            return tp, suffix


def _type_name(tp: Any) -> str:
    if isinstance(tp, type):
        return tp.__name__
    return re.sub(r"pipeline\.core\.report\.\w+\.|typing\.", "", str(tp))

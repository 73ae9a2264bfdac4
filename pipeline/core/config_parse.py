"""Reading a config tree: checking values against the field types and ranges of ``opt(...)``,
building the dataclasses from nested dicts, and parsing ``key.sub=value`` overrides.

Kept apart from ``config.py`` so that module reads as the list of settings it is."""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
import typing
from typing import Any, Literal, get_args, get_origin

from .errors import ConfigError


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin is list:
        return f"a list of {_type_name(get_args(tp)[0])}"
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false"}.get(tp, str(tp))


def _check_scalar(key: str, value: Any, tp: Any, meta: dict) -> Any:
    """Return ``value`` coerced to ``tp`` or raise ConfigError naming ``key``."""
    origin = get_origin(tp)
    if origin is Literal:
        allowed = get_args(tp)
        if value not in allowed:
            hint = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1)
            extra = f" Did you mean {hint[0]!r}?" if hint else ""
            raise ConfigError(f"{key} = {value!r} is not allowed: use one of "
                              f"{', '.join(repr(a) for a in allowed)}.{extra}")
        return value
    # bool is an int subclass in Python: refuse it where a number is wanted, and vice versa.
    ok = (isinstance(value, bool) if tp is bool else
          isinstance(value, int) and not isinstance(value, bool) if tp is int else
          isinstance(value, (int, float)) and not isinstance(value, bool) if tp is float else
          isinstance(value, str) if tp is str else False)
    if not ok:
        raise ConfigError(f"{key} = {value!r} has the wrong type: expected {_type_name(tp)}.")
    if tp is float:
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise ConfigError(f"{key} = {value!r} must be a finite number.")
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None and value < lo or hi is not None and value > hi:
        rng = f"between {lo} and {hi}" if lo is not None and hi is not None else (
            f"at least {lo}" if lo is not None else f"at most {hi}")
        raise ConfigError(f"{key} = {value!r} is out of range: allowed values are {rng}.")
    return value


def _check(key: str, value: Any, tp: Any, meta: dict) -> Any:
    if get_origin(tp) is list:
        if not isinstance(value, list):
            raise ConfigError(f"{key} = {value!r} has the wrong type: expected {_type_name(tp)}.")
        if meta.get("min_len") and len(value) < meta["min_len"]:
            raise ConfigError(f"{key} = {value!r} needs at least {meta['min_len']} item(s).")
        (item_tp,) = get_args(tp)
        return [_check_scalar(f"{key}[{i}]", v, item_tp, meta) for i, v in enumerate(value)]
    return _check_scalar(key, value, tp, meta)


def build_tree(cls: type, values: dict[str, Any], prefix: str = "") -> Any:
    """Build dataclass ``cls`` from nested dict ``values``, refusing unknown keys and bad values."""
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in values:
        if key not in fields:
            hint = difflib.get_close_matches(key, list(fields), n=1)
            where = f"[{prefix.rstrip('.')}]" if prefix else "the top level"
            extra = f" Did you mean '{prefix}{hint[0]}'?" if hint else ""
            raise ConfigError(f"Unknown config key '{prefix}{key}'.{extra} "
                              f"Keys allowed at {where}: {', '.join(fields)}.")
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        tp = hints[name]
        if dataclasses.is_dataclass(tp):
            sub = values.get(name, {})
            if not isinstance(sub, dict):
                raise ConfigError(f"'{prefix}{name}' is a section; set its keys, "
                                  f"e.g. {prefix}{name}.<key>=<value>.")
            kwargs[name] = build_tree(tp, sub, f"{prefix}{name}.")
        elif name in values:
            kwargs[name] = _check(prefix + name, values[name], tp, dict(f.metadata))
    return cls(**kwargs)


def deep_merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        out[k] = deep_merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def parse_override(text: str) -> dict[str, Any]:
    """``'train.epochs=3'`` -> ``{'train': {'epochs': 3}}``; the value is read as TOML, or else as
    a bare string (so ``device=cuda`` needs no quotes)."""
    if "=" not in text:
        raise ConfigError(f"Override {text!r} must look like key.sub=value (e.g. train.epochs=3).")
    key, raw = (s.strip() for s in text.split("=", 1))
    if not key or any(not part for part in key.split(".")):
        raise ConfigError(f"Override {text!r} has an empty key: write key.sub=value.")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    for part in reversed(key.split(".")):
        value = {part: value}
    return value

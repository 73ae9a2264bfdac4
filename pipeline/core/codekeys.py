"""A stage's code key, derived from what its stage module imports: no hand-kept file lists.

The files whose content belongs to a stage's key are the transitive closure of the project
modules its stage module imports (read from the source with ``ast``, so nothing is executed and
torch is never loaded), the ``__init__.py`` of every package on the way (importing a module runs
them), and the non-Python sources the stage declares (templates, mkdocs.yml). Function-level
imports count too: a module imported lazily still runs inside the stage. A Python file counts by
its code, not its bytes (``code_sha256``): editing a comment reruns nothing.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from pathlib import Path
from typing import Iterator

from .io import walk_files

PACKAGE = "pipeline"


def _module_file(root: Path, module: str) -> Path | None:
    """The file of a project module (``a.b`` -> a/b.py or a/b/__init__.py), or None."""
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(root: Path, path: Path) -> tuple[str, bool]:
    """(dotted name, is a package) of a project file."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_pkg = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_pkg else parts), is_pkg


def _imported_modules(root: Path, path: Path) -> tuple[str, ...]:
    """Every project module a file imports, at any depth of its code; `from a import b` yields
    both `a` and `a.b` (b may be a submodule), unresolved names are dropped by the caller.
    Parsed once per content of the file (``_read``): every analyse and render job asks for its
    closure."""
    name, is_pkg = _module_name(root, path)
    data, raw = _read(path)
    return _imports_of(raw, name, is_pkg, data, str(path))


def _read(path: Path) -> tuple[bytes, str]:
    """A file's bytes and their sha256: what the parse caches are keyed by. Reading is cheap;
    parsing is not. A time stamp would not do: two saves within one clock tick share it."""
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=2048)
def _imports_of(raw: str, name: str, is_pkg: bool, data: bytes, path: str) -> tuple[str, ...]:
    return tuple(_walk_imports(data, path, name, is_pkg))


def _walk_imports(data: bytes, path: str, name: str, is_pkg: bool) -> Iterator[str]:
    package = name.split(".") if is_pkg else name.split(".")[:-1]
    for node in ast.walk(ast.parse(data, path)):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this file's package
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{a.name}" for a in node.names)


def _with_parents(module: str) -> Iterator[str]:
    """`a.b.c` -> a, a.b, a.b.c: importing a module first runs its packages' __init__.py."""
    parts = module.split(".")
    for i in range(1, len(parts) + 1):
        yield ".".join(parts[:i])


def import_closure(root: Path, module: str) -> list[Path]:
    """The project files that importing `module` can run, sorted (root = the repository)."""
    seen: set[Path] = set()
    looked_up: set[str] = set()  # each name resolved once: modules import the same ones
    todo = [module]
    while todo:
        for name in _with_parents(todo.pop()):
            if name.split(".")[0] != PACKAGE or name in looked_up:
                continue
            looked_up.add(name)
            path = _module_file(root, name)
            if path is None or path in seen:
                continue
            seen.add(path)
            todo.extend(_imported_modules(root, path))
    return sorted(seen)


def code_files(root: Path, module: str, sources: tuple[str, ...] = ()) -> list[Path]:
    """Every file whose content belongs to a stage's code key."""
    extra = [p for rel in sources for p in walk_files(root / rel)]
    return sorted(set(import_closure(root, module)) | set(extra))


def code_sha256(path: Path) -> str:
    """The sha256 of what of a file a key holds. A Python module counts by its syntax tree
    (``ast.dump`` without line numbers): a comment, a blank line or a rewrapped line changes no
    key, so editing one does not retrain the models or rerun the analysis. Docstrings stay in
    the tree: figures and the report print some of them. Any other file (a template, a
    stylesheet) counts byte for byte."""
    data, raw = _read(path)
    return _tree_sha256(raw, data, str(path)) if path.suffix == ".py" else raw


@functools.lru_cache(maxsize=2048)
def _tree_sha256(raw: str, data: bytes, path: str) -> str:
    try:
        data = ast.dump(ast.parse(data, path), include_attributes=False).encode()
    except SyntaxError:  # the import then fails with its own message; key the bytes
        pass
    return hashlib.sha256(data).hexdigest()


def code_digest(root: Path, module: str, sources: tuple[str, ...] = ()) -> str:
    """sha256 over the names and code digests (``code_sha256``) of `code_files`."""
    h = hashlib.sha256()
    for p in code_files(root, module, sources):
        h.update(str(p.relative_to(root)).encode() + b"\0" + code_sha256(p).encode() + b"\0")
    return h.hexdigest()


def file_digests(root: Path, *modules: str, sources: tuple[str, ...] = ()) -> dict[str, str]:
    """{repo-relative path: sha256} of every file in the closures of ``modules`` (and the
    ``sources``): what a manifest entry or a cached job keeps, so that ``status`` can name the
    source files that changed, not only say that the combined code key did."""
    files = set().union(*(code_files(root, m, sources) for m in modules)) if modules else set()
    return {str(p.relative_to(root)): code_sha256(p) for p in sorted(files)}

"""A stage's code key, derived from what its stage module imports: no hand-kept file lists.

The files whose content belongs to a stage's key are the transitive closure of the project
modules its stage module imports (read from the source with ``ast``, so nothing is executed and
torch is never loaded), the ``__init__.py`` of every package on the way (importing a module runs
them), and the non-Python sources the stage declares (templates, mkdocs.yml). Function-level
imports count too: a module imported lazily still runs inside the stage. A Python module counts
by its code, not its bytes (``code_sha256``): editing a comment or a docstring reruns nothing,
except where the text is the output: a declared source (the code page prints ``models.py``)
counts byte for byte, and the render stage's docstrings count (plot functions' docstrings are
the figures' alt text).
"""

from __future__ import annotations

import ast
import copy
import hashlib
from pathlib import Path
from typing import Iterator, NamedTuple

from .io import walk_files

PACKAGE = "pipeline"
# The one package whose docstrings are output: a plot function's docstring is its figure's alt text.
DOCSTRINGS_PRINTED_UNDER = ("pipeline", "stages", "s5_render")


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


def _imported_modules(root: Path, path: Path) -> Iterator[str]:
    """Every project module a file imports, at any depth of its code; `from a import b` yields
    both `a` and `a.b` (b may be a submodule), unresolved names are dropped by the caller."""
    name, is_pkg = _module_name(root, path)
    package = name.split(".") if is_pkg else name.split(".")[:-1]
    imports = _parsed(path).imports
    if imports is None:  # not valid Python: parse again for the error's own message
        ast.parse(path.read_bytes(), str(path))
    for level, module, names in imports or ():
        if level:  # relative: resolve against this file's package
            base = package[: len(package) - level + 1]
            module = ".".join(base + ([module] if module else []))
        yield module
        yield from (f"{module}.{n}" for n in names)


class _Parsed(NamedTuple):
    digest: str
    """sha256 of its syntax tree without line numbers, docstrings kept."""
    code_only: str
    """The same without docstrings and other bare strings (statements that do nothing)."""
    imports: tuple[tuple[int, str, tuple[str, ...]], ...] | None
    """(level, module, names) of each import statement, as written (None: not Python that
    parses); `import a` is (0, "a", ())."""


_PARSED: dict[str, _Parsed] = {}  # sha256 of a file's bytes -> what one parse of it gives


def _parsed(path: Path) -> _Parsed:
    """A file parsed once per content, keyed by the sha256 of its bytes: every analyse and render
    job asks for its closure, and reading is cheap where parsing is not. (A time stamp would not
    do as the key: two saves within one clock tick share it.)"""
    data = path.read_bytes()
    raw = hashlib.sha256(data).hexdigest()
    if path.suffix != ".py":
        return _Parsed(raw, raw, ())
    if raw not in _PARSED:
        try:
            tree = ast.parse(data, str(path))
        except SyntaxError:  # the import fails with its own message; key the bytes meanwhile
            _PARSED[raw] = _Parsed(raw, raw, None)
            return _PARSED[raw]
        imports = tuple((0, a.name, ()) for node in ast.walk(tree) if isinstance(node, ast.Import)
                        for a in node.names)
        imports += tuple((node.level, node.module or "", tuple(a.name for a in node.names))
                         for node in ast.walk(tree) if isinstance(node, ast.ImportFrom))
        digest = _tree_sha256(tree)
        _PARSED[raw] = _Parsed(digest, _tree_sha256(_without_bare_strings(tree)), imports)
    return _PARSED[raw]


def _tree_sha256(tree: ast.AST) -> str:
    return hashlib.sha256(ast.dump(tree, include_attributes=False).encode()).hexdigest()


class _StripBareStrings(ast.NodeTransformer):
    """Drops every statement that is a string alone: docstrings, attribute docstrings."""

    def visit_Expr(self, node: ast.Expr) -> ast.Expr | None:
        bare = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        return None if bare else node


def _without_bare_strings(tree: ast.Module) -> ast.Module:
    """A copy of the tree without its docstrings (the parsed tree stays as it was)."""
    return _StripBareStrings().visit(copy.deepcopy(tree))


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


def _declared(root: Path, sources: tuple[str, ...]) -> set[Path]:
    """The files of the non-Python sources a stage declares (folders walked)."""
    return {p for rel in sources for p in walk_files(root / rel)}


def code_files(root: Path, module: str, sources: tuple[str, ...] = ()) -> list[Path]:
    """Every file whose content belongs to a stage's code key."""
    return sorted(set(import_closure(root, module)) | _declared(root, sources))


def code_sha256(path: Path, root: Path) -> str:
    """The sha256 of what of a Python module a key holds: its syntax tree without line numbers
    (``ast.dump``), so a comment, a blank line or a rewrapped line changes no key, and without
    docstrings unless the file is under ``DOCSTRINGS_PRINTED_UNDER`` (relative to ``root``, the
    repository), whose docstrings are printed. Any other file counts byte for byte."""
    parsed = _parsed(path)
    rel = path.relative_to(root).parts
    printed = rel[:len(DOCSTRINGS_PRINTED_UNDER)] == DOCSTRINGS_PRINTED_UNDER
    return parsed.digest if printed else parsed.code_only


def _digests(root: Path, modules: tuple[str, ...], sources: tuple[str, ...]) -> dict[str, str]:
    """{repo-relative path: digest} of the closures' modules (``code_sha256``) and of the
    declared sources, which are read as text and so count byte for byte even when Python."""
    files = set().union(*(code_files(root, m, sources) for m in modules)) if modules else set()
    declared = _declared(root, sources)
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p in declared
            else code_sha256(p, root) for p in sorted(files)}


def code_digest(root: Path, module: str, sources: tuple[str, ...] = ()) -> str:
    """sha256 over the names and digests (``_digests``) of `code_files`."""
    h = hashlib.sha256()
    for rel, digest in _digests(root, (module,), sources).items():
        h.update(rel.encode() + b"\0" + digest.encode() + b"\0")
    return h.hexdigest()


def file_digests(root: Path, *modules: str, sources: tuple[str, ...] = ()) -> dict[str, str]:
    """{repo-relative path: sha256} of every file in the closures of ``modules`` (and the
    ``sources``): what a manifest entry or a cached job keeps, so that ``status`` can name the
    source files that changed, not only say that the combined code key did."""
    return _digests(root, modules, sources)

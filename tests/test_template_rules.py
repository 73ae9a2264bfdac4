"""Templates compare nothing themselves: every comparing sentence is chosen by a verdict the
analyse stage stored (pipeline/core/robust.py), and the pages only print stored numbers.

A template fails here when it orders (<, >, <=, >=) or does arithmetic (+, -, *, /, //, %, **)
on a value read from the report (``m``, ``e``, a macro's arguments, or a variable set from
them). Counts (``cases``, ``n_seeds``, ``| length``) may be compared with literals: "in every
seed" needs more than one seed, which is not a comparison of two metrics."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2 import nodes

from pipeline.core.config import REPO_ROOT

SITE_SRC = REPO_ROOT / "site_src"
TEMPLATES = sorted(p for p in SITE_SRC.rglob("*.j2"))
ORDERING = {"lt", "gt", "lteq", "gteq"}
ARITHMETIC = (nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod, nodes.Pow,
              nodes.Neg)
COUNT_ATTRS = {"cases", "n_seeds"}
COUNT_FILTERS = {"length", "count"}
REPORT_NAMES = {"m", "e"}


def _names(node: nodes.Node) -> set[str]:
    return {n.name for n in node.find_all(nodes.Name)} | (
        {node.name} if isinstance(node, nodes.Name) else set())


class _Scope:
    """Which variable names hold values read from the report, and which hold counts."""

    def __init__(self, tree: nodes.Template):
        self.metric = set(REPORT_NAMES)
        self.count: set[str] = set()
        for macro in tree.find_all(nodes.Macro):
            self.metric |= {a.name for a in macro.args}
        assigns = list(tree.find_all(nodes.Assign)) + list(tree.find_all(nodes.For))
        for _ in range(5):  # propagate through chains of {% set %}
            for a in assigns:
                value = a.node if isinstance(a, nodes.Assign) else a.iter
                targets = _names(a.target)
                if isinstance(a, nodes.Assign) and self.is_count(value):
                    self.count |= targets
                elif _names(value) & self.metric:
                    self.metric |= targets - self.count

    def is_count(self, node: nodes.Node) -> bool:
        if isinstance(node, nodes.Const):
            return True
        if isinstance(node, nodes.Getattr):
            return node.attr in COUNT_ATTRS
        if isinstance(node, nodes.Filter):
            return node.name in COUNT_FILTERS
        if isinstance(node, nodes.Name):
            return node.name in self.count or node.name == "loop"
        return False

    def is_metric(self, node: nodes.Node) -> bool:
        return not self.is_count(node) and bool(_names(node) & self.metric)


def metric_comparisons(source: str) -> list[str]:
    """Each place where ``source`` orders or computes with report values, as "line N: expr"."""
    tree = jinja2.Environment().parse(source)
    scope = _Scope(tree)
    found = []
    for cmp in tree.find_all(nodes.Compare):
        operands = [cmp.expr, *(op.expr for op in cmp.ops)]
        if any(op.op in ORDERING for op in cmp.ops) and any(scope.is_metric(o) for o in operands):
            found.append(f"line {cmp.lineno}: ordering comparison of report values")
    for kind in ARITHMETIC:
        for node in tree.find_all(kind):
            parts = [node.node] if isinstance(node, nodes.Neg) else [node.left, node.right]
            if any(scope.is_metric(p) for p in parts):
                found.append(f"line {node.lineno}: arithmetic on report values")
    return found


def test_the_checker_catches_the_old_comparisons():
    # The sentences issue 23 removed: a bare < between two FIDs, "level" as 0.05 · FID, a
    # threshold on recall typed into the template, a window width computed from its corners.
    bad = [
        '{% macro s(m) %}{% if m.samples.vae_prior.fid < m.samples.ae_prior.fid %}x{% endif %}{% endmacro %}',
        '{% macro s(m) %}{% set g = m.samples.ae_gmm %}{% if (g.fid - 1) | abs < 0.05 * g.fid %}x{% endif %}{% endmacro %}',
        '{% macro s(m) %}{% set s = m.samples %}{% if [s.a.recall_fraction] | max < 0.1 %}x{% endif %}{% endmacro %}',
        '{{ (m.holes.ae2.window[1] - m.holes.ae2.window[0]) | num(0) }}',
    ]
    for source in bad:
        assert metric_comparisons(source), source
    good = [
        '{% macro s(m) %}{% set c = m.robustness.comparisons.x %}{% set n = c.cases %}'
        '{% if n > 1 %}{{ c.level_within | pct(0) }}{% endif %}{% endmacro %}',
        '{% if m.robustness.seeds | length > 1 %}x{% endif %}',
        '{% macro r(k) %}{% if k == 0 %}none{% endif %}{% endmacro %}',
    ]
    for source in good:
        assert not metric_comparisons(source), source


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SITE_SRC)))
def test_no_template_compares_metrics(path: Path):
    name = str(path.relative_to(SITE_SRC))
    found = metric_comparisons(path.read_text())
    assert not found, f"{name} compares report values itself: " + "; ".join(found)

"""ARCHITECTURE.md's table of the analysis report is generated from the report's docstrings, so
the contract cannot drift from the types. Rewrite it with ``HC_UPDATE_DOCS=1 pytest
tests/test_architecture_doc.py``."""

from __future__ import annotations

import os
import re

from pipeline.core.config import REPO_ROOT
from pipeline.core.report import field_table

DOC = REPO_ROOT / "ARCHITECTURE.md"
BLOCK = re.compile(r"(<!-- report-fields:[^\n]*-->\n)(.*?)(\n<!-- /report-fields -->)", re.S)


def test_the_report_table_matches_the_types():
    text = DOC.read_text()
    match = BLOCK.search(text)
    assert match, "ARCHITECTURE.md lacks the <!-- report-fields --> block"
    table = field_table()
    if os.environ.get("HC_UPDATE_DOCS") == "1":
        DOC.write_text(text[:match.start(2)] + table + text[match.end(2):])
        return
    assert match.group(2) == table, "ARCHITECTURE.md's report table is stale: run HC_UPDATE_DOCS=1 pytest tests/test_architecture_doc.py"

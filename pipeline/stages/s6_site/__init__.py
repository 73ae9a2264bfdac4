"""Stage 6: docs/ from site_src/ templates, then ``mkdocs build --strict`` into site/."""

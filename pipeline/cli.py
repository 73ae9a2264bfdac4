"""``python -m pipeline``: run stages, show their status, print the effective config.

Exit codes: 0 success, 1 a stage failed, 2 bad usage or config (nothing was changed),
3 ``status`` found a stage that is not up to date, 130 interrupted (Ctrl-C; nothing
half-written was kept).
"""

from __future__ import annotations

import argparse
import sys

from pipeline.core.config import Config, ConfigError, describe_fields, load_config, to_toml
from pipeline.core.errors import PipelineError
from pipeline.core.jobstatus import explain
from pipeline.core.runner import STAGE_NAMES, _fmt_seconds, run, status
from pipeline import publish

EPILOG = """examples:
  python -m pipeline run                       # the whole main job (default profile)
  python -m pipeline run --profile quick       # a 1-2 minute demo on a subset
  python -m pipeline run render train.epochs=3 # render and everything after it, with an override
  python -m pipeline run train --force         # retrain, then redo everything downstream
  python -m pipeline status                    # which stages are up to date
  python -m pipeline status train.beta_sweep='[0,1,8]'  # what would run, and why
  python -m pipeline config --explain          # the effective config with every key's meaning
  python -m pipeline publish                   # build, then push site/ to the gh-pages branch
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__,
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    common = argparse.ArgumentParser(add_help=False)
    src = common.add_mutually_exclusive_group()
    src.add_argument("--profile", default="default",
                     help="configs/<profile>.toml: default (main job), quick, smoke")
    src.add_argument("--config", metavar="FILE", help="a TOML config file instead of a profile")
    common.add_argument("--device", choices=["auto", "cpu", "cuda", "mps"],
                        help="where to compute (same as device=...)")
    common.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config key, e.g. --set train.epochs=3 (repeatable)")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", parents=[common], help="bring stages up to date (default: all)",
                       description="Run the named stages (default: all) and everything downstream "
                       "of them; stale upstream stages run too. Words with '=' are config overrides.")
    r.add_argument("items", nargs="*", metavar="STAGE|KEY=VALUE",
                   help=f"stages ({', '.join(STAGE_NAMES)}) and/or overrides")
    r.add_argument("--force", action="store_true", help="rerun the named stages even if up to date")
    r.add_argument("--only", action="store_true",
                   help="run the named stages (and stale upstream ones) but not what is downstream")
    s = sub.add_parser("status", parents=[common], help="show each stage and whether it is up to date")
    s.add_argument("items", nargs="*", metavar="KEY=VALUE")
    c = sub.add_parser("config", parents=[common], help="print the effective config as TOML")
    c.add_argument("items", nargs="*", metavar="KEY=VALUE")
    c.add_argument("--explain", action="store_true", help="list every key with its meaning")
    publish.add_arguments(sub.add_parser("publish", parents=[common],
                                         help="build, then push the built site to a gh-pages branch"))
    return p


def _load(args: argparse.Namespace) -> tuple[Config, list[str]]:
    overrides = list(args.overrides)
    stages = []
    for item in args.items:
        (overrides if "=" in item else stages).append(item)
    if args.device:
        overrides.append(f"device={args.device}")
    cfg = load_config(None if args.config else args.profile, args.config, overrides)
    return cfg, stages


def _checked(args: argparse.Namespace) -> tuple[Config, list[str]]:
    cfg, stages = _load(args)
    if stages and args.command != "run":
        raise ConfigError(f"'{stages[0]}' is not KEY=VALUE; only 'run' takes stage names.")
    bad = [s for s in stages if s not in STAGE_NAMES]
    if bad:
        raise ConfigError(f"Unknown stage {bad[0]!r}; stages are: {', '.join(STAGE_NAMES)}.")
    return cfg, stages


def _config(cfg: Config, explain: bool) -> int:
    if explain:
        for key, doc in describe_fields():
            print(f"{key:<26} {doc}")
    else:
        print(to_toml(cfg), end="")
    return 0


def _status(cfg: Config) -> int:
    rows = status(cfg)
    details = explain(cfg) if any(r for _, r, _ in rows) else {}
    stale: list[str] = []
    for stage, reason, entry in rows:
        waits = [u for u in stage.upstream if u in stale]
        state = f"stale: {reason}" if reason else \
            f"up to date (until {waits[0]} changes it)" if waits else "up to date"
        stale += [stage.name] if reason or waits else []
        took = f"{_fmt_seconds(entry['seconds'])}" if "seconds" in entry else "-"
        print(f"{stage.name:<8} {state:<44} last run {took:>8}  {entry.get('summary', '')}")
        for line in details.get(stage.name, []):
            print(f"{'':<9}{line}")
    return 0 if all(r is None for _, r, _ in rows) else 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    current: list[str] = []  # the stage running now, told by the runner (empty before the first)

    def started(name: str) -> None:
        current[:] = [name]

    try:
        cfg, stages = _checked(args)
        if args.command == "config":
            return _config(cfg, args.explain)
        if args.command == "status":
            return _status(cfg)
        if args.command == "publish":
            return publish.command(cfg, args, lambda m: print(m, file=sys.stderr, flush=True), started)
        executed = run(cfg, stages or None, force=args.force, only=args.only,
                       log=lambda msg: print(msg, file=sys.stderr, flush=True),
                       on_stage=started)
    except KeyboardInterrupt:
        where = f" during stage '{current[0]}'" if current else ""
        print(f"\ninterrupted{where}: nothing half-written was kept; "
              "run the same command again to continue.", file=sys.stderr)
        return 130
    except ConfigError as e:
        print(f"config error: {e}", file=sys.stderr)
        return 2
    except PipelineError as e:
        print(f"error in stage '{current[0]}': {e}" if current else f"error: {e}", file=sys.stderr)
        return 1
    print(f"done: {len(executed)} stage(s) ran" + (f" ({', '.join(executed)})" if executed else
          ", everything was up to date"), file=sys.stderr)
    return 0

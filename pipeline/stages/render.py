"""render stage (placeholder until its issue lands)."""

from ..runner import StageContext


def run(ctx: StageContext) -> str:
    (ctx.out / "placeholder.txt").write_text("render\n")
    return "placeholder"

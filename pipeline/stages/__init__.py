"""One module per stage, each exposing ``run(ctx: StageContext) -> str`` (a one-line summary)."""

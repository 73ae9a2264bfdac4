"""The stages, one folder each, numbered in data-flow order:

    s1_data -> s2_train -> s3_encode -> s4_analyse -> s5_render -> s6_site

Each folder's ``stage.py`` exposes ``run(ctx: StageContext) -> str`` (a one-line summary) and the
folder holds the code only that stage uses. What several stages share is in ``pipeline/core``.
A stage never imports another stage's folder: it reads that stage's artifacts.
"""

"""The textbook claims, tested: ``measure`` (the numbers), ``cases`` (each number in every seed
and judge it was measured in), ``rule`` (how a check is made and how checks make a verdict, by
the site's one rule ``pipeline/core/robust.py``) and ``checks`` (what each claim is split into).
The analyse section that runs them is ``sections/claims.py``."""

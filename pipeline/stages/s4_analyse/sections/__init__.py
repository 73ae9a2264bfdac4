"""The measurement groups of the analyse stage, one module each. Every module declares its
``SECTION`` (``s4_analyse/section.py``): its report key, the sections it reads, and a function of
the shared :class:`~pipeline.stages.s4_analyse.analysis.Analysis` that returns its report block
and the arrays it keeps. ``stage.py`` lists them and runs them in dependency order."""

"""The measurement groups of the analyse stage, one module each; every one is a function of the
shared :class:`~pipeline.stages.s4_analyse.analysis.Analysis` that returns its metrics (and the
arrays it keeps). ``stage.py`` runs them in order and assembles metrics.json and the npz files."""

"""The figures, in groups of one theme each (mostly one site page). In a group module each
figure is its caption function, then its plot function declared with ``@FIGURES.add(id, title,
page, key=..., caption=..., ready=...)``, whose docstring is the figure's alt text: adding a
figure is one such pair in one group. ``catalogue.GROUPS`` lists the groups in story order."""
